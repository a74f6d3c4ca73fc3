/* Replaces malloc and its relatives (forwarding to glibc's) and counts the
 * calls made on threads whose name starts with "tprof-snapshot" (`watched`),
 * including glibc's own internal ones (opendir's buffer: glibc calls a
 * replaced malloc for its internal allocations). At exit prints
 * "heap calls on tprof-snapshot*: N". Built without the pass. */
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

static const char watched[] = "tprof-snapshot";
static unsigned long watched_calls;

static void count(void) {
  char name[17] = {0};
  if (prctl(PR_GET_NAME, name) == 0 && strncmp(name, watched, sizeof watched - 1) == 0)
    __atomic_add_fetch(&watched_calls, 1, __ATOMIC_RELAXED);
}

void *malloc(size_t n) {
  count();
  return __libc_malloc(n);
}
void *calloc(size_t n, size_t size) {
  count();
  return __libc_calloc(n, size);
}
void *realloc(void *p, size_t n) {
  count();
  return __libc_realloc(p, n);
}
void free(void *p) {
  if (p) count();
  __libc_free(p);
}
void *memalign(size_t align, size_t n) {
  count();
  return __libc_memalign(align, n);
}
int posix_memalign(void **out, size_t align, size_t n) {
  count();
  void *p = __libc_memalign(align, n);
  if (!p) return 12; /* ENOMEM */
  *out = p;
  return 0;
}
void *aligned_alloc(size_t align, size_t n) {
  count();
  return __libc_memalign(align, n);
}

__attribute__((destructor)) static void report(void) {
  printf("heap calls on %s*: %lu\n", watched, __atomic_load_n(&watched_calls, __ATOMIC_RELAXED));
  fflush(stdout);
}
