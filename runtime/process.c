/* Which process the runtime measures. A vfork child shares the parent's
 * memory until it execs or _exits: any write to tprof's state, or a file
 * set, would be the parent's. Such a child (and a child of clone() or
 * _Fork(), which run no fork handler) has a pid the runtime was never told
 * about; start-up and fork()'s child handler set tprof_pid. One getpid
 * system call: only on the export paths. */
#include "internal.h"

#include <unistd.h>

pid_t tprof_pid;

int tprof_in_unknown_child(void) { return getpid() != tprof_pid; }
