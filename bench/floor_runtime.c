/*
 * The floor: a stand-in for libtprof_rt that does only what any profiler
 * with tprof's semantics must do, and nothing else. Linked with the same
 * pass-instrumented objects instead of libtprof_rt, its overhead is "what the
 * timestamp reads and allocation-table updates alone cost":
 *   - enter: one rdtsc pushed on a per-thread frame stack;
 *   - exit: one rdtsc and one add (elapsed time into a per-thread total);
 *   - allocation hooks: the real allocator, plus an insert into (or a removal
 *     from) an open-addressing hash table of live blocks (pointer -> size,
 *     linear probing, backward-shift deletion, doubled at half load, so it
 *     is sized for the live set) and the current/peak byte counters;
 *   - registration and everything else: nothing (no ids, no per-function
 *     figures, no export; the pass's inline counters count as they would
 *     with the runtime).
 * Not thread-safe (the allocation table has no lock): the benchmark
 * workloads are single-threaded. FLOOR_REPORT=1 prints the totals at exit.
 */
#include "tprof/abi.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

/* ---- calls ---- */
#define DEPTH 65536
static __thread uint64_t frames[DEPTH];
static __thread uint32_t top;
static __thread uint64_t total_ticks;

void __tprof_func_enter(tprof_func_record *rec) {
  (void)rec;
  uint32_t d = top++;
  if (d < DEPTH) frames[d] = __rdtsc();
}

void __tprof_func_exit(tprof_func_record *rec) {
  (void)rec;
  uint64_t t = __rdtsc();
  uint32_t d = --top;
  if (d < DEPTH) total_ticks += t - frames[d];
}

/* The hooks of the functions that do not test the guard themselves (abi.h):
 * the same work, the guard being always set here. */
uint32_t __tprof_func_enter_checked(tprof_func_record *rec) {
  __tprof_func_enter(rec);
  return 1;
}

void __tprof_func_exit_checked(tprof_func_record *rec, uint32_t entered) {
  if (entered) __tprof_func_exit(rec);
}

void __tprof_before_exec(void) {}
void __tprof_before_exit(void) {}

#if TPROF_ABI_VERSION >= 2
/* ABI v2: the pass's guards read this byte before every hook call, and the
 * module constructors register their records. The floor times every call
 * from the first, keeps no records, and unwinds its frame stack after a
 * longjmp as the runtime does. */
uint8_t __tprof_hooks_on = 1;
void __tprof_register_module(tprof_module_record *m) { (void)m; }
void __tprof_unregister_module(tprof_module_record *m) { (void)m; }
uint32_t __tprof_depth(void) { return top; }
void __tprof_unwind(uint32_t depth) {
  if (depth < top) top = depth;
}
#endif

/* ---- live blocks ---- */
typedef struct {
  void *p;
  size_t size;
} slot;
static slot *table;
static size_t cap, used; /* cap: a power of two */
static uint64_t allocs, frees, cur_bytes, peak_bytes;

static inline size_t hash(const void *p, size_t mask) {
  /* Address order: blocks allocated together land in neighbouring slots, so
   * the table stays in cache for allocation patterns like a tree build (a
   * multiplicative hash costs a cache miss per insert and per removal). */
  return (size_t)((uintptr_t)p >> 4) & mask;
}

static void put(void *p, size_t size);

static void grow(void) {
  slot *old = table;
  size_t oldcap = cap;
  cap = cap ? cap * 2 : 1024;
  table = calloc(cap, sizeof *table);
  if (!table) abort();
  used = 0;
  for (size_t i = 0; i < oldcap; i++)
    if (old[i].p) put(old[i].p, old[i].size);
  free(old);
}

static void put(void *p, size_t size) {
  if (2 * (used + 1) > cap) grow();
  size_t mask = cap - 1, i = hash(p, mask);
  while (table[i].p) i = (i + 1) & mask;
  table[i].p = p;
  table[i].size = size;
  used++;
}

static void track(void *p, size_t size) {
  if (!p) return;
  put(p, size);
  allocs++;
  cur_bytes += size;
  if (cur_bytes > peak_bytes) peak_bytes = cur_bytes;
}

static void untrack(void *p) {
  if (!p || !cap) return;
  size_t mask = cap - 1, i = hash(p, mask);
  while (table[i].p != p) {
    if (!table[i].p) return; /* not ours */
    i = (i + 1) & mask;
  }
  cur_bytes -= table[i].size;
  frees++;
  used--;
  /* backward-shift deletion */
  size_t j = i;
  for (;;) {
    j = (j + 1) & mask;
    if (!table[j].p) break;
    size_t h = hash(table[j].p, mask);
    if (((j - h) & mask) >= ((j - i) & mask)) {
      table[i] = table[j];
      i = j;
    }
  }
  table[i].p = NULL;
}

void *__tprof_malloc(size_t size, tprof_site_record *site) {
  (void)site;
  void *p = malloc(size);
  track(p, size);
  return p;
}

void *__tprof_calloc(size_t n, size_t size, tprof_site_record *site) {
  (void)site;
  void *p = calloc(n, size);
  track(p, n * size);
  return p;
}

void *__tprof_realloc(void *ptr, size_t size, tprof_site_record *site) {
  (void)site;
  void *p = realloc(ptr, size);
  if (p || size == 0) {
    untrack(ptr);
    track(p, size);
  }
  return p;
}

void *__tprof_reallocarray(void *ptr, size_t n, size_t size, tprof_site_record *site) {
  if (size && n > SIZE_MAX / size) {
    errno = ENOMEM;
    return NULL;
  }
  return __tprof_realloc(ptr, n * size, site);
}

void __tprof_free(void *ptr, tprof_site_record *site) {
  (void)site;
  untrack(ptr);
  free(ptr);
}

void *__tprof_aligned_alloc(size_t alignment, size_t size, tprof_site_record *site) {
  (void)site;
  void *p = aligned_alloc(alignment, size);
  track(p, size);
  return p;
}

int __tprof_posix_memalign(void **out, size_t alignment, size_t size, tprof_site_record *site) {
  (void)site;
  int rc = posix_memalign(out, alignment, size);
  if (rc == 0) track(*out, size);
  return rc;
}

extern void *memalign(size_t alignment, size_t size);
extern void *valloc(size_t size);

void *__tprof_memalign(size_t alignment, size_t size, tprof_site_record *site) {
  (void)site;
  void *p = memalign(alignment, size);
  track(p, size);
  return p;
}

void *__tprof_valloc(size_t size, tprof_site_record *site) {
  (void)site;
  void *p = valloc(size);
  track(p, size);
  return p;
}

char *__tprof_strdup(const char *s, tprof_site_record *site) {
  (void)site;
  char *p = strdup(s);
  if (p) track(p, strlen(p) + 1);
  return p;
}

char *__tprof_strndup(const char *s, size_t n, tprof_site_record *site) {
  (void)site;
  char *p = strndup(s, n);
  if (p) track(p, strlen(p) + 1);
  return p;
}

__attribute__((destructor)) static void report(void) {
  if (getenv("FLOOR_REPORT"))
    fprintf(stderr, "floor: %llu ticks in calls (main thread), %llu allocations, %llu frees, peak %llu bytes\n",
            (unsigned long long)total_ticks, (unsigned long long)allocs, (unsigned long long)frees,
            (unsigned long long)peak_bytes);
}
