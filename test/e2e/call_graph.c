// The call graph: caller -> callee edges with exact counts, through
// recursion and mutual recursion; the calls into each function add up to its
// calls, and its primitive calls count only entries from outside the cycle.
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe | %FileCheck %s --check-prefix=OUT
// RUN: %calls_reader %t.d edges | %FileCheck %s --check-prefix=EDGES
// RUN: %calls_reader %t.d sums | %FileCheck %s --check-prefix=SUMS
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.d/*_metrics.json')[0])); f={x['id']:x for x in m['functions']}; print('edge times within callee:', all(e['inclusive_ms'] <= f[e['callee']]['inclusive_ms'] + 1e-6 for e in m['call_graph']))" | %FileCheck %s --check-prefix=TIMES
// RUN: %tpq %t.d func is_even primitive_calls | %FileCheck %s --check-prefix=TWO
// RUN: %tpq %t.d func is_odd primitive_calls | %FileCheck %s --check-prefix=TWO
//
// OUT: 10 is even, 7 is odd
// EDGES: None -> main: 1
// is_even(10): even 10 8 6 4 2 0, odd 9 7 5 3 1; is_odd(7): odd 7 5 3 1, even 6 4 2 0
// EDGES-NEXT: is_even -> is_odd: 8
// EDGES-NEXT: is_odd -> is_even: 9
// EDGES-NEXT: main -> is_even: 1
// EDGES-NEXT: main -> is_odd: 1
// EDGES-NEXT: main -> leaf: 2
// EDGES-NOT: ->
// SUMS: 4 functions, 0 whose incoming calls differ from their calls
// TIMES: edge times within callee: True
// Each is entered twice while not already active: once from main, once from the other one.
// TWO: {{^}}2{{$}}
#include <stdio.h>

int is_odd(unsigned n);
int leaf(int x) { return x; }
int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
int is_odd(unsigned n) { return n == 0 ? leaf(0) : is_even(n - 1); }

int main(void) {
  int a = is_even(10), b = is_odd(7);
  printf("10 is %s, 7 is %s\n", a ? "even" : "odd", b ? "odd" : "even");
  return leaf(0) + leaf(0);
}
