// A program that closed its standard output (./prog >&-, or close(1)) and
// keeps writing to it: the export's files must not take descriptor 1, or
// the program's writes land in them. A thread writes a log line to fd 1
// without pause (EBADF while fd 1 is closed) while main exports 20 sets;
// before the fix the first file of each set was created as fd 1 and the
// lines went into it (1 snapshot set of 5 was not JSON any more).
//
// ThreadSanitizer models descriptors: it reports the writer's write(1)
// racing with the export holding fd 1 (on purpose, that is the fix), then
// LLVM 14's TSan crashes in its own report (CHECK failed in AddLocation:
// 2 to 3 runs of 8 on 2 busy cores).
// UNSUPPORTED: sanitizer-thread
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -lpthread -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe 2>&1 | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.d sets | %FileCheck %s --check-prefix=SETS
// RUN: not grep -rl PROGRAM-LOG-LINE %t.d
// RUN: %python -c "import csv,glob,json; js=[json.load(open(p)) for p in glob.glob('%t.d/*.json')]; rows=[r for p in glob.glob('%t.d/*.csv') for r in list(csv.reader(open(p)))[1:] if len(r) != len(next(csv.reader(open(p))))]; print(len(js), 'JSON files parsed,', len(rows), 'CSV rows of another width')" | %FileCheck %s --check-prefix=VALID
//
// OUT: exports 20, failed 0, writer attempts > 0: yes
// SETS: {{^}}21{{$}}
// VALID: 42 JSON files parsed, 0 CSV rows of another width
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <tprof/tprof.h>
#include <unistd.h>

static int stop; /* atomics: ThreadSanitizer checks this test too */
static long attempts;

__attribute__((noinline)) int work(int x) { return x * 3 + 1; }

static void *writer(void *arg) {
  (void)arg;
  static const char line[] = "PROGRAM-LOG-LINE\n";
  while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
    (void)!write(1, line, sizeof line - 1);
    __atomic_add_fetch(&attempts, 1, __ATOMIC_RELAXED);
  }
  return NULL;
}

int main(void) {
  fflush(stdout);
  close(1);
  pthread_t t;
  pthread_create(&t, NULL, writer, NULL);
  while (!__atomic_load_n(&attempts, __ATOMIC_RELAXED)) /* the writer runs before the first export */
    sched_yield();
  int failed = 0;
  for (int i = 0; i < 20; i++) {
    work(i);
    if (tprof_export(NULL, 0) != 0) failed++;
  }
  __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
  pthread_join(t, NULL);
  work(99); /* so that the exit writes a set too */
  fprintf(stderr, "exports 20, failed %d, writer attempts > 0: %s\n", failed, attempts > 0 ? "yes" : "no");
  return 0;
}
