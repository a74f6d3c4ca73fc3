// For leave_loop_exit.test, leave_loop_longjmp.test and
// leave_loop_signal.test: calls a tiny leaf in a loop until the n-th call,
// then leaves the loop by exit(), longjmp or raise(SIGTERM).
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf back;
static volatile int sink;

static int leaf(int x) { return x + 1; }

// Calls the leaf until the n-th call, then leaves the loop by `how`.
void spin(const char *how, int n) {
  int s = 0;
  for (int i = 1;; i++) {
    s = leaf(s);
    if (i == n) {
      sink = s;
      if (strcmp(how, "exit") == 0) {
        printf("leaving by exit after %d\n", s);
        fflush(stdout);
        exit(0);
      }
      if (strcmp(how, "signal") == 0) {
        printf("leaving by signal after %d\n", s);
        fflush(stdout);
        raise(SIGTERM);
      }
      longjmp(back, s);
    }
  }
}

int main(int argc, char **argv) {
  if (argc < 3)
    return 2;
  int n = atoi(argv[2]);
  int got = setjmp(back);
  if (got == 0)
    spin(argv[1], n);
  int s = 0;
  for (int i = 0; i < 7; i++)
    s = leaf(s);
  sink = s;
  printf("came back after %d\n", got);
  return 0;
}
