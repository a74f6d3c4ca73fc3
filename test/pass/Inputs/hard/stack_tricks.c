/* Variable-length arrays, alloca, naked functions, musttail-friendly tail calls. */
#include <alloca.h>
#include <stdio.h>
#include <string.h>

int vla_sum(int n) {
  int a[n];
  for (int i = 0; i < n; i++) a[i] = i * i;
  int s = 0;
  for (int i = 0; i < n; i++) s += a[i];
  return s;
}

int alloca_len(const char *s) {
  char *copy = alloca(strlen(s) + 1);
  strcpy(copy, s);
  return (int)strlen(copy);
}

/* A naked function has no prologue: the pass must leave it alone. */
__attribute__((naked)) int naked_seven(void) { __asm__("movl $7, %eax\n\tret"); }

int countdown(int n, int acc) {
  if (n == 0) return acc;
  return countdown(n - 1, acc + n);
}

int main(void) {
  int s = 0;
  for (int n = 1; n < 50; n++) s += vla_sum(n) + alloca_len("hello, world");
  s += naked_seven() + countdown(1000, 0);
  printf("%d\n", s);
  return 0;
}
