/* tprof convert --to FORMAT FILE: one run's metrics file in another tool's
 * format. Each format is its own file (convert_<format>.c). */
#ifndef TPROF_CLI_CONVERT_H
#define TPROF_CLI_CONVERT_H

#include <stdio.h>

#include "metrics_reader.h"

int tp_cmd_convert(int argc, char **argv);

typedef struct {
  int merged;       /* folded, speedscope: all threads as one profile */
  long long thread; /* callgrind: only this thread (from call_stacks); 0 = all, merged */
  int alloc_weight; /* folded: bytes allocated instead of self time */
} tp_convert_opts;

/* Each writes m to out; path names the input in messages. 0 on success, -1
 * after printing why on stderr. */
int tp_convert_chrome(const tp_metrics *m, FILE *out, const char *path);
int tp_convert_folded(const tp_metrics *m, FILE *out, const char *path, const tp_convert_opts *o);
int tp_convert_callgrind(const tp_metrics *m, FILE *out, const char *path, const tp_convert_opts *o);
int tp_convert_speedscope(const tp_metrics *m, FILE *out, const char *path, const tp_convert_opts *o);
/* Why folded or speedscope has nothing to write (no stack with self time,
 * or with allocated bytes when alloc), and which option produces it: the
 * converter then returns -1 before writing anything. */
void tp_convert_no_stacks(const tp_metrics *m, const char *path, const char *format, int alloc);
/* One line on stderr when the call stacks' cap folded calls. */
void tp_convert_note_folded(const tp_metrics *m, const char *path);

#endif
