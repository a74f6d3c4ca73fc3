/* tprof: the command-line tool over tprof's metrics files. main() only picks
 * the subcommand; each lives in its own file. */
#include <stdio.h>
#include <string.h>

#include "convert.h"
#include "diff.h"
#include "report.h"
#include "summary.h"
#include "util.h"

static void usage(FILE *f) {
  fputs("usage: tprof COMMAND [OPTIONS] ARGS\n"
        "  report  [--name NAME] [--out DIR] PATH...   batch analysis: CSV, JSON, Markdown report, SVG pictures\n"
        "  diff    [--threshold PCT] BASE NEW          changes per function and operation; exit 3 on a regression\n"
        "  convert --to chrome|folded|callgrind|speedscope [-o OUT] FILE\n"
        "  summary [-n N] FILE                         top functions, operations and allocation sites\n"
        "  tprof COMMAND --help for a command's options; docs/CLI.md for everything.\n"
        "exit status: 0 ok, 1 a file could not be read or written, 2 usage error, 3 regression (diff)\n",
        f);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return TP_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    usage(stdout);
    return TP_EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0) {
    puts("tprof " TPROF_VERSION);
    return TP_EXIT_OK;
  }
  /* Subcommands parse argv[1..]: argv[0] of their getopt is the command. */
  if (strcmp(cmd, "report") == 0) return tp_cmd_report(argc - 1, argv + 1);
  if (strcmp(cmd, "summary") == 0) return tp_cmd_summary(argc - 1, argv + 1);
  if (strcmp(cmd, "diff") == 0) return tp_cmd_diff(argc - 1, argv + 1);
  if (strcmp(cmd, "convert") == 0) return tp_cmd_convert(argc - 1, argv + 1);
  tp_err("unknown command '%s'", cmd);
  usage(stderr);
  return TP_EXIT_USAGE;
}
