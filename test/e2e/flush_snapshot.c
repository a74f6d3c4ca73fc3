// flush_interval_ms: a process killed with SIGKILL (a sandbox's timeout)
// leaves its last complete snapshot, one set, nothing half-written; and a
// process that ends normally leaves one set, its final export.
// The snapshot thread reads counters while the program runs, on purpose:
// ThreadSanitizer would report exactly that.
// UNSUPPORTED: sanitizer-thread
//
// RUN: rm -rf %t.killed %t.ended
// RUN: %tprof_cc -O1 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.killed:flush_interval_ms=40 %python %S/../tools/kill_when_ready.py 0.6 %t.exe | %FileCheck %s --check-prefix=KILLED
// RUN: %tpq %t.killed sets | %FileCheck %s --check-prefix=ONE
// RUN: %tpq %t.killed get export_reason | %FileCheck %s --check-prefix=SNAPSHOT
// The program said "ready" after 300 ms in main and at least 1000 calls of
// work; the last snapshot is later than that (main is still open in it).
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.killed/*_metrics.json')[0])); f={x['name']:x for x in m['functions']}; print(f['work']['calls'] >= 1000, f['main']['inclusive_ms'] >= 300, m['memory_allocation_data']['allocation_count'] >= 1000, [x['name'] for x in m['functions'] if x['id']==m['call_stacks'][0]['function']][0])" | %FileCheck %s --check-prefix=FIGURES
//
// The kill may land while a snapshot is being written: its temporary files
// stay until an export into the same directory finds their writer dead and
// them older than a minute. Age what the kill left, plant a few more, and
// export again into the same directory: exactly the stale ones of our
// pattern go (a fresh one, a live writer's, and a foreign name stay).
// RUN: touch -d '2 hours ago' %t.killed/.*.tmp 2>/dev/null || true
// RUN: touch %t.killed/.p_20200101_000000_4194000_timings.csv.4194000.tmp
// RUN: touch -d '2 hours ago' %t.killed/.p_20200101_000000_4194001_metrics.json.4194001.tmp %t.killed/.p_20200101_000000_1_metrics.json.1.tmp %t.killed/.notours.4194002.tmp
// RUN: env TPROF_OPTIONS=output_dir=%t.killed %t.exe 50 > /dev/null
// RUN: ls -A %t.killed | grep 'tmp$' | sort | %FileCheck %s --check-prefix=LEFT
// RUN: %tpq %t.killed sets | %FileCheck %s --check-prefix=TWO
//
// RUN: env TPROF_OPTIONS=output_dir=%t.ended:flush_interval_ms=20 %t.exe 400 > /dev/null
// RUN: %tpq %t.ended sets | %FileCheck %s --check-prefix=ONE
// RUN: %tpq %t.ended get export_reason | %FileCheck %s --check-prefix=EXIT
// RUN: %tpq %t.ended func work calls | %FileCheck %s --check-prefix=CALLS
//
// KILLED: killed by SIGKILL
// ONE: {{^}}1{{$}}
// LEFT: .notours.4194002.tmp
// LEFT-NEXT: .p_20200101_000000_1_metrics.json.1.tmp
// LEFT-NEXT: .p_20200101_000000_4194000_timings.csv.4194000.tmp
// LEFT-NOT: tmp
// TWO: {{^}}2{{$}}
// SNAPSHOT: {{^}}snapshot{{$}}
// EXIT: {{^}}exit{{$}}
// FIGURES: True True True main
// CALLS: {{^}}400{{$}}
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The address escapes here, so that clang -O1 and above keeps the malloc
 * and free pair it would otherwise remove (tprof counts the allocations the
 * compiled program makes, as valgrind does). */
static void *volatile sink;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

__attribute__((noinline)) int work(int i) {
  int *p = malloc(sizeof *p * 4);
  sink = p;
  p[0] = i;
  int r = p[0] & 1;
  free(p);
  struct timespec pause = {0, 100000}; /* 0.1 ms */
  nanosleep(&pause, NULL);
  return r;
}

int main(int argc, char **argv) {
  long limit = argc > 1 ? atol(argv[1]) : -1; /* -1: until killed */
  double start = now_ms();
  int said = 0, odd = 0;
  for (long i = 0; limit < 0 || i < limit; i++) {
    odd += work((int)i);
    if (!said && i >= 1000 && now_ms() - start >= 300) {
      puts("ready");
      fflush(stdout);
      said = 1;
    }
  }
  return odd < 0;
}
