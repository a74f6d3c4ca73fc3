// Threads: per-thread stacks and stats add up to exact totals, a thread's
// figures survive its exit, and the heap counters stay exact when threads
// allocate and free at the same time (blocks freed by another thread too).
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe
// RUN: %tpq %t.d func work calls | %FileCheck %s --check-prefix=CALLS
// RUN: %tpq %t.d func worker calls | %FileCheck %s --check-prefix=WORKERS
// RUN: %tpq %t.d get threads_seen | %FileCheck %s --check-prefix=THREADS
// RUN: %tpq %t.d get memory_allocation_data.allocation_count | %FileCheck %s --check-prefix=ALLOCS
// RUN: %tpq %t.d get memory_allocation_data.deallocation_count | %FileCheck %s --check-prefix=ALLOCS
// RUN: %tpq %t.d get heap.current_bytes | %FileCheck %s --check-prefix=ZERO
// RUN: %tpq %t.d get heap.untracked_frees | %FileCheck %s --check-prefix=ZERO
// On request, cpu_functions.csv is split per thread. `work` is a tiny leaf:
// counted inline, not timed, so no thread saw its calls: one row, thread 0.
// RUN: rm -rf %t.split
// RUN: env TPROF_OPTIONS=output_dir=%t.split:cpu_functions_per_thread=1 %t.exe
// RUN: %tpq %t.split header cpu_functions.csv | %FileCheck %s --check-prefix=HEADER
// RUN: %python -c "import csv,glob; rows=list(csv.DictReader(open(glob.glob('%t.split/*_cpu_functions.csv')[0]))); w=[r for r in rows if r['function']=='work']; print('work rows', [(r['thread'], r['calls']) for r in w]); print('main on thread', [r['thread'] for r in rows if r['function']=='main'])" | %FileCheck %s --check-prefix=UNTIMED
// Built with TPROF_TIMING=all, every call is timed on its thread: 8 workers
// with 100000 calls each (a thread slot that served two workers one after
// the other has 200000), main's thread none.
// RUN: rm -rf %t.all
// RUN: env TPROF_TIMING=all %tprof_cc -O2 -g %s %tprof_rt_static -o %t.all.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.all:cpu_functions_per_thread=1 %t.all.exe
// RUN: %python -c "import csv,glob; rows=list(csv.DictReader(open(glob.glob('%t.all/*_cpu_functions.csv')[0]))); w=[r for r in rows if r['function']=='work']; print('work sum', sum(int(r['calls']) for r in w), 'per slot multiple of 100000', all(int(r['calls']) % 100000 == 0 and r['thread'] not in ('0', '1') for r in w)); print('main on thread', [r['thread'] for r in rows if r['function']=='main'])" | %FileCheck %s --check-prefix=SPLIT
//
// CALLS: {{^}}800000{{$}}
// WORKERS: {{^}}8{{$}}
// THREADS: {{^}}9{{$}}
// 8 x 20000 allocations in the workers, plus the 8 blocks handed to main
// ALLOCS: {{^}}160008{{$}}
// ZERO: {{^}}0{{$}}
// HEADER: thread,function,file,line,calls,
// UNTIMED: work rows [('0', '800000')]
// UNTIMED: main on thread ['1']
// SPLIT: work sum 800000 per slot multiple of 100000 True
// SPLIT: main on thread ['1']
#include <pthread.h>
#include <stdlib.h>

enum { THREADS = 8, CALLS = 100000, ALLOCS = 20000 };

int work(int x) { return x * 3 + 1; }

/* The address escapes here (a relaxed atomic store: threads race), so that
 * clang -O1 and above keeps the malloc and free pair it would otherwise
 * remove (tprof counts the allocations the compiled program makes). */
static void *sink;

void *worker(void *arg) {
  long sum = 0;
  for (int i = 0; i < CALLS; i++) sum += work(i);
  for (int i = 0; i < ALLOCS; i++) {
    char *p = malloc(16 + i % 64);
    __atomic_store_n(&sink, p, __ATOMIC_RELAXED);
    p[0] = (char)sum;
    free(p);
  }
  char *handed = malloc(100); /* freed by main, after this thread is gone */
  handed[0] = (char)sum;
  (void)arg;
  return handed;
}

int main(void) {
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < THREADS; i++) {
    void *handed;
    pthread_join(t[i], &handed);
    free(handed);
  }
  return 0;
}
