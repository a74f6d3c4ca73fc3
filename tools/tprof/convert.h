/* tprof convert --to FORMAT FILE: one run's metrics file in another tool's
 * format. Each format is its own file (convert_<format>.c). */
#ifndef TPROF_CLI_CONVERT_H
#define TPROF_CLI_CONVERT_H

#include <stdio.h>

#include "metrics_reader.h"

int tp_cmd_convert(int argc, char **argv);

/* Each writes m to out; path names the input in messages. 0 on success, -1
 * after printing why on stderr. */
int tp_convert_chrome(const tp_metrics *m, FILE *out, const char *path);
int tp_convert_folded(const tp_metrics *m, FILE *out, const char *path, int alloc_weight);
int tp_convert_callgrind(const tp_metrics *m, FILE *out, const char *path);
int tp_convert_speedscope(const tp_metrics *m, FILE *out, const char *path);

#endif
