/* Expands the path arguments of a batch: a file is itself; a directory is
 * every *_metrics.json below it, in byte order of the names at each level
 * (so two runs over the same tree see the same order). At most a batch of
 * names per directory level is held at a time (walk.c). */
#ifndef TPROF_CLI_WALK_H
#define TPROF_CLI_WALK_H

typedef void (*tp_visit)(const char *path, void *arg);

/* Calls visit for each file; a path that cannot be listed is passed to
 * visit too, so the reader reports why. */
void tp_walk(const char *path, tp_visit visit, void *arg);

#endif
