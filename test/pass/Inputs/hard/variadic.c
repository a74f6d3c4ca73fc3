/* Variadic functions, calls through function pointers, weak and static inline functions. */
#include <stdarg.h>
#include <stdio.h>

int sum(int n, ...) {
  va_list ap;
  va_start(ap, n);
  int s = 0;
  for (int i = 0; i < n; i++) s += va_arg(ap, int);
  va_end(ap);
  return s;
}

static int fmt(char *buf, size_t n, const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  int r = vsnprintf(buf, n, f, ap);
  va_end(ap);
  return r;
}

__attribute__((weak)) int weak_hook(int x) { return x * 3; }
static inline int tiny(int x) { return x + 1; }
__attribute__((always_inline)) static inline int forced(int x) { return x * x; }

typedef int (*unary)(int);
int apply(unary f, int x) { return f(x); }

int main(void) {
  char buf[64];
  unary fns[] = {weak_hook, tiny};
  int s = sum(4, 1, 2, 3, 4) + sum(0);
  for (int i = 0; i < 10; i++) s += apply(fns[i & 1], i) + forced(i);
  fmt(buf, sizeof buf, "%d-%s", s, "ok");
  puts(buf);
  return 0;
}
