/* Heap tracking's books, shared by its files: heap.c (the hooks and the
 * counting), heap_shadow.c (the shadow map's mappings), heap_table.c (the
 * blocks the map cannot hold) and heap_traces.c (the bounded event log).
 * What the hooks use on every event is here as inline code over hidden
 * variables, so splitting the files costs the hot path nothing. */
#ifndef TPROF_HEAP_BOOKS_H
#define TPROF_HEAP_BOOKS_H

#include "internal.h"

#include <sys/single_threaded.h>

/* glibc clears __libc_single_threaded in pthread_create before the new
 * thread runs, and only the one existing thread can be creating it. */
#define ONE_THREAD TPROF_LIKELY(__libc_single_threaded)
/* The hot path reads it once per hook into `one`: it is a char, so the
 * compiler would reload it after every store otherwise. Its helpers are
 * forced inline (a call each cost more than their work). */
#define HOT static inline __attribute__((always_inline))

/* ---- per-site figures, in chunks that never move ----
 * A count and its bytes change together (one 16-byte compare-and-swap once
 * the process has threads), so any reading of a site describes whole
 * blocks: its live blocks and live bytes are the same set. */
typedef struct pair {
  uint64_t count, bytes;
} __attribute__((aligned(16))) pair;
typedef struct site_counts {
  pair allocated, freed;
} site_counts;

static inline int cas16(pair *p, pair *expected, pair desired) {
  uint8_t ok;
  __asm__ __volatile__("lock cmpxchg16b %1\n\tsete %0"
                       : "=q"(ok), "+m"(*p), "+a"(expected->count), "+d"(expected->bytes)
                       : "b"(desired.count), "c"(desired.bytes)
                       : "memory", "cc");
  return ok;
}

/* *p += v while the process has one thread: one instruction (an add to
 * memory), so a signal handler on this thread sees it done or not done.
 * Relaxed atomic loads and stores compiled to three (load, add, store):
 * two instructions more per counter, and the hooks update three or four. */
static inline void add_in_place(uint64_t *p, uint64_t v) { __asm__ volatile("addq %1, %0" : "+m"(*p) : "er"(v)); }

HOT void pair_add(pair *p, uint64_t bytes, int one) {
  if (TPROF_LIKELY(one)) {
    /* a signal handler exporting on this thread between the two adds is
     * told so by tprof_heap_mid_update */
    add_in_place(&p->bytes, bytes);
    add_in_place(&p->count, 1);
    return;
  }
  /* a torn first guess only costs one more round: the failed CAS returns
   * the value it found */
  pair seen = {__atomic_load_n(&p->count, __ATOMIC_RELAXED), __atomic_load_n(&p->bytes, __ATOMIC_RELAXED)};
  while (!cas16(p, &seen, (pair){seen.count + 1, seen.bytes + bytes})) {
  }
}

/* One atomic reading of both halves (a CAS that writes back what it finds). */
static inline pair pair_read(pair *p) {
  if (ONE_THREAD)
    return (pair){__atomic_load_n(&p->count, __ATOMIC_RELAXED), __atomic_load_n(&p->bytes, __ATOMIC_RELAXED)};
  pair seen = {0, 0};
  cas16(p, &seen, seen);
  return seen;
}

/* Every site's figures, by id, in one array that never moves: 32 MiB of
 * bss, of which only the pages of the sites registered so far (ids are
 * dense from 1) are ever touched. A block's word gives its site's figures
 * with one shift and one mask, with no chunk to look up or test (that was
 * seven instructions of the common allocation and of the common free). */
extern site_counts tprof_heap_sites[TPROF_MAX_IDS] __attribute__((visibility("hidden")));

/* What the exporter reads of a site (the frees first: see heap_sites.c). */
tprof_site_stat tprof_heap_site_read(site_counts *c);
/* Adds a site's figures to the totals. */
void tprof_heap_site_add(tprof_heap_totals *t, const tprof_site_stat *st);
/* Every site's figures added to t. */
void tprof_heap_sites_sum(tprof_heap_totals *t);
/* Every site's figures to zero (a reset). */
void tprof_heap_sites_clear(void);

/* ---- reset epochs (see heap.c) ---- */
/* 15 bits: with the present bit they are a word's low 16 bits, which the
 * common free compares with one cmpw (bit 16 is always 0). */
#define EPOCH_MAX 0x7fffu
/* What the books know of a live block. */
typedef struct block_info {
  uint64_t size;
  uint32_t site, epoch;
} block_info;

/* ---- the shadow map ----
 * word: present (bit 0) | epoch (1-15) | 0 (16) | site (17-36) | size (37-63)
 * One word per 32-byte granule of address space: glibc's blocks start at
 * least 32 bytes apart (its smallest chunk), so a granule holds the start of
 * at most one live block. Half the map's memory of a word per 16 bytes (the
 * map of a heap of small blocks was half the heap's size, and its pages
 * most of memory tracking's page faults). Another allocator (one linked in
 * or preloaded: tprof_heap_region_make checks) may place two blocks in one
 * granule: then no region is made, and the table holds every block. */
#define REGION_BITS 32
#define ADDRESS_BITS 47
#define GRANULE_BITS 5
#define REGION_WORDS ((size_t)1 << (REGION_BITS - GRANULE_BITS))
#define REGION_FAILED ((uint64_t *)1)
#define W_PRESENT UINT64_C(1)
#define W_EPOCH_SHIFT 1
#define W_SITE_SHIFT 17
#define W_SIZE_SHIFT 37
#define W_SIZE_LIMIT (UINT64_C(1) << (64 - W_SIZE_SHIFT)) /* 128 MiB: larger blocks go to the table */
extern uint64_t *tprof_heap_regions[1u << (ADDRESS_BITS - REGION_BITS)] __attribute__((visibility("hidden")));

static inline block_info word_info(uint64_t w) {
  return (block_info){w >> W_SIZE_SHIFT, (uint32_t)(w >> W_SITE_SHIFT) & (TPROF_MAX_IDS - 1),
                      (uint32_t)(w >> W_EPOCH_SHIFT) & EPOCH_MAX};
}

/* Maps the region of *slot (once; a failed mapping is not retried). With an
 * allocator that may place blocks closer than 32 bytes the region fails. */
uint64_t *tprof_heap_region_make(uint64_t **slot);
/* 1 when the map may hold blocks (the allocator's blocks start at least 32
 * bytes apart), 0 when the table holds them all. */
int tprof_heap_map_usable(void);

/* The region holding address a's word, or NULL when the map cannot hold it
 * (then the table does). With create, a missing region is mapped (once; a
 * failed mapping is not retried). The word itself is at word_index(a): the
 * hot paths index the region themselves, so that no test of the word's
 * address for NULL follows. */
HOT uint64_t *shadow_region(uintptr_t a, int create) {
  if (TPROF_UNLIKELY(a & (~(((uintptr_t)1 << ADDRESS_BITS) - 1) | 15))) /* above 2^47, or not 16-aligned */
    return NULL;
  uint64_t **slot = &tprof_heap_regions[a >> REGION_BITS];
  uint64_t *r = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
  if (TPROF_UNLIKELY((uintptr_t)r <= (uintptr_t)REGION_FAILED)) { /* not mapped yet, or failed */
    if (r == REGION_FAILED || !create) return NULL;
    r = tprof_heap_region_make(slot);
    if (r == REGION_FAILED) return NULL;
  }
  return r;
}
static inline size_t word_index(uintptr_t a) { return (a & (((uintptr_t)1 << REGION_BITS) - 1)) >> GRANULE_BITS; }

/* The regions again, for the common allocation and free: region k's
 * address minus k << 30, so that the word of a 16-byte-aligned address a
 * is at that plus (a >> 5) * 8 bytes (a >> 5 words; the part of that above
 * the region's own words is k << 30), with no masking of a's low 32 bits
 * and no separate index: two instructions fewer on each path. 0 while the
 * region is not mapped (and, however unlikely, for a region whose difference is 0: its
 * blocks then take the long way, which uses tprof_heap_regions). Set after
 * tprof_heap_regions, by tprof_heap_region_make. */
extern uintptr_t tprof_heap_region_bias[(1u << (ADDRESS_BITS - REGION_BITS)) + 1] __attribute__((visibility("hidden")));
_Static_assert(REGION_BITS == 32 && GRANULE_BITS == 5 && sizeof(uint64_t) == 8, "k << 30 (see above)");
/* For the common paths: 1 and the word of address a in *w, or 0 when a is
 * not 16-aligned or above 2^47, or its region has no bias. (Not a pointer
 * or NULL: the compiler would test the sum for NULL once more.) Address a
 * rotated right by 4, then shifted right by 1, is a >> 5 (its word's index
 * from the bias) when a is 16-aligned, and at least 2^59 when it is not;
 * so its bits from 27 up are the region's number (a >> 32) when a is
 * aligned, and more than the table's last entry (2^15, for 2^47 itself:
 * always 0) when a is not or is above 2^47: one comparison, and the word
 * is at bias + 8 * (a >> 5), an address the load computes itself (no
 * mask, no add). NULL passes, and finds region 0's word 0, which tprof_heap_region_make leaves
 * present (of no epoch): the common allocation turns it away, and the
 * common free finds no live block there. */
_Static_assert(REGION_BITS == 32 && ADDRESS_BITS == 47 && GRANULE_BITS == 5, "see common_shadow_word");
typedef struct shadow_ref {
  uintptr_t bias, index; /* the word is at bias + 8 * index */
} shadow_ref;
HOT int common_shadow_word(uintptr_t a, shadow_ref *w) {
  uintptr_t r = (a >> 4 | a << 60) >> 1, k = r >> (REGION_BITS - GRANULE_BITS);
  if (TPROF_UNLIKELY(k > ((uintptr_t)1 << (ADDRESS_BITS - REGION_BITS)))) return 0;
  uintptr_t b = __atomic_load_n(&tprof_heap_region_bias[k], __ATOMIC_ACQUIRE);
  if (TPROF_UNLIKELY(b == 0)) return 0;
  *w = (shadow_ref){b, r};
  return 1;
}
/* The word's load and store, each addressing bias + 8 * index itself (gcc
 * computed the address into a register first: one instruction more on
 * each common path). Relaxed, as the long paths' atomic loads and stores
 * of a word (one instruction each). */
HOT uint64_t shadow_load(shadow_ref w) {
  uint64_t v;
  __asm__ volatile("movq (%1,%2,8), %0" : "=r"(v) : "r"(w.bias), "r"(w.index) : "memory");
  return v;
}
HOT void shadow_store(shadow_ref w, uint64_t v) {
  __asm__ volatile("movq %2, (%0,%1,8)" : : "r"(w.bias), "r"(w.index), "er"(v) : "memory");
}

/* The word of address a, or NULL (see shadow_region). */
static inline uint64_t *shadow_of(uintptr_t a, int create) {
  uint64_t *r = shadow_region(a, create);
  return r ? &r[word_index(a)] : NULL;
}

/* ---- the table, for what the map cannot hold (heap_table.c) ----
 * All three take its lock themselves. */
extern size_t tprof_heap_table_live __attribute__((visibility("hidden")));
static inline int table_empty(void) { return __atomic_load_n(&tprof_heap_table_live, __ATOMIC_ACQUIRE) == 0; }
/* Removes a; returns 1 and its block when it was there. */
int tprof_heap_table_take(uintptr_t a, block_info *out);
/* Inserts a; returns 1 and the block it replaced in *stale (a block freed
 * where tprof could not see), 0, or -1 when out of memory (the block then
 * stays unknown: its free will count as untracked). */
int tprof_heap_table_put(uintptr_t a, const block_info *b, block_info *stale);
/* Every block of the table to epoch 0 (a reset). */
void tprof_heap_table_age(void);

/* ---- detours: what sends the common allocation and free the long way,
 * in one word they test ----
 * DETOUR_TABLE: the table may hold blocks (an allocation must look there
 * for a stale block at its address). DETOUR_TRACES: the trace log may have
 * room (the event must be traced). A clear bit is exact: the table is
 * empty, the log full. A set bit only sends a hook to the path that checks
 * for itself. (Reading table_live and the log's pointer, position and
 * capacity was eight instructions of the common allocation, five of the
 * common free.) */
#define DETOUR_TABLE 1u
#define DETOUR_TRACES 2u
extern uint32_t tprof_heap_detours __attribute__((visibility("hidden")));
/* A plain read, not an atomic load (nor a volatile one): gcc then tests
 * the word in memory, one instruction fewer. Only the common paths read it,
 * once each and only while the process has one thread (after the
 * __libc_single_threaded test), so no other thread writes it meanwhile. */
static inline uint32_t detours(void) { return tprof_heap_detours; }
/* DETOUR_TRACES after the log's room may have changed (heap_traces.c). */
void tprof_heap_traces_detour(void);
/* What the common free compares a block's word with (its low 17 bits): the
 * live mark of the current epoch (heap.c) while DETOUR_TRACES is clear,
 * else GATE_CLOSED, which no word matches (a live word has its present bit
 * set). One test for "a live block of this measurement, and no trace to
 * write" (the detour's was two instructions of the common free). Read only
 * by the common free, plainly (see detours()). */
#define GATE_CLOSED ((uint64_t)1 << W_EPOCH_SHIFT)
extern uint64_t tprof_heap_free_gate __attribute__((visibility("hidden")));
/* The low bits of a live word of the current epoch (heap.c's live_mark). */
extern uint64_t tprof_heap_live_mark __attribute__((visibility("hidden")));
/* Sets the gate from the detours and the mark, after either changed; again
 * if either changed meanwhile, so the last store is never a stale one. */
void tprof_heap_free_gate_sync(void);

/* ---- traces ----
 * Slots are reserved by one counter (their order is the sequence) and
 * written by the thread that reserved them; seq, written last, says a slot
 * is complete. A buffer replaced by a new max_traced_allocations is kept
 * (a thread may still be writing into it). */
typedef struct trace_buf {
  uint64_t cap;
  tprof_trace slot[];
} trace_buf;
extern trace_buf *tprof_heap_traces __attribute__((visibility("hidden")));
extern uint64_t tprof_heap_traces_next __attribute__((visibility("hidden")));

enum event {
  EV_MALLOC,
  EV_CALLOC,
  EV_REALLOC,
  EV_FREE,
  EV_ALIGNED_ALLOC,
  EV_POSIX_MEMALIGN,
  EV_MEMALIGN,
  EV_VALLOC,
  EV_REALLOCARRAY,
  EV_STRDUP,
  EV_STRNDUP
};
_Static_assert(EV_STRNDUP + 1 == TPROF_EVENT_KINDS, "tprof_event_names has a name per event");

/* Writes one event into a slot of tb (one reserved, or none when full). */
void tprof_heap_trace_write(trace_buf *tb, enum event ev, uint64_t size, uintptr_t a, uint32_t site);
/* Every event of the measurement is traced until the buffer is full; the
 * rest are the dropped ones (counted when read: events - traced). */
HOT trace_buf *trace_room(void) {
  trace_buf *tb = __atomic_load_n(&tprof_heap_traces, __ATOMIC_ACQUIRE);
  return tb && __atomic_load_n(&tprof_heap_traces_next, __ATOMIC_RELAXED) < tb->cap ? tb : NULL;
}
/* Events traced so far (at most the buffer's capacity). */
uint64_t tprof_heap_traced_count(void);
/* Forgets every traced event (a reset). */
void tprof_heap_traces_clear(void);
/* Every live word of the map to epoch 0 (heap_shadow.c). */
void tprof_heap_shadow_age_all(void);

#endif
