/* The runtime's own memory, taken from the kernel with mmap and never from
 * the program's heap: tprof does not change what the program's allocator
 * does, its figures match tools that watch the heap (valgrind's memcheck),
 * and its own footprint can be reported. Small blocks come from 1 MiB arenas
 * and are never returned (names, records); large ones have their own
 * mapping and are unmapped when freed. */
#include "internal.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_SIZE (1u << 20)
#define ARENA_STEP (16u << 10)
#define LARGE (64u << 10)
#define HEADER 16u /* keeps 16-byte alignment */

typedef struct header {
  uint64_t size; /* bytes after the header; 0 for arena blocks */
  uint64_t mapped;
} header;

static pthread_mutex_t memory_mutex = PTHREAD_MUTEX_INITIALIZER;
static char *arena;
static size_t arena_size = ARENA_SIZE, arena_used = ARENA_SIZE;
/* Once the hot range exists (below), the arena's next block starts a chunk
 * of ARENA_HOT bytes there: a profiled run's records, names and tables
 * (~140 KiB of arena for the grid bench) then share its huge page. */
#define ARENA_HOT ((size_t)256 << 10)
static int arena_in_hot;
/* Bytes of the arena mapped in, in 16 KiB steps: with the profile off a
 * start-up uses ~3 KiB of it, and a 64 KiB step mapped 15 pages for that. */
static size_t arena_populated;
static uint64_t mapped_bytes;

/* populate: the caller fills the block (a table sized to its contents).
 * The kernel then maps its pages in one pass: half the cost of a page fault
 * per page (6.5 against 12.5 us a page on the VMs of docs/BENCHMARKS.md). */
static void *map(size_t n, int populate) {
  void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | (populate ? MAP_POPULATE : 0), -1, 0);
  if (p == MAP_FAILED) return NULL;
  /* Big tables (the live-block table of a large heap) are probed at spread
   * addresses: huge pages spare a TLB miss on most probes. */
  if (n >= (4u << 20)) madvise(p, n, MADV_HUGEPAGE);
  return p;
}

/* The hot range: 2 MiB at a 2 MiB boundary, advised for a transparent huge
 * page, shared by the buffers that a profiled run fills densely (the
 * timeline, the allocation traces, the calling-context chunks, the
 * export's output buffer and its scratch range). On the VMs of
 * docs/BENCHMARKS.md the first write to a 4 KiB page costs 5-15 us whether
 * or not it was populated ahead (the hypervisor maps it then), and a
 * profiled grid bench wrote ~350 such pages; one huge page costs about as
 * much as 15 of them, however many of its 512 pages are written
 * (bench/clock_cost.c measures both). Made by the first buffer that asks
 * (tprof_mem_hot), so a process with the profile off has none; where the
 * kernel gives no huge page (THP off, memory fragmented) the range is
 * ordinary memory, mapped page by page as before. Handed out by an atomic
 * bump, never given back: a block of it freed stays unused. */
#define HOT_SIZE ((size_t)2 << 20)
/* Sparse blocks (the calling-context chunks of a thread, the allocation
 * traces) and tprof_mem_hot's buffers up to this size come from the hot
 * range once it is made: the profile is on, and they fill as densely as
 * the rest of it. A bigger capacity may stay mostly empty: a mapping of
 * its own. */
#define HOT_SPARSE_MAX (HOT_SIZE / 4)
/* header.mapped of a hot block: neither an arena block's (0), a mapping's
 * (a multiple of 4096) nor a scratch block's (bit 0 set) */
#define HOT_MARK 2u
#define HOT_NONE ((char *)1)
static char *hot_base; /* NULL: not made yet; HOT_NONE: could not be */
static size_t hot_used;

static char *hot_range(void) {
  char *base = __atomic_load_n(&hot_base, __ATOMIC_ACQUIRE);
  if (base) return base;
  char *fresh = HOT_NONE;
  /* twice the size, then trimmed to the aligned 2 MiB inside */
  char *raw = mmap(NULL, 2 * HOT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw != MAP_FAILED) {
    fresh = (char *)(((uintptr_t)raw + HOT_SIZE - 1) & ~(uintptr_t)(HOT_SIZE - 1));
    if (fresh > raw) munmap(raw, (size_t)(fresh - raw));
    munmap(fresh + HOT_SIZE, (size_t)(raw + 2 * HOT_SIZE - (fresh + HOT_SIZE)));
    madvise(fresh, HOT_SIZE, MADV_HUGEPAGE); /* EINVAL without THP: ordinary pages */
  }
  char *expected = NULL;
  if (__atomic_compare_exchange_n(&hot_base, &expected, fresh, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    if (fresh != HOT_NONE) __atomic_add_fetch(&mapped_bytes, HOT_SIZE, __ATOMIC_RELAXED);
    return fresh;
  }
  if (fresh != HOT_NONE) munmap(fresh, HOT_SIZE); /* another thread made it first */
  return expected;
}

/* Buffers made after the first export (its own output buffer, a later
 * thread's calling-context chunks, a timeline turned on later) still find
 * this much of the range: the scratch range leaves it. */
#define HOT_RESERVE ((size_t)128 << 10)

/* Claims the next bytes of the made range: as many as are left above
 * `keep`, at most `most`, or NULL when that is fewer than `least`. All
 * three and the range's use are multiples of 64, so every block is
 * 64-byte aligned. */
static char *hot_claim(size_t least, size_t most, size_t keep, size_t *got) {
  size_t used = __atomic_load_n(&hot_used, __ATOMIC_RELAXED), n;
  do {
    size_t left = HOT_SIZE - used;
    if (left < keep || left - keep < least) return NULL;
    n = left - keep < most ? left - keep : most;
  } while (!__atomic_compare_exchange_n(&hot_used, &used, used + n, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
  *got = n;
  return __atomic_load_n(&hot_base, __ATOMIC_ACQUIRE) + used;
}

/* n bytes of the hot range (made now if need be), or NULL. */
static char *hot_take(size_t n) {
  n = (n + 63) & ~(size_t)63;
  /* before the range is made: a request that cannot fit makes none */
  if (n > HOT_SIZE - __atomic_load_n(&hot_used, __ATOMIC_RELAXED)) return NULL;
  if (hot_range() == HOT_NONE) return NULL;
  size_t got;
  return hot_claim(n, n, 0, &got);
}

void tprof_mem_hot_prepare(void) { (void)hot_range(); }

int tprof_mem_hot_made(void) {
  char *base = __atomic_load_n(&hot_base, __ATOMIC_ACQUIRE);
  return base && base != HOT_NONE;
}

int tprof_mem_in_hot(const void *p) {
  const char *base = __atomic_load_n(&hot_base, __ATOMIC_ACQUIRE), *q = p;
  return base && base != HOT_NONE && q >= base && q < base + HOT_SIZE;
}

void *tprof_mem_hot(size_t n) {
  if (n > HOT_SPARSE_MAX) return NULL;
  return hot_take(n);
}

/* Freed mappings kept for the next large or temporary block: an export
 * allocates and frees dozens of them, and every fresh page costs a page
 * fault (~11 us each on the VMs of docs/BENCHMARKS.md: the grid bench's
 * export took 142 of them, a third of its time). Only blocks up to
 * CACHE_BLOCK_MAX (the live-block table's huge mappings are not kept), at
 * most CACHE_SLOTS of them; they stay counted in mapped_bytes. */
#define CACHE_SLOTS 16
/* Temporary blocks up to this size are mapped populated: they are tables
 * sized to what they will hold. A bigger one may be a capacity that stays
 * mostly empty. */
#define POPULATE_MAX (256u << 10)
#define CACHE_BLOCK_MAX (1u << 20)
static header *cached[CACHE_SLOTS];
static int keep_cached(header *h);

/* Slots are claimed with compare-and-swap, without the mutex and without
 * blocking signals (two system calls on every free of a deep stack's
 * frames otherwise). A block is only read once claimed (another thread may
 * take and unmap it meanwhile): the choice goes by its slot's size, a hint
 * that may lag its pointer, checked once the block is ours. */
static uint64_t cached_size[CACHE_SLOTS];
static int fits(uint64_t mapped, size_t total) { return mapped >= total && mapped <= 4 * total; }

/* A kept mapping of at least `total` bytes (and not more than four times
 * that), the smallest seen, taken out of the cache. */
static header *take_cached(size_t total) {
  for (int tries = 0; tries < 4; tries++) {
    int best = -1;
    header *cand = NULL;
    uint64_t cand_size = 0;
    for (int i = 0; i < CACHE_SLOTS; i++) {
      header *h = __atomic_load_n(&cached[i], __ATOMIC_ACQUIRE);
      uint64_t size = __atomic_load_n(&cached_size[i], __ATOMIC_RELAXED);
      if (h && fits(size, total) && (!cand || size < cand_size)) best = i, cand = h, cand_size = size;
    }
    if (best < 0) return NULL;
    if (__atomic_compare_exchange_n(&cached[best], &cand, NULL, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
      if (fits(cand->mapped, total)) return cand;
      if (!keep_cached(cand)) { /* another block than the hint said: back it goes */
        __atomic_sub_fetch(&mapped_bytes, cand->mapped, __ATOMIC_RELAXED);
        munmap(cand, cand->mapped);
      }
    }
  }
  return NULL;
}

/* Keeps a freed mapping when a slot is free. */
static int keep_cached(header *h) {
  uint64_t mapped = h->mapped; /* read while it is ours: once kept, another thread may take it */
  if (mapped > CACHE_BLOCK_MAX) return 0;
  for (int i = 0; i < CACHE_SLOTS; i++) {
    header *empty = NULL;
    if (__atomic_compare_exchange_n(&cached[i], &empty, h, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED)) {
      __atomic_store_n(&cached_size[i], mapped, __ATOMIC_RELAXED);
      return 1;
    }
  }
  return 0;
}

/* The export's temporaries (snapshot tables, sort buffers: 20-40 blocks
 * of 1-64 KiB, many freed soon after they are made) come from one reserved
 * range, used as a stack: a block freed at the top gives its space back at
 * once, with the freed blocks just below it; one freed lower down waits
 * until the blocks above it are gone. On the VMs of docs/BENCHMARKS.md the
 * first write to a page costs 4-10 us even when mmap populated it (the
 * hypervisor maps it then): a mapping per block (rounded up to pages, not
 * reused within an export) made the grid bench's first export touch ~100
 * fresh pages for 400 KB of short-lived tables; reused space is hot.
 * Pages are populated in SCRATCH_STEP steps as the range fills, and the
 * range is kept for the next export.
 *
 * Only the thread inside tprof_mem_scratch_begin/end uses it: the
 * exporter, one at a time (export.c's owner flag orders one exporter's
 * writes before the next one's reads), so the state is plain. */
/* or what the hot range has left above HOT_RESERVE, when that is at least SCRATCH_BLOCK_MAX */
#define SCRATCH_SIZE (2u << 20)
#define SCRATCH_STEP (64u << 10)
#define SCRATCH_BLOCK_MAX (256u << 10)
/* header.mapped of a scratch block (a real mapping's size is a multiple of
 * 4096): bit 0 set, bit 1 once freed, above: 1 + the offset of the block
 * below it (0 at the bottom). */
#define SCRATCH_MARK 1u
#define SCRATCH_FREED 2u
static char *scratch;
static size_t scratch_size;
static size_t scratch_top;       /* 1 + the top block's offset; 0: empty */
static size_t scratch_populated; /* bytes mapped in */
static size_t scratch_dirty;     /* bytes ever handed out: beyond them the range is still zero */
static __thread uint8_t scratch_scope __attribute__((tls_model("initial-exec")));

void tprof_mem_scratch_begin(void) { scratch_scope = 1; }
void tprof_mem_scratch_end(void) { scratch_scope = 0; }

static size_t block_bytes(size_t n) { return (n + HEADER + 15) & ~(size_t)15; }
static int is_scratch(const header *h) { return h->mapped & SCRATCH_MARK; }
/* Bytes from the range's start to the end of its top block. */
static size_t scratch_used(void) {
  if (!scratch_top) return 0;
  const header *top = (const header *)(scratch + scratch_top - 1);
  return scratch_top - 1 + block_bytes(top->size);
}

/* A range mapped in as it fills (the arena, the scratch range): when `used`
 * bytes pass what is mapped, one call maps the pages up to the next `step`
 * (a power of two) boundary, at most `limit`: a page fault each would cost
 * twice that. Returns the bytes it added. */
static size_t populate_to(char *base, size_t *populated, size_t used, size_t step, size_t limit) {
  if (used <= *populated) return 0;
  size_t upto = (used + step - 1) & ~(step - 1), was = *populated;
  if (upto > limit) upto = limit;
  tprof_mem_populate(base + was, base + upto);
  *populated = upto;
  return upto - was;
}

static header *scratch_take(size_t n, size_t need) {
  if (!scratch) {
    char *fresh = tprof_mem_hot_made() ? hot_claim(SCRATCH_BLOCK_MAX, SIZE_MAX, HOT_RESERVE, &scratch_size) : NULL;
    if (!fresh) {
      fresh = mmap(NULL, SCRATCH_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (fresh == MAP_FAILED) return NULL;
      scratch_size = SCRATCH_SIZE;
    }
    scratch = fresh;
  }
  size_t at = scratch_used(), end = at + need;
  if (end > scratch_size) return NULL;
  size_t added = populate_to(scratch, &scratch_populated, end, SCRATCH_STEP, scratch_size);
  if (!tprof_mem_in_hot(scratch))
    __atomic_add_fetch(&mapped_bytes, added, __ATOMIC_RELAXED); /* the range is counted whole */
  header *h = (header *)(scratch + at);
  /* zeroed as a fresh mapping would be; space never handed out still is */
  if (at < scratch_dirty) memset(h, 0, (end < scratch_dirty ? end : scratch_dirty) - at);
  if (end > scratch_dirty) scratch_dirty = end;
  h->size = n;
  h->mapped = SCRATCH_MARK | (uint64_t)scratch_top << 2;
  scratch_top = at + 1;
  return h;
}

static void scratch_release(header *h) {
  h->mapped |= SCRATCH_FREED;
  while (scratch_top) { /* pop the freed blocks off the top */
    header *top = (header *)(scratch + scratch_top - 1);
    if (!(top->mapped & SCRATCH_FREED)) break;
    scratch_top = top->mapped >> 2;
  }
}

/* A block with its header in the hot range, or NULL. */
static header *hot_block(size_t n) {
  header *h = (header *)hot_take(block_bytes(n));
  if (h) {
    h->size = n;
    h->mapped = HOT_MARK;
  }
  return h;
}

/* own_mapping: 0 arena, 1 temporary (in an export: from its scratch range), 2 temporary and sparse, 3
 * temporary and never scratch */
static void *alloc(size_t n, int own_mapping) {
  size_t need = block_bytes(n);
  header *h;
  if (own_mapping == 1 && scratch_scope && need <= SCRATCH_BLOCK_MAX && (h = scratch_take(n, need)))
    return (char *)h + HEADER;
  if (own_mapping == 2 && need <= HOT_SPARSE_MAX && tprof_mem_hot_made() && (h = hot_block(n)))
    return (char *)h + HEADER;
  if (own_mapping || need >= LARGE) {
    size_t total = (need + 4095) & ~(size_t)4095;
    h = total <= CACHE_BLOCK_MAX ? take_cached(total) : NULL;
    if (h) { /* zeroed as a fresh mapping would be: callers count on it */
      uint64_t mapped = h->mapped;
      memset(h, 0, need);
      h->size = n;
      h->mapped = mapped;
      return (char *)h + HEADER;
    }
    if (!(h = map(total, own_mapping != 2 && total <= POPULATE_MAX))) return NULL;
    h->size = n;
    h->mapped = total;
    __atomic_add_fetch(&mapped_bytes, total, __ATOMIC_RELAXED);
    return (char *)h + HEADER;
  }
  sigset_t mask; /* see tprof_signals_block: a handler may need the arena too */
  tprof_signals_block(&mask);
  pthread_mutex_lock(&memory_mutex);
  if (!arena_in_hot && tprof_mem_hot_made()) { /* the chunk in use is left as far as it was written */
    arena_in_hot = 1;
    arena_used = arena_size;
  }
  if (arena_used + need > arena_size) {
    char *fresh = need <= ARENA_HOT && tprof_mem_hot_made() ? hot_take(ARENA_HOT) : NULL;
    size_t size = ARENA_HOT;
    if (!fresh) {
      fresh = map(size = ARENA_SIZE, 0);
      if (fresh) __atomic_add_fetch(&mapped_bytes, ARENA_SIZE, __ATOMIC_RELAXED);
    }
    if (!fresh) {
      pthread_mutex_unlock(&memory_mutex);
      tprof_signals_restore(&mask);
      return NULL;
    }
    arena = fresh;
    arena_size = size;
    arena_used = arena_populated = 0;
  }
  h = (header *)(arena + arena_used);
  arena_used += need;
  populate_to(arena, &arena_populated, arena_used, ARENA_STEP, arena_size);
  pthread_mutex_unlock(&memory_mutex);
  tprof_signals_restore(&mask);
  h->size = n;
  h->mapped = 0; /* mmap'd memory is zero already */
  return (char *)h + HEADER;
}

void tprof_mem_populate(const void *from, const void *to) {
  static int unsupported;
  if (__atomic_load_n(&unsupported, __ATOMIC_RELAXED)) return;
  uintptr_t lo = (uintptr_t)from & ~(uintptr_t)4095, hi = ((uintptr_t)to + 4095) & ~(uintptr_t)4095;
  int saved = errno;
  if (hi > lo && madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE) != 0 && errno == EINVAL)
    __atomic_store_n(&unsupported, 1, __ATOMIC_RELAXED);
  errno = saved;
}

void tprof_mem_populate_next_run(const void *base, const void *at, const void *end, uintptr_t max_run) {
  uintptr_t page = ((uintptr_t)at & ~(uintptr_t)4095) + 4096;
  uintptr_t k = (page - ((uintptr_t)base & ~(uintptr_t)4095)) >> 12, most = max_run >> 12, pages;
  if (k < most) {
    if (k & (k - 1)) return; /* inside the run that started at the last power of two */
    pages = k;
  } else {
    if (k & (most - 1)) return;
    pages = most;
  }
  uintptr_t to = page + (pages << 12);
  if (page < (uintptr_t)end) tprof_mem_populate((const void *)page, to < (uintptr_t)end ? (const void *)to : end);
}

void *tprof_mem_alloc(size_t n) { return alloc(n, 0); }
void *tprof_mem_alloc_temp(size_t n) { return alloc(n, 1); }
void *tprof_mem_alloc_own(size_t n) { return alloc(n, 3); }
void *tprof_mem_alloc_sparse(size_t n) { return alloc(n, 2); }

void tprof_mem_free(void *p) {
  if (!p) return;
  header *h = (header *)((char *)p - HEADER);
  if (h->mapped == HOT_MARK) return; /* its space stays taken */
  if (is_scratch(h)) {
    scratch_release(h);
    return;
  }
  if (h->mapped) {
    if (keep_cached(h)) return;
    __atomic_sub_fetch(&mapped_bytes, h->mapped, __ATOMIC_RELAXED);
    munmap(h, h->mapped);
  }
}

void *tprof_mem_realloc(void *p, size_t n) {
  void *fresh = tprof_mem_alloc(n);
  if (fresh && p) {
    size_t old = ((header *)((char *)p - HEADER))->size;
    memcpy(fresh, p, old < n ? old : n);
    tprof_mem_free(p);
  }
  return fresh;
}

char *tprof_mem_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = tprof_mem_alloc(n);
  if (p) memcpy(p, s, n);
  return p;
}

uint64_t tprof_mem_mapped_bytes(void) { return __atomic_load_n(&mapped_bytes, __ATOMIC_RELAXED); }

/* fork (fork.c): the arena is not copied halfway through a block's carving;
 * the child's mutex is made anew. */
void tprof_mem_fork_prepare(void) { pthread_mutex_lock(&memory_mutex); }
void tprof_mem_fork_parent(void) { pthread_mutex_unlock(&memory_mutex); }
void tprof_mem_fork_child(void) { memory_mutex = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER; }
