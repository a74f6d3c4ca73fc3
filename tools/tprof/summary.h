/* tprof summary FILE: the top functions, operations and allocation sites of
 * one run as terminal tables. */
#ifndef TPROF_CLI_SUMMARY_H
#define TPROF_CLI_SUMMARY_H

int tp_cmd_summary(int argc, char **argv);

#endif
