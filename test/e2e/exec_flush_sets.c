// With flush_interval_ms every set of a process keeps one name, so that
// each periodic rewrite replaces the last. An image that the process
// exec's keeps the pid: its sets must not take the name of the set written
// right before the exec, when both fall in the same second (the usual
// case: exec is fast). The first image writes its set at the exec, the
// second at exit; both stay.
//
// RUN: rm -rf %t && %tprof_cc -O1 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t:flush_interval_ms=60000 %t.exe
// RUN: %python -c "import json,glob; ms=[json.load(open(p)) for p in sorted(glob.glob('%t/*_metrics.json'))]; print(len(ms), sorted((m['export_reason'], [f['calls'] for f in m['functions'] if f['name']=='work']) for m in ms))" | %FileCheck %s
//
// CHECK: 2 [('exec', [5]), ('exit', [3])]
#include <string.h>
#include <unistd.h>

__attribute__((noinline)) int work(int x) { return x + 1; }

int main(int argc, char **argv) {
  int s = 0;
  int again = argc > 1 && strcmp(argv[1], "again") == 0;
  for (int i = 0; i < (again ? 3 : 5); i++)
    s += work(i);
  if (!again)
    execl(argv[0], argv[0], "again", (char *)0);
  return s == 0;
}
