// The light level (cpu_timing=operations): every function's calls are
// counted exactly, but only operations are timed (`timed` says so: main,
// which the pass times, is not timed at this level); the call stacks and
// the timeline hold the operations; the call graph has every call.
//
// RUN: rm -rf %t.d %t.full %t.all
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d:cpu_timing=operations %t.exe
// RUN: %python %tprof_src/test/unit/check_file_set.py %t.d | %FileCheck %s --check-prefix=VALID
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.d/*_metrics.json')[0])); f={x['name']:x for x in m['functions']}; n={x['id']:x['name'] for x in m['functions']}; print(f['cell']['calls'], f['cell']['self_ms'], f['op_fill_1']['calls'], f['op_fill_1']['inclusive_ms'] > 0, m['profile_data']['total_calls'], sum(s['calls'] for s in m['call_stacks']), [[n[s['function']] for s in m['call_stacks']]], len(m['timeline']['events']), m['config']['cpu_timing'], f['main']['timed'], f['op_fill_1']['timed'])" | %FileCheck %s --check-prefix=LIGHT
// The same program at the default level: `cell` is a tiny leaf, counted
// but not timed (its time is op_fill_1's self time), so its calls are on
// no call-stack row (main's 1 and op_fill_1's 3 are).
// RUN: env TPROF_OPTIONS=output_dir=%t.full %t.exe
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.full/*_metrics.json')[0])); f={x['name']:x for x in m['functions']}; print(f['cell']['calls'], f['cell']['timed'], f['cell']['self_ms'] > 0, f['op_fill_1']['timed'], sum(s['calls'] for s in m['call_stacks']) + sum(x['calls'] for x in m['call_stacks_folded']))" | %FileCheck %s --check-prefix=DEFAULT
// And built with TPROF_TIMING=all, every function timed, for contrast.
// RUN: env TPROF_TIMING=all %tprof_cc -O2 -g %s %tprof_rt_static -o %t.all.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.all %t.all.exe
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.all/*_metrics.json')[0])); f={x['name']:x for x in m['functions']}; print(f['cell']['calls'], f['cell']['timed'], f['cell']['self_ms'] > 0, sum(s['calls'] for s in m['call_stacks']) + sum(x['calls'] for x in m['call_stacks_folded']))" | %FileCheck %s --check-prefix=FULL
//
// VALID: file set ok
// LIGHT: 30000 0.0 3 True 30004 3 {{\[\['op_fill_1'\]\]}} 3 operations False True
// DEFAULT: 30000 False False True 4
// FULL: 30000 True True 30004
#include <stdlib.h>

/* unsigned: -fsanitize=undefined adds no overflow check, so cell stays a
 * tiny leaf in the sanitizer builds too */
__attribute__((noinline)) unsigned cell(unsigned *g, unsigned i) { return g[i] += i & 3; }

__attribute__((noinline)) int op_fill_1(unsigned *g) {
  int s = 0;
  for (int i = 0; i < 10000; i++) s += cell(g, i);
  return s;
}

int main(void) {
  unsigned *g = calloc(10000, sizeof *g);
  int s = 0;
  for (int r = 0; r < 3; r++) s += op_fill_1(g);
  free(g);
  return s == 0;
}
