/* Computed goto, setjmp/longjmp, noreturn functions, deep recursion. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

int interpret(const unsigned char *code) {
  static void *ops[] = {&&op_inc, &&op_dbl, &&op_end};
  int acc = 0;
  goto *ops[*code];
op_inc:
  acc++;
  goto *ops[*++code];
op_dbl:
  acc *= 2;
  goto *ops[*++code];
op_end:
  return acc;
}

static jmp_buf env;
__attribute__((noreturn)) void bail(int code) { longjmp(env, code); }
int dive(int n) {
  if (n == 0) bail(7);
  return dive(n - 1) + 1;
}

__attribute__((noreturn)) void finish(int s) {
  printf("%d\n", s);
  exit(0);
}

int depth(int n) { return n ? depth(n - 1) + 1 : 0; }

int main(void) {
  static const unsigned char prog[] = {0, 0, 1, 0, 1, 2};
  int s = interpret(prog);
  for (int i = 0; i < 3; i++) {
    int r = setjmp(env);
    if (r == 0) dive(50);
    else s += r;
  }
  s += depth(20000);
  finish(s);
}
