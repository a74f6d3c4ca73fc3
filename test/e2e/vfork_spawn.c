// vfork, posix_spawn and system(): the program mallocs 100 bytes (kept),
// calls work() 100 times, then starts /bin/true three ways. A vfork child
// shares the parent's memory until its exec, so nothing it does before the
// exec may touch the parent's books or files: the only file set is the
// parent's, written at its exit, under its pid.
//
// ThreadSanitizer replaces vfork with fork (a forked child writes its own
// set, by design: fork.c).
// UNSUPPORTED: sanitizer-thread
// RUN: rm -rf %t.O0 %t.O2
// RUN: %tprof_cc -O0 -g %s %tprof_rt_static -o %t.O0.exe
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.O2.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe > %t.O0.out
// RUN: %FileCheck %s < %t.O0.out
// RUN: %tpexpect %t.O0 --vars %t.O0.out --from %s
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe > %t.O2.out
// RUN: %FileCheck %s < %t.O2.out
// RUN: %tpexpect %t.O2 --vars %t.O2.out --from %s
//
// CHECK: vfork 0 spawn 0 system 0
// EXPECT: sets() == 1
// EXPECT: g("pid") == pid
// EXPECT: g("export_reason") == "exit"
// EXPECT: f("work", "calls") == 100
// EXPECT: g("heap.live_blocks") == 1 and g("heap.current_bytes") == 100
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static volatile int sink;
static char *volatile keep; /* volatile: kept to the end, never read */

__attribute__((noinline)) void work(int i) { sink += i; }

static int status_of(pid_t pid) {
  int st = -1;
  if (pid < 0 || waitpid(pid, &st, 0) != pid) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(void) {
  keep = malloc(100);
  for (int i = 0; i < 100; i++) work(i);
  char *argv[] = {"/bin/true", NULL};
  pid_t child = vfork();
  if (child == 0) {
    execv("/bin/true", argv);
    _exit(127);
  }
  int v = status_of(child);
  pid_t spawned = -1;
  int s = posix_spawn(&spawned, "/bin/true", NULL, NULL, argv, environ) == 0 ? status_of(spawned) : -1;
  int y = system("/bin/true");
  printf("vfork %d spawn %d system %d\npid=%d\n", v, s, WIFEXITED(y) ? WEXITSTATUS(y) : -1, (int)getpid());
  /* keep stays allocated: one live block of 100 bytes */
  return 0;
}
