/* `mkdir -p`, shared by the runtime's exporter (output_dir) and the tprof
 * command (report --out). Self-contained: no allocation (the path is
 * copied into a PATH_MAX buffer on the stack), no locale; safe to call
 * from any thread, not from a signal handler that interrupted another
 * call of it (errno). */
#ifndef TPROF_MAKE_DIRS_H
#define TPROF_MAKE_DIRS_H

#include <stddef.h>

/* Makes the directory `path` and its missing ancestors (mode 0777, less
 * the umask). Returns 0 when `path` is a directory at the end; else -1
 * with errno set (ENOTDIR when a component exists and is not a directory,
 * ENAMETOOLONG when path has PATH_MAX bytes or more, ENOENT for "") and,
 * when `failed` is not NULL, *failed set to the length of the prefix of
 * path that could not be made (path's length when it was path itself).
 * One stat() when the directory exists already. */
int tprof_make_dirs(const char *path, size_t *failed);

#endif
