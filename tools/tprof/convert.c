#define _GNU_SOURCE
#include "convert.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void usage(FILE *f) {
  fputs("usage: tprof convert --to FORMAT [--weight time|alloc] [-o OUT] FILE\n"
        "  chrome      Chrome trace event JSON (Perfetto UI, chrome://tracing); needs the file's timeline\n"
        "  folded      folded stacks, one 'a;b;c VALUE' line per stack (flamegraph.pl, speedscope);\n"
        "              VALUE is self time in integer microseconds, or bytes allocated with --weight alloc\n"
        "  callgrind   callgrind format (KCachegrind, callgrind_annotate); costs in nanoseconds\n"
        "  speedscope  speedscope's JSON file format, a sampled profile weighted by self time in ms\n"
        "  OUT defaults to stdout\n",
        f);
}

int tp_cmd_convert(int argc, char **argv) {
  static const struct option longs[] = {{"to", required_argument, 0, 't'},
                                        {"output", required_argument, 0, 'o'},
                                        {"weight", required_argument, 0, 'w'},
                                        {"help", no_argument, 0, 'h'},
                                        {0, 0, 0, 0}};
  const char *to = NULL, *outp = "-", *weight = "time";
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "t:o:w:h", longs, NULL)) != -1) {
    switch (c) {
      case 't': to = optarg; break;
      case 'o': outp = optarg; break;
      case 'w': weight = optarg; break;
      case 'h': usage(stdout); return TP_EXIT_OK;
      default: usage(stderr); return TP_EXIT_USAGE;
    }
  }
  int fmt = !to ? -1
            : strcmp(to, "chrome") == 0     ? 0
            : strcmp(to, "folded") == 0     ? 1
            : strcmp(to, "callgrind") == 0  ? 2
            : strcmp(to, "speedscope") == 0 ? 3
                                            : -1;
  if (fmt < 0 || optind != argc - 1 || (strcmp(weight, "time") != 0 && strcmp(weight, "alloc") != 0) ||
      (fmt != 1 && strcmp(weight, "time") != 0)) {
    if (!to) tp_err("convert: --to FORMAT is required");
    else if (fmt < 0) tp_err("convert: unknown format '%s'", to);
    else if (optind != argc - 1) tp_err("convert: exactly one FILE");
    else tp_err("convert: --weight is time or alloc, and only for folded");
    usage(stderr);
    return TP_EXIT_USAGE;
  }
  const char *path = argv[optind];
  tp_metrics m;
  char err[512];
  if (tp_metrics_load(path, fmt == 0 ? TP_LOAD_TIMELINE : 0, &m, err, sizeof err) != 0) {
    tp_err("%s: %s", path, err);
    return TP_EXIT_FILES;
  }
  /* Chrome needs a timeline: refuse before creating the output file. */
  if (fmt == 0 && !m.has_timeline) {
    tp_err("%s: no timeline in this file, so no Chrome trace can be made (the runtime writes a \"timeline\" "
           "section when it records one); try --to speedscope or --to folded",
           path);
    tp_metrics_free(&m);
    return TP_EXIT_FILES;
  }
  tp_out o;
  if (tp_out_open(&o, outp) != 0) {
    tp_metrics_free(&m);
    return TP_EXIT_FILES;
  }
  int rc = fmt == 0   ? tp_convert_chrome(&m, o.f, path)
           : fmt == 1 ? tp_convert_folded(&m, o.f, path, strcmp(weight, "alloc") == 0)
           : fmt == 2 ? tp_convert_callgrind(&m, o.f, path)
                      : tp_convert_speedscope(&m, o.f, path);
  if (rc != 0) tp_out_abort(&o);
  else rc = tp_out_commit(&o);
  tp_metrics_free(&m);
  return rc == 0 ? TP_EXIT_OK : TP_EXIT_FILES;
}
