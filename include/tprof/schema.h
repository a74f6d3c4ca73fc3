/* The version of the layout of the files tprof writes (metrics.json,
 * memory_summary.json) and of the batch JSON of `tprof report`: one
 * definition for the runtime that writes them and the tools that read them.
 * Readers refuse any other version. 2: function ids, call stacks as a tree
 * per thread, the timeline in integer nanoseconds (docs/FILES.md). */
#ifndef TPROF_SCHEMA_H
#define TPROF_SCHEMA_H

#define TPROF_SCHEMA_VERSION 2

#endif
