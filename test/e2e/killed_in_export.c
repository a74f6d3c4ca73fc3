// A process killed with SIGKILL while its export at exit writes the set (a
// campaign's timeout arriving late) leaves nothing in the output directory:
// the files have no name until the whole set is written (O_TMPFILE). Named
// temporary files were left behind until a later export removed them. On
// a file system without O_TMPFILE the named files remain the way, and a
// later export still removes what a killed one left (docs/FILES.md).
// export_faults.so (preloaded) kills the process at its export's third
// write to a file: the seven files are written one after another, each in
// one write here, so the third file is being written then.
//
// RUN: rm -rf %t.d %t.named && mkdir -p %t.d %t.named
// RUN: %tprof_cc -O1 %s %tprof_rt_static -o %t.exe
// RUN: %host_cc -fno-sanitize=all -shared -fPIC %S/Inputs/export_faults.c -ldl -o %t.faults.so
// RUN: not --crash env TPROF_OPTIONS=output_dir=%t.d LD_PRELOAD=%t.faults.so FAULT_KILL_AT_WRITE=3 %t.exe
// RUN: ls -A %t.d | count 0
//
// The same without O_TMPFILE: the named temporary files of the first two
// files (and the third, created before its write) stay; the next export in
// that directory removes them once they are a minute old (not tested here:
// the minute).
// RUN: not --crash env TPROF_OPTIONS=output_dir=%t.named LD_PRELOAD=%t.faults.so FAULT_NO_TMPFILE=1 FAULT_KILL_AT_WRITE=3 %t.exe
// RUN: ls -A %t.named | %FileCheck %s --check-prefix=NAMED
//
// And without the kill, both ways write the whole set.
// RUN: rm -rf %t.d %t.named && mkdir -p %t.d %t.named
// RUN: env TPROF_OPTIONS=output_dir=%t.d LD_PRELOAD=%t.faults.so %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.named LD_PRELOAD=%t.faults.so FAULT_NO_TMPFILE=1 %t.exe
// RUN: %tpq %t.d check | %FileCheck %s --check-prefix=COMPLETE
// RUN: %tpq %t.named check | %FileCheck %s --check-prefix=COMPLETE
//
// The unnamed files are linked with linkat(AT_EMPTY_PATH), which needs a
// privilege before Linux 6.10: refused, the export links them through
// /proc/self/fd instead, and asks the direct way once only.
// RUN: rm -rf %t.proc && mkdir -p %t.proc
// RUN: env TPROF_OPTIONS=output_dir=%t.proc LD_PRELOAD=%t.faults.so FAULT_NO_EMPTY_PATH=1 %t.exe 2>&1 | %FileCheck %s --check-prefix=REFUSED
// RUN: %tpq %t.proc check | %FileCheck %s --check-prefix=COMPLETE
// RUN: ls %t.proc | count 7
//
// REFUSED: linkat AT_EMPTY_PATH refused 1{{$}}
// NAMED-COUNT-3: {{\.[0-9]+\.tmp$}}
// NAMED-NOT: {{\.[0-9]+\.tmp$}}
// COMPLETE: temporary files left: 0
#include <stdlib.h>

static void *sink; /* the address escapes: the allocation stays at -O1 */

int work(int x) { return x * 3; }

int main(void) {
  char *p = malloc(32);
  __atomic_store_n(&sink, p, __ATOMIC_RELAXED);
  int r = work(p != NULL);
  free(p);
  return r == 3 ? 0 : 1;
}
