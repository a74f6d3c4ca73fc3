/* tprof diff BASE NEW: what changed between two runs of a program, per
 * function, per operation and in the heap, biggest change first; with
 * --threshold, a regression check for CI. */
#ifndef TPROF_CLI_DIFF_H
#define TPROF_CLI_DIFF_H

int tp_cmd_diff(int argc, char **argv);

#endif
