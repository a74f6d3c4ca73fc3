// For leave_loop_exit.test, leave_loop_longjmp.test and
// leave_loop_signal.test: calls a tiny leaf in a loop until the n-th call,
// then leaves the loop by exit(), longjmp or raise(SIGTERM). Two loops: in
// spin, the optimiser knows the trip count (n), and the inlined leaf's
// counter adds it on the way out of the loop; in spin_stepped, whose step
// it cannot see (a third argument), the counter stays in a register and
// that register is added on the way out.
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf back;
static volatile int sink;

static int leaf(int x) { return x + 1; }

// Leaves by `how` after s calls of the leaf; never returns.
static void leave(const char *how, int s) {
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

// Calls the leaf until the n-th call, then leaves the loop by `how`.
void spin(const char *how, int n) {
  int s = 0;
  for (int i = 1;; i++) {
    s = leaf(s);
    if (i == n) leave(how, s);
  }
}

// The same with a step of d (1 in the tests) the optimiser cannot see.
void spin_stepped(const char *how, int n, int d) {
  int s = 0;
  for (int i = 1;; i += d) {
    s = leaf(s);
    if (i == n) leave(how, s);
  }
}

int main(int argc, char **argv) {
  if (argc < 3)
    return 2;
  int n = atoi(argv[2]);
  int got = setjmp(back);
  if (got == 0 && argc > 3)
    spin_stepped(argv[1], n, atoi(argv[3]));
  else if (got == 0)
    spin(argv[1], n);
  int s = 0;
  for (int i = 0; i < 7; i++)
    s = leaf(s);
  sink = s;
  printf("came back after %d\n", got);
  return 0;
}
