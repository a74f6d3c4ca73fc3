/* Heap tracking: the allocation hooks call libc, then record the event.
 *
 * Live blocks live in an open-addressing table keyed by address (size, site,
 * and whether they predate the last reset, packed in 16 bytes), sized for
 * the live set: it doubles when half full. While the process has one thread nothing is locked;
 * once a second thread exists a spinlock guards the table and the counters.
 *
 * Ordering rule that keeps the table exact across threads: a block leaves
 * the table BEFORE libc may hand its address to someone else (before free,
 * before realloc), and enters it AFTER libc returned it. */
#include "internal.h"

#include <malloc.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/single_threaded.h>

static volatile int heap_spin;

/* glibc clears __libc_single_threaded in pthread_create before the new
 * thread runs, and only the one existing thread can be creating it, so no
 * other thread can be inside the table when the locking starts. Returns
 * whether it locked, for the matching unlock. A holder that was preempted
 * would make waiters spin for a whole time slice: after a short spin,
 * waiters give the CPU away. */
static inline int heap_lock(void) {
  if (TPROF_LIKELY(__libc_single_threaded))
    return 0;
  while (__atomic_exchange_n(&heap_spin, 1, __ATOMIC_ACQUIRE))
    for (unsigned spins = 0; __atomic_load_n(&heap_spin, __ATOMIC_RELAXED); spins++) {
      if (spins < 256)
        __builtin_ia32_pause();
      else
        sched_yield();
    }
  return 1;
}
static inline void heap_unlock(int locked) {
  if (locked)
    __atomic_store_n(&heap_spin, 0, __ATOMIC_RELEASE);
}

/* ---- live-block table ----
 * Open addressing with linear probing, indexed by address order: blocks the
 * allocator hands out one after another land in neighbouring slots, so a
 * program that allocates and frees in bulk (a tree, a grid) walks the table
 * like the heap itself instead of missing the cache on every event (a
 * multiplicative hash cost about 100 ns per event on a 131,071-node tree).
 * The bits above the first megabyte are folded in so that regions a
 * multiple of the table apart do not pile up on the same slots. Deletion
 * shifts the following entries back (no tombstones), so the table never
 * fills with dead slots and is resized only by the live set. */
#define EMPTY 0u
/* 16 bytes a block, so four share a cache line: the table is probed at the
 * heap's own spread of addresses, and its size is what misses the cache. */
typedef struct block {
  uintptr_t addr;
  uint64_t meta; /* size (bits 0-42) | site (43-62) | allocated before the last reset (63) */
} block;
#define SIZE_BITS 43 /* 8 TiB: more than a single allocation can get on x86-64 */
#define SIZE_MASK ((UINT64_C(1) << SIZE_BITS) - 1)
#define OLD_BIT (UINT64_C(1) << 63)
static inline block make_block(uintptr_t addr, uint64_t size, uint32_t site) {
  return (block){addr, (size > SIZE_MASK ? SIZE_MASK : size) | (uint64_t)(site & (TPROF_MAX_IDS - 1)) << SIZE_BITS};
}
static inline uint64_t block_size(const block *b) { return b->meta & SIZE_MASK; }
static inline uint32_t block_site(const block *b) { return (uint32_t)(b->meta >> SIZE_BITS) & (TPROF_MAX_IDS - 1); }
static inline int block_current(const block *b) { return !(b->meta & OLD_BIT); }
static block *table;
static size_t table_cap, table_live;

static inline size_t slot_of(uintptr_t a, size_t cap) { return (size_t)((a >> 4) ^ (a >> 20)) & (cap - 1); }

static int table_rehash(size_t cap) {
  block *fresh = tprof_mem_alloc_temp(cap * sizeof *fresh);
  if (!fresh)
    return -1;
  for (size_t i = 0; i < table_cap; i++)
    if (table[i].addr != EMPTY) {
      size_t j = slot_of(table[i].addr, cap);
      while (fresh[j].addr != EMPTY) j = (j + 1) & (cap - 1);
      fresh[j] = table[i];
    }
  tprof_mem_free(table);
  table = fresh;
  table_cap = cap;
  return 0;
}

/* Inserts b. When the table already holds b.addr, that entry is stale (the
 * allocator handed the address out again, so the old block was freed by
 * code tprof does not see, e.g. a library not compiled with the pass): it
 * is replaced and returned in *stale (return 1). Returns 0 when inserted
 * with nothing replaced, -1 when out of memory. Kept at most half full. */
static int table_insert(block b, block *stale) {
  if ((table_live + 1) * 2 > table_cap) {
    size_t cap = table_cap ? table_cap * 2 : 4096;
    if (table_rehash(cap) != 0)
      return -1;
  }
  size_t i = slot_of(b.addr, table_cap);
  for (; table[i].addr != EMPTY; i = (i + 1) & (table_cap - 1))
    if (table[i].addr == b.addr) {
      *stale = table[i];
      table[i] = b;
      return 1;
    }
  table[i] = b;
  table_live++;
  return 0;
}

/* Removes a; returns 1 and the block when it was there. The entries after
 * it that probed past its slot move back into the gap. */
static int table_remove(uintptr_t a, block *out) {
  if (!table_cap)
    return 0;
  size_t mask = table_cap - 1, i = slot_of(a, table_cap);
  while (table[i].addr != a) {
    if (table[i].addr == EMPTY)
      return 0;
    i = (i + 1) & mask;
  }
  *out = table[i];
  table_live--;
  for (size_t j = (i + 1) & mask; table[j].addr != EMPTY; j = (j + 1) & mask) {
    size_t home = slot_of(table[j].addr, table_cap);
    /* j's entry may fill the gap at i when its home is not in (i, j] */
    if (((j - home) & mask) >= ((j - i) & mask)) {
      table[i] = table[j];
      i = j;
    }
  }
  table[i].addr = EMPTY;
  return 1;
}

/* ---- counters, sites, traces ---- */
static tprof_heap_totals totals;
static tprof_site_stat *site_stats;
static uint32_t site_stats_cap;
static tprof_trace *traces;
static size_t traces_cap, traces_len;
static uint64_t event_seq;

enum event { EV_MALLOC, EV_CALLOC, EV_REALLOC, EV_FREE, EV_ALIGNED_ALLOC, EV_POSIX_MEMALIGN,
             EV_MEMALIGN, EV_VALLOC, EV_REALLOCARRAY, EV_STRDUP, EV_STRNDUP };
const char *const tprof_event_names[] = {"malloc", "calloc", "realloc", "free", "aligned_alloc",
                                         "posix_memalign", "memalign", "valloc", "reallocarray",
                                         "strdup", "strndup"};

static tprof_site_stat *site_stat(uint32_t site) {
  if (TPROF_UNLIKELY(site >= site_stats_cap)) {
    uint32_t cap = site_stats_cap ? site_stats_cap : 256;
    while (cap <= site) cap *= 2;
    tprof_site_stat *p = tprof_mem_realloc(site_stats, cap * sizeof *p); /* zeroed beyond the copy */
    if (!p)
      return NULL;
    site_stats = p;
    site_stats_cap = cap;
  }
  return &site_stats[site];
}

/* Who is calling, for the traces: tprof's thread number, fixed before the
 * lock is taken (a thread's first event makes its state, which allocates). */
static inline tprof_thread *calling_thread(void) {
  tprof_thread *t = tprof_current_thread();
  return TPROF_LIKELY(t != NULL) ? t : tprof_thread_self();
}
static inline uint32_t thread_number(void) {
  tprof_thread *t = calling_thread();
  return t ? t->number : 0;
}

static void trace(enum event ev, uint64_t size, uintptr_t addr, uint32_t site, uint32_t thread) {
  event_seq++;
  if (traces_len >= traces_cap) {
    totals.dropped_traces++;
    return;
  }
  traces[traces_len++] = (tprof_trace){event_seq, tprof_now(), size, addr, site, thread, (uint8_t)ev};
  totals.traced_events = traces_len;
}

static inline uint32_t site_id(tprof_site_record *site) {
  uint32_t id = __atomic_load_n(&site->id, __ATOMIC_RELAXED);
  if (TPROF_UNLIKELY(id == 0))
    id = tprof_register_site(site);
  return id == TPROF_REJECTED ? 0 : id;
}

/* A block of this measurement leaves the books (heap lock held). */
static void count_free_locked(const block *b) {
  if (!block_current(b)) /* allocated before the last reset: not counted */
    return;
  totals.deallocation_count++;
  totals.freed_bytes += block_size(b);
  totals.current_bytes -= block_size(b);
  totals.live_blocks--;
  tprof_site_stat *st = site_stat(block_site(b));
  if (st) {
    st->deallocations++;
    st->live_blocks--;
    st->live_bytes -= block_size(b);
  }
}

/* A successful allocation (heap lock held). */
static void count_alloc_locked(enum event ev, void *p, uint64_t size, uint32_t s, uint32_t thread) {
  totals.allocation_count++;
  totals.allocated_bytes += size;
  totals.current_bytes += size;
  totals.live_blocks++;
  if (totals.current_bytes > totals.peak_bytes)
    totals.peak_bytes = totals.current_bytes;
  tprof_site_stat *st = site_stat(s);
  if (st) {
    st->allocations++;
    st->allocated_bytes += size;
    st->live_blocks++;
    st->live_bytes += size;
  }
  block stale;
  if (table_insert(make_block((uintptr_t)p, size, s), &stale) == 1)
    count_free_locked(&stale); /* freed where tprof could not see it */
  trace(ev, size, (uintptr_t)p, s, thread);
}

static void record_alloc(enum event ev, void *p, uint64_t size, tprof_site_record *site) {
  uint32_t s = site_id(site);
  tprof_thread *t = calling_thread();
  int locked = heap_lock();
  if (!p)
    totals.failed_allocations++;
  else
    count_alloc_locked(ev, p, size, s, t ? t->number : 0);
  heap_unlock(locked);
  if (p)
    tprof_node_note_alloc(t, size);
}

#define TRACKING TPROF_LIKELY(tprof_mem_on)

TPROF_EXPORT void *__tprof_malloc(size_t size, tprof_site_record *site) {
  void *p = malloc(size);
  if (TRACKING) record_alloc(EV_MALLOC, p, size, site);
  return p;
}

TPROF_EXPORT void *__tprof_calloc(size_t n, size_t size, tprof_site_record *site) {
  void *p = calloc(n, size);
  if (TRACKING) record_alloc(EV_CALLOC, p, (uint64_t)n * size, site);
  return p;
}

TPROF_EXPORT void *__tprof_aligned_alloc(size_t alignment, size_t size, tprof_site_record *site) {
  void *p = aligned_alloc(alignment, size);
  if (TRACKING) record_alloc(EV_ALIGNED_ALLOC, p, size, site);
  return p;
}

TPROF_EXPORT int __tprof_posix_memalign(void **out, size_t alignment, size_t size, tprof_site_record *site) {
  int rc = posix_memalign(out, alignment, size);
  if (TRACKING) record_alloc(EV_POSIX_MEMALIGN, rc == 0 ? *out : NULL, size, site);
  return rc;
}

TPROF_EXPORT void *__tprof_memalign(size_t alignment, size_t size, tprof_site_record *site) {
  void *p = memalign(alignment, size);
  if (TRACKING) record_alloc(EV_MEMALIGN, p, size, site);
  return p;
}

TPROF_EXPORT void *__tprof_valloc(size_t size, tprof_site_record *site) {
  void *p = valloc(size);
  if (TRACKING) record_alloc(EV_VALLOC, p, size, site);
  return p;
}

TPROF_EXPORT char *__tprof_strdup(const char *s, tprof_site_record *site) {
  char *p = strdup(s);
  if (TRACKING) record_alloc(EV_STRDUP, p, p ? strlen(p) + 1 : 0, site);
  return p;
}

TPROF_EXPORT char *__tprof_strndup(const char *s, size_t n, tprof_site_record *site) {
  char *p = strndup(s, n);
  if (TRACKING) record_alloc(EV_STRNDUP, p, p ? strlen(p) + 1 : 0, site);
  return p;
}

/* The block leaves the table before free(): once freed, its address may be
 * handed to another thread, whose insert must not meet our entry. */
TPROF_EXPORT void __tprof_free(void *p, tprof_site_record *site) {
  if (p && TRACKING) {
    uint32_t s = site_id(site), thread = thread_number();
    int locked = heap_lock();
    block b;
    if (table_remove((uintptr_t)p, &b)) {
      if (block_current(&b))
        trace(EV_FREE, block_size(&b), (uintptr_t)p, s, thread);
      count_free_locked(&b);
    } else {
      totals.untracked_frees++;
    }
    heap_unlock(locked);
  }
  free(p);
}

/* realloc of a live block counts as one free and one allocation (and one
 * reallocation), as valgrind's memcheck counts it; realloc(NULL, n) is an
 * allocation; realloc(p, 0) that frees p is a deallocation; a realloc that
 * fails leaves the old block live. The old block leaves the table before
 * libc's realloc may release its address, and comes back if it failed. */
typedef struct realloc_state {
  block old;
  int known, tracking;
  uint32_t site, thread;
} realloc_state;

static void realloc_begin(realloc_state *st, void *old, tprof_site_record *site) {
  st->tracking = TRACKING;
  st->known = 0;
  if (!st->tracking || !old)
    return;
  st->site = site_id(site);
  st->thread = thread_number();
  int locked = heap_lock();
  st->known = table_remove((uintptr_t)old, &st->old);
  heap_unlock(locked);
}

/* failed: the call did not free `old` (p is NULL for a non-zero size, or
 * the size computation overflowed). */
static void realloc_end(realloc_state *st, enum event ev, uintptr_t old, void *p, uint64_t size, int failed,
                        tprof_site_record *site) {
  if (!st->tracking)
    return;
  if (old == 0) {
    record_alloc(ev, p, size, site);
    return;
  }
  block stale;
  int locked = heap_lock();
  if (failed) {
    totals.failed_allocations++;
    if (st->known && table_insert(st->old, &stale) == 1)
      count_free_locked(&stale);
  } else {
    if (!st->known)
      totals.untracked_frees++;
    else {
      if (block_current(&st->old))
        trace(ev, block_size(&st->old), old, st->site, st->thread); /* the release half */
      count_free_locked(&st->old);
    }
    if (p) {
      totals.reallocation_count++;
      count_alloc_locked(ev, p, size, st->site, st->thread);
    }
  }
  heap_unlock(locked);
  if (!failed && p)
    tprof_node_note_alloc(tprof_current_thread(), size);
}

/* The old address as a plain number: after the call it is only a table key.
 * The empty asm hides its provenance from gcc 12, whose -Wuse-after-free
 * otherwise flags every later use of the number. */
static inline uintptr_t address_value(const void *p) {
  uintptr_t v = (uintptr_t)p;
  __asm__("" : "+r"(v));
  return v;
}

TPROF_EXPORT void *__tprof_realloc(void *old, size_t size, tprof_site_record *site) {
  realloc_state st;
  uintptr_t key = address_value(old);
  realloc_begin(&st, old, site);
  void *p = realloc(old, size);
  realloc_end(&st, EV_REALLOC, key, p, size, !p && size != 0, site);
  return p;
}

TPROF_EXPORT void *__tprof_reallocarray(void *old, size_t n, size_t size, tprof_site_record *site) {
  size_t bytes;
  int overflow = __builtin_mul_overflow(n, size, &bytes);
  realloc_state st;
  uintptr_t key = address_value(old);
  realloc_begin(&st, old, site);
  void *p = reallocarray(old, n, size);
  realloc_end(&st, EV_REALLOCARRAY, key, p, overflow ? 0 : bytes, !p && (overflow || bytes != 0), site);
  return p;
}

/* ---- fork: no thread may be inside the table while the process forks ---- */
static int fork_locked;
void tprof_heap_fork_prepare(void) { fork_locked = heap_lock(); }
void tprof_heap_fork_parent(void) { heap_unlock(fork_locked); }
void tprof_heap_fork_child(void) {
  /* the child has one thread: a lock held by another thread is gone */
  __atomic_store_n(&heap_spin, 0, __ATOMIC_RELEASE);
}

/* ---- for the exporter and the API ---- */
void tprof_heap_totals_get(tprof_heap_totals *out) {
  int locked = heap_lock();
  *out = totals; /* live_blocks is kept as blocks come and go: no table scan */
  heap_unlock(locked);
}

void tprof_heap_sites_get(tprof_site_stat *out, uint32_t n) {
  int locked = heap_lock();
  for (uint32_t i = 0; i < n; i++)
    out[i] = i < site_stats_cap ? site_stats[i] : (tprof_site_stat){0};
  heap_unlock(locked);
}

size_t tprof_heap_traces_get(tprof_trace **out) {
  int locked = heap_lock();
  size_t n = traces_len;
  *out = tprof_mem_alloc_temp((n ? n : 1) * sizeof **out);
  if (*out)
    memcpy(*out, traces, n * sizeof **out);
  else
    n = 0;
  heap_unlock(locked);
  return n;
}

void tprof_heap_configure_traces(void) {
  int locked = heap_lock();
  size_t want = (size_t)tprof_cfg.max_traced_allocations;
  if (want != traces_cap) {
    tprof_trace *p = want ? tprof_mem_realloc(traces, want * sizeof *p) : NULL;
    if (want && !p) {
      heap_unlock(locked);
      tprof_warn("cannot reserve %zu allocation traces; keeping %zu", want, traces_cap);
      return;
    }
    if (!want) tprof_mem_free(traces);
    traces = p;
    traces_cap = want;
    if (traces_len > traces_cap) traces_len = traces_cap;
  }
  heap_unlock(locked);
}

void tprof_heap_reset(void) {
  int locked = heap_lock();
  memset(&totals, 0, sizeof totals);
  if (site_stats)
    memset(site_stats, 0, site_stats_cap * sizeof *site_stats);
  traces_len = 0;
  event_seq = 0;
  for (size_t i = 0; i < table_cap; i++) /* live blocks stay known, no longer counted */
    table[i].meta |= OLD_BIT;
  heap_unlock(locked);
}
