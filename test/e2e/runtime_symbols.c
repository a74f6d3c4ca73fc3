// The static runtime leaves only the API of tprof.h and the reserved
// __tprof_* hooks as global names: a program may have its own tprof_sort,
// tprof_warn or tprof_cfg (names the runtime uses inside) and still links
// with it and is profiled. Names starting with "__" are the
// implementation's (sanitizers put some there), not the user's.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: nm -g --defined-only %tprof_obj/lib/libtprof_rt.a | awk 'NF == 3 { print $3 }' | grep -v '^__' | sort -u > %t/globals
// RUN: grep -o 'tprof_[a-z_]*(' %tprof_include/tprof/tprof.h | tr -d '(' | sort -u > %t/api
// RUN: diff %t/api %t/globals
// RUN: nm -g --defined-only %tprof_obj/lib/libtprof_rt.a | %FileCheck %s --check-prefix=HOOKS
//
// RUN: %tprof_cc -O1 %s %tprof_rt_static -o %t/exe
// RUN: env TPROF_OPTIONS=output_dir=%t/out %t/exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t/out func tprof_sort calls | %FileCheck %s --check-prefix=THREE
//
// HOOKS-DAG: T __tprof_func_enter
// HOOKS-DAG: T __tprof_func_enter_checked
// HOOKS-DAG: T __tprof_func_exit_checked
// HOOKS-DAG: T __tprof_malloc
// OUT: sorted 1 2 3, warned 1, cfg 7
// THREE: {{^}}3{{$}}
#include <stdio.h>

int tprof_cfg = 7;
static int warned;

void tprof_warn(const char *what) {
  (void)what;
  warned++;
}

void tprof_sort(int *a, int i) {
  if (a[i] > a[i + 1]) {
    int t = a[i];
    a[i] = a[i + 1];
    a[i + 1] = t;
  }
}

int main(void) {
  int a[3] = {3, 1, 2};
  tprof_sort(a, 0);
  tprof_sort(a, 1);
  tprof_sort(a, 0);
  tprof_warn("done");
  printf("sorted %d %d %d, warned %d, cfg %d\n", a[0], a[1], a[2], warned, tprof_cfg);
  return 0;
}
