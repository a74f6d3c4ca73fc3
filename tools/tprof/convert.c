#define _GNU_SOURCE
#include "convert.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void usage(FILE *f) {
  fputs("usage: tprof convert --to FORMAT [--merged] [--thread N] [--weight time|alloc] [-o OUT | -O] FILE\n"
        "  chrome      Chrome trace event JSON (Perfetto UI, chrome://tracing, speedscope); needs the file's\n"
        "              timeline; one named track per thread\n"
        "  folded      folded stacks, one 'a;b;c VALUE' line per stack (flamegraph.pl, speedscope), each\n"
        "              starting with a 'thread_N' frame (not with --merged); VALUE is self time in integer\n"
        "              microseconds, or bytes allocated with --weight alloc (--weight is only for folded)\n"
        "  callgrind   callgrind format (KCachegrind, callgrind_annotate); costs in nanoseconds; all threads\n"
        "              (exact, from call_graph), or one thread with --thread N (from its call stacks)\n"
        "  speedscope  speedscope's JSON file format: one profile per thread, weighted by self time in ms\n"
        "  --merged    folded, speedscope: all threads as one profile\n"
        "  OUT defaults to stdout; -O writes next to FILE: NAME.trace.json, NAME.folded, callgrind.out.NAME\n"
        "  or NAME.speedscope.json, where FILE is NAME_metrics.json\n",
        f);
}

/* -O: the name a viewer recognises, next to the input. */
static char *auto_name(const char *path, int fmt) {
  static const char *const pre[] = {"", "", "callgrind.out.", ""};
  static const char *const post[] = {".trace.json", ".folded", "", ".speedscope.json"};
  const char *base = tp_basename(path);
  size_t dir = (size_t)(base - path), len = strlen(base);
  static const char suffix[] = "_metrics.json";
  if (len > sizeof suffix - 1 && strcmp(base + len - (sizeof suffix - 1), suffix) == 0)
    len -= sizeof suffix - 1;
  else if (len > 5 && strcmp(base + len - 5, ".json") == 0)
    len -= 5;
  size_t n = dir + strlen(pre[fmt]) + len + strlen(post[fmt]) + 1;
  char *out = xmalloc(n);
  snprintf(out, n, "%.*s%s%.*s%s", (int)dir, path, pre[fmt], (int)len, base, post[fmt]);
  return out;
}

void tp_convert_note_folded(const tp_metrics *m, const char *path) {
  long long calls = 0;
  for (size_t i = 0; i < m->n_folded; i++) calls += m->folded[i].calls;
  if (calls > 0)
    tp_err("%s: call_stacks kept %zu of %lld paths; %lld calls of %zu functions are counted in an ancestor's stack "
           "(call_stacks_folded)",
           path, m->n_nodes, m->stack_nodes, calls, m->n_folded);
}

void tp_convert_no_stacks(const tp_metrics *m, const char *path, const char *format, int alloc) {
  if (alloc && !m->mem_enabled)
    tp_err("%s: no allocations in this file (memory tracking was off), so there is no %s output to write with "
           "--weight alloc; profile again with memory_tracking_enabled=1 (the default), or use --weight time",
           path, format);
  else if (alloc)
    tp_err("%s: no call stack has allocated bytes, so there is no %s output to write with --weight alloc; use "
           "--weight time",
           path, format);
  else
    tp_err("%s: no call stack has any self time, so there is no %s output to write; the runtime times calls with "
           "cpu_profiling_enabled=1 (every function) or operation_timing_enabled=1 (operations and regions), both "
           "on by default: profile again with either on",
           path, format);
}

int tp_cmd_convert(int argc, char **argv) {
  static const struct option longs[] = {{"to", required_argument, 0, 't'},
                                        {"output", required_argument, 0, 'o'},
                                        {"weight", required_argument, 0, 'w'},
                                        {"merged", no_argument, 0, 'm'},
                                        {"thread", required_argument, 0, 'T'},
                                        {"help", no_argument, 0, 'h'},
                                        {0, 0, 0, 0}};
  const char *to = NULL, *outp = NULL, *weight = NULL;
  int c, auto_out = 0;
  tp_convert_opts opts = {0};
  optind = 1;
  while ((c = getopt_long(argc, argv, "t:o:Ow:h", longs, NULL)) != -1) {
    switch (c) {
    case 't':
      to = optarg;
      break;
    case 'o':
      outp = optarg;
      break;
    case 'O':
      auto_out = 1;
      break;
    case 'w':
      weight = optarg;
      break;
    case 'm':
      opts.merged = 1;
      break;
    case 'T': {
      char *end;
      opts.thread = strtoll(optarg, &end, 10);
      if (*end || opts.thread <= 0) {
        tp_err("convert: --thread takes a thread number (1, 2, ...), not '%s'", optarg);
        return TP_EXIT_USAGE;
      }
      break;
    }
    case 'h':
      usage(stdout);
      return TP_EXIT_OK;
    default:
      usage(stderr);
      return TP_EXIT_USAGE;
    }
  }
  int fmt = !to                             ? -1
            : strcmp(to, "chrome") == 0     ? 0
            : strcmp(to, "folded") == 0     ? 1
            : strcmp(to, "callgrind") == 0  ? 2
            : strcmp(to, "speedscope") == 0 ? 3
                                            : -1;
  /* --weight chooses folded's VALUE; no other format has a choice, so any
   * --weight there (even "time") is a mistake worth saying. */
  char weight_msg[128];
  snprintf(weight_msg, sizeof weight_msg, "--weight is only for folded, not for %s", to ? to : "");
  const char *bad = !to                                                           ? "--to FORMAT is required"
                    : fmt < 0                                                     ? NULL
                    : optind != argc - 1                                          ? "exactly one FILE"
                    : weight && strcmp(weight, "time") && strcmp(weight, "alloc") ? "--weight is time or alloc"
                    : weight && fmt != 1                                          ? weight_msg
                    : opts.merged && (fmt == 0 || fmt == 2)
                        ? "--merged is for folded and speedscope (callgrind is merged unless --thread)"
                    : opts.thread && fmt != 2 ? "--thread is only for callgrind"
                    : outp && auto_out        ? "-o and -O together"
                                              : "";
  if (fmt < 0 || bad[0]) {
    if (fmt < 0 && to)
      tp_err("convert: unknown format '%s'", to);
    else
      tp_err("convert: %s", bad);
    usage(stderr);
    return TP_EXIT_USAGE;
  }
  opts.alloc_weight = weight && strcmp(weight, "alloc") == 0;
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
  if (fmt == 0 && m.n_events == 0) {
    if (m.max_events == 0)
      tp_err("%s: the timeline has no events because the run had timeline_max_events=0, so no Chrome trace can be "
             "made; profile again with timeline_max_events above 0 (the default is 10000), or try --to speedscope "
             "or --to folded",
             path);
    else
      tp_err("%s: the timeline has no events, so no Chrome trace can be made; it records timed calls of "
             "operations and regions, and this run timed none (none ran, or operation_timing_enabled=0): profile "
             "again with operation_timing_enabled=1 (the default), or with timeline_functions=1 to record every "
             "function's calls",
             path);
    tp_metrics_free(&m);
    return TP_EXIT_FILES;
  }
  char *named = auto_out ? auto_name(path, fmt) : NULL;
  tp_out o;
  if (tp_out_open(&o, named ? named : outp ? outp : "-") != 0) {
    free(named);
    tp_metrics_free(&m);
    return TP_EXIT_FILES;
  }
  int rc = fmt == 0   ? tp_convert_chrome(&m, o.f, path)
           : fmt == 1 ? tp_convert_folded(&m, o.f, path, &opts)
           : fmt == 2 ? tp_convert_callgrind(&m, o.f, path, &opts)
                      : tp_convert_speedscope(&m, o.f, path, &opts);
  if (rc != 0)
    tp_out_abort(&o);
  else
    rc = tp_out_commit(&o);
  if (rc == 0 && named) printf("%s\n", named);
  free(named);
  tp_metrics_free(&m);
  return rc == 0 ? TP_EXIT_OK : TP_EXIT_FILES;
}
