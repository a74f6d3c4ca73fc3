// Both forms of hook calls at run time (test/pass/hook_calls.c shows the
// IR): walk, a small recursive function, tests the guard itself; scan (a
// loop) calls __tprof_func_enter_checked, which reads the guard and returns
// it, and gives that value back to __tprof_func_exit_checked. Every call is counted exactly and timed at the default
// level; at the light level (cpu_timing=operations) neither is timed and
// both are still counted exactly. toggle turns CPU profiling off during
// its first call and on again during its second: each exit follows its own
// entry's guard (the first call, entered with hooks on, is closed; the
// second, entered with them off, closes nothing), so the later calls are
// timed as before and the file set is valid. down (small and recursive:
// the guarded form, which keeps the guard's value for its exits) makes the
// same toggles from the bottom of its recursion, through flip: the 6
// frames of its first descent, entered with hooks on, are closed as they
// return although the profile went off below them, so the third descent
// starts with no down active: 5 recursive calls in each timed descent, and
// the 18 calls less those 10 are primitive (exits that read the guard
// again would leave the first descent's frames open and make every call
// of the third descent recursive: 7); the second descent, entered with
// hooks off, closes nothing.
//
// RUN: rm -rf %t.d %t.light
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe 2>&1 | %FileCheck %s --check-prefix=QUIET --allow-empty
// RUN: %python %tprof_src/test/unit/check_file_set.py %t.d | %FileCheck %s --check-prefix=VALID
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.d/*_metrics.json')[0])); f={x['name']:x for x in m['functions']}; print(*[(n, f[n]['calls'], f[n]['timed'], f[n]['inclusive_ms'] > 0) for n in ('walk', 'scan', 'toggle')]); print(f['main']['inclusive_ms'] >= f['scan']['inclusive_ms'] + f['toggle']['inclusive_ms']); print('down', f['down']['calls'], f['down']['primitive_calls'], f['flip']['calls'])" | %FileCheck %s --check-prefix=DEFAULT
// RUN: env TPROF_OPTIONS=output_dir=%t.light:cpu_timing=operations %t.exe
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.light/*_metrics.json')[0])); f={x['name']:x for x in m['functions']}; print(*[(n, f[n]['calls'], f[n]['self_ms']) for n in ('walk', 'scan')])" | %FileCheck %s --check-prefix=LIGHT
//
// QUIET-NOT: tprof:
// VALID: file set ok
// DEFAULT: ('walk', 177, True, True) ('scan', 1000, True, True) ('toggle', 4, True, True)
// DEFAULT-NEXT: True
// DEFAULT-NEXT: down 18 8 3
// LIGHT: ('walk', 177, 0.0) ('scan', 1000, 0.0)
#include <tprof/tprof.h>

__attribute__((noinline)) int walk(int n) { return n < 2 ? n : walk(n - 1) + walk(n - 2); }

__attribute__((noinline)) int scan(const volatile int *a, int n) {
  int s = 0;
  for (int i = 0; i < n; i++) s += a[i];
  return s;
}

static int calls_of_toggle;
__attribute__((noinline)) int toggle(const volatile int *a) {
  int s = scan(a, 64);
  calls_of_toggle++;
  if (calls_of_toggle == 1) tprof_set_option("cpu_profiling_enabled", "0");
  if (calls_of_toggle == 2) tprof_set_option("cpu_profiling_enabled", "1");
  for (int i = 0; i < 64; i++) s += a[i];
  return s;
}

static int calls_of_flip;
__attribute__((noinline)) void flip(void) {
  calls_of_flip++;
  if (calls_of_flip == 1) tprof_set_option("cpu_profiling_enabled", "0");
  if (calls_of_flip == 2) tprof_set_option("cpu_profiling_enabled", "1");
}

__attribute__((noinline)) int down(int n) {
  if (n == 0) {
    flip();
    return 0;
  }
  return down(n - 1) + 1;
}

int main(void) {
  static volatile int a[64];
  for (int i = 0; i < 64; i++) a[i] = i;
  int s = walk(10);
  for (int r = 0; r < 996; r++) s += scan(a, 64);
  for (int r = 0; r < 4; r++) s += toggle(a);
  for (int r = 0; r < 3; r++) s += down(5);
  return s == 0;
}
