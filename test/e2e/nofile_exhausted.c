// A program that uses every descriptor its RLIMIT_NOFILE allows still gets
// its sets (one from tprof_export, one at exit): the export raises the soft
// limit by a few while it writes, within the hard limit, and puts it back
// (the program reads its own limit unchanged after the export). It used to
// lose them ("cannot create ...: Too many open files", 20 of 20 runs). The
// program's own descriptors are never touched.
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe | %FileCheck %s
// RUN: %tpq %t.d sets | %FileCheck %s --check-prefix=SETS
//
// CHECK: descriptors all in use: yes
// CHECK-NEXT: export: 0
// CHECK-NEXT: soft limit after the export: 64
// CHECK-NEXT: still all in use: yes
// SETS: {{^}}2{{$}}
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <tprof/tprof.h>

__attribute__((noinline)) int work(int x) {
  volatile int s = 0;
  for (int i = 0; i < x; i++) s += i;
  return s;
}

int main(void) {
  struct rlimit rl = {64, 128};
  if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return 2;
  while (open("/dev/null", O_RDONLY) >= 0) continue;
  printf("descriptors all in use: %s\n", errno == EMFILE ? "yes" : "no");
  for (int i = 0; i < 100; i++) work(i);
  printf("export: %d\n", tprof_export(NULL, 0));
  getrlimit(RLIMIT_NOFILE, &rl);
  printf("soft limit after the export: %llu\n", (unsigned long long)rl.rlim_cur);
  printf("still all in use: %s\n", open("/dev/null", O_RDONLY) < 0 && errno == EMFILE ? "yes" : "no");
  fflush(stdout);
  work(5); /* something new for the exit's set */
  return 0;
}
