// After fork() the child writes its own file set (its own pid) with its own
// figures from the fork on; the parent's set holds the parent's calls only.
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.d sets | %FileCheck %s --check-prefix=SETS
// RUN: %python -c "import json,glob; ms=[json.load(open(p)) for p in glob.glob('%t.d/*_metrics.json')]; ms.sort(key=lambda m: [f['calls'] for f in m['functions'] if f['name']=='work'][0]); print(' '.join('pid=%%s work=%%d allocs=%%d' %% ('child' if i==0 else 'parent', [f['calls'] for f in m['functions'] if f['name']=='work'][0], m['memory_allocation_data']['allocation_count']) for i,m in enumerate(ms))); print('distinct pids:', len({m['pid'] for m in ms}))" | %FileCheck %s --check-prefix=FIGURES
//
// OUT: child done
// OUT: parent done
// SETS: {{^}}2{{$}}
// FIGURES: pid=child work=3 allocs=3 pid=parent work=15 allocs=15
// FIGURES: distinct pids: 2
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* The address escapes here, so that clang -O1 and above keeps the malloc
 * and free pair it would otherwise remove (tprof counts the allocations the
 * compiled program makes, as valgrind does). */
static void *volatile sink;

int work(int x) {
  char *p = malloc(32);
  sink = p;
  p[0] = (char)x;
  int r = p[0];
  free(p);
  return r;
}

int main(void) {
  for (int i = 0; i < 10; i++) work(i);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    for (int i = 0; i < 3; i++) work(i);
    printf("child done\n");
    return 0;
  }
  waitpid(pid, NULL, 0);
  for (int i = 0; i < 5; i++) work(i);
  printf("parent done\n");
  return 0;
}
