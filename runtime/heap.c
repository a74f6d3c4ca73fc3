/* Heap tracking: the allocation hooks call libc, then record the event.
 *
 * Live blocks are kept in a shadow map: one word per 32 bytes of address
 * space, found by address >> 5, holding the block's size, site and reset
 * epoch (glibc's blocks start at least 32 bytes apart; heap_books.h). A
 * lookup is one load from a place that moves with the heap itself
 * (a tree's nodes side by side have their words side by side), where a hash
 * table of blocks missed the cache on most events. The map is reserved
 * lazily, one 1 GiB MAP_NORESERVE mapping per 4 GiB of address space that
 * the allocator uses; only the pages the heap's words fall in cost memory.
 * Addresses it cannot hold (not 16-byte aligned, above 2^47, in a region
 * whose mapping failed) and blocks of 128 MiB or more go to a small
 * open-addressing table under a spinlock instead.
 *
 * No lock on the common path. Figures are per site (allocations, bytes,
 * frees, freed bytes); the totals are their sums, computed when read, so
 * totals and sites always agree with each other. While the process has one
 * thread the counters are adds to memory; from the second thread on, atomic
 * adds (a site's pair: a 16-byte compare-and-swap). For an exact peak, one
 * process-wide pair holds the peak and the room under it.
 *
 * Ordering rule that keeps the map exact across threads: a block leaves it
 * BEFORE libc may hand its address to someone else (before free, before
 * realloc), and enters it AFTER libc returned it. Between those two points
 * the word is only the owning thread's. */
#include "heap_books.h"

#include <errno.h>
#include <stddef.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

static inline uint64_t load(const uint64_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
HOT void count_add(uint64_t *p, uint64_t v, int one) {
  if (TPROF_LIKELY(one))
    add_in_place(p, v);
  else
    __atomic_fetch_add(p, v, __ATOMIC_RELEASE);
}

/* An export (from a signal handler, or exit() called by one) that runs on a
 * thread stopped in the middle of recording an event sees that event half
 * counted: it says so instead of waiting for an update that cannot finish. */
static __thread uint8_t updating __attribute__((tls_model("initial-exec")));
#define UPDATE_BEGIN() (updating++, __atomic_signal_fence(__ATOMIC_SEQ_CST))
#define UPDATE_END() (__atomic_signal_fence(__ATOMIC_SEQ_CST), updating--)
/* The common malloc and free run only while the process has one thread:
 * their flag is a plain global byte, changed by one instruction each way
 * (the thread-local one needs its address in a register first). Only a
 * handler on that one thread can see it set. */
static uint8_t updating_alone;
static inline void alone_add(int8_t v) { __asm__ volatile("addb %1, %0" : "+m"(updating_alone) : "i"(v)); }
#define UPDATE_BEGIN_ALONE() (alone_add(1), __atomic_signal_fence(__ATOMIC_SEQ_CST))
#define UPDATE_END_ALONE() (__atomic_signal_fence(__ATOMIC_SEQ_CST), alone_add(-1))
int tprof_heap_mid_update(void) { return updating != 0 || __atomic_load_n(&updating_alone, __ATOMIC_RELAXED) != 0; }

/* ---- a site's figures (heap_sites.c holds them) ---- */
HOT site_counts *site_counts_of(uint32_t site) { return &tprof_heap_sites[site & (TPROF_MAX_IDS - 1)]; }

/* ---- process-wide counters ---- */
static uint64_t reallocations, failed_allocations, untracked_frees;
static uint64_t stale_frees; /* blocks found replaced (freed where tprof could not see): not traced */

/* ---- the peak ----
 * Kept as the peak and the room under it (the peak minus the current
 * bytes), changed together: an allocation takes from the room, and only
 * one that takes more than there is raises the peak (by what was missing;
 * the room is then 0); a free gives its bytes back to the room. With one
 * thread that is a subtraction in memory and a branch not taken once the
 * program's heap has grown, and an addition: current bytes and a
 * comparison with the peak took five instructions and two. From the second
 * thread on, a 16-byte compare-and-swap for an allocation, an atomic add
 * for a free (the swap compares both halves, so it sees the add). The
 * current bytes the exporter reports are the sites' sums. */
typedef struct peak_room {
  uint64_t peak, room;
} __attribute__((aligned(16))) peak_room;
_Static_assert(sizeof(peak_room) == sizeof(pair) && _Alignof(peak_room) == _Alignof(pair), "cas16 swaps a pair");
static peak_room peak;

static inline void peak_rises(void) {
  /* the room wrapped: it holds minus what was missing */
  __atomic_store_n(&peak.peak, peak.peak - peak.room, __ATOMIC_RELAXED);
  __atomic_store_n(&peak.room, 0, __ATOMIC_RELAXED);
}

HOT void current_add(uint64_t size, int one) {
  if (TPROF_LIKELY(one)) {
    __asm__ goto("subq %1, %0\n\tjc %l[short_of_room]" : : "m"(peak.room), "er"(size) : "memory", "cc" : short_of_room);
    return;
  short_of_room:
    peak_rises(); /* inline: a call here made clang save six registers in the hooks */
    return;
  }
  pair seen = {__atomic_load_n(&peak.peak, __ATOMIC_RELAXED), __atomic_load_n(&peak.room, __ATOMIC_RELAXED)};
  for (;;) { /* count: the peak; bytes: the room */
    pair want = seen.bytes >= size ? (pair){seen.count, seen.bytes - size} : (pair){seen.count + size - seen.bytes, 0};
    if (cas16((pair *)&peak, &seen, want)) return;
  }
}

/* A free: its bytes go back to the room (a free never makes a peak). */
HOT void current_sub(uint64_t size, int one) { count_add(&peak.room, size, one); }

/* ---- reset epochs ----
 * A block is counted when it leaves if it entered in the current
 * measurement: its word carries the epoch it entered in, and a reset starts
 * a new epoch. Epoch 0 means "before a wrap-around": when the 16 bits run
 * out, every live word is rewritten to 0 once (a scan of the map's resident
 * pages), so no block is ever mistaken for a current one. */
#define W_MARK_BITS ((uint64_t)EPOCH_MAX << W_EPOCH_SHIFT | W_PRESENT)
_Static_assert(W_MARK_BITS == 0xffff, "the common free compares a word's low 16 bits with the gate");
/* The low bits of a live word of the current epoch (its epoch, and the
 * present bit), kept built: the hot paths or it into the word they store
 * and compare a word's low bits with it, "present and current" in one
 * test, without unpacking the word or shifting the epoch. */
#define live_mark tprof_heap_live_mark /* heap_traces.c, with the gate it opens */
static inline uint64_t current_mark(void) { return __atomic_load_n(&live_mark, __ATOMIC_RELAXED); }
/* The common allocation's read of the mark: plain, so that gcc ors it into
 * the word from memory (one instruction fewer); it runs only while the
 * process has one thread (see detours()). */
static inline uint64_t current_mark_alone(void) { return live_mark; }

static inline uint32_t current_epoch(void) { return (uint32_t)(current_mark() >> W_EPOCH_SHIFT) & EPOCH_MAX; }
static inline int word_is_live_current(uint64_t w) { return ((w ^ current_mark()) & W_MARK_BITS) == 0; }

/* ---- where a block is: the map, else the table ---- */

/* Takes block a out of the books; returns 1 and what they knew of it. */
HOT int take(uintptr_t a, block_info *out) {
  uint64_t *w = shadow_of(a, 0);
  if (TPROF_LIKELY(w != NULL)) {
    uint64_t v = __atomic_load_n(w, __ATOMIC_RELAXED);
    if (TPROF_LIKELY(v & W_PRESENT)) {
      __atomic_store_n(w, 0, __ATOMIC_RELAXED);
      *out = word_info(v);
      return 1;
    }
  }
  return tprof_heap_table_take(a, out);
}

/* ---- counting ---- */
static inline int is_current(const block_info *b) { return b->epoch == current_epoch(); }

/* A block of this measurement leaves: it is counted against its own site. */
HOT void count_free(const block_info *b, int one) {
  pair_add(&site_counts_of(b->site)->freed, b->size, one);
  current_sub(b->size, one);
}

static void count_stale(const block_info *b) {
  if (!is_current(b)) return;
  count_free(b, ONE_THREAD);
  count_add(&stale_frees, 1, ONE_THREAD);
}

/* Puts block a into the books. When they already hold a, that block was
 * freed by code tprof does not see (a library built without the pass) and
 * the allocator handed its address out again: it is counted as freed now. */
static __attribute__((noinline, cold)) void place_in_table(uintptr_t a, const block_info *b) {
  block_info stale;
  uint64_t *w = shadow_of(a, 0);
  if (w) {
    uint64_t old = __atomic_load_n(w, __ATOMIC_RELAXED);
    if (old & W_PRESENT) {
      __atomic_store_n(w, 0, __ATOMIC_RELAXED);
      stale = word_info(old);
      count_stale(&stale);
    }
  }
  if (tprof_heap_table_put(a, b, &stale) == 1) count_stale(&stale);
}

static __attribute__((noinline, cold)) void placed_over(uintptr_t a, uint64_t old) {
  block_info stale;
  if (old & W_PRESENT) {
    stale = word_info(old);
    count_stale(&stale);
  }
  if (tprof_heap_table_take(a, &stale)) count_stale(&stale);
}

/* ep: the epoch the block entered in (the current one, but for a block
 * that a failed realloc gives back). */
HOT void place(uintptr_t a, uint64_t size, uint32_t site, uint32_t ep) {
  uint64_t *r = TPROF_LIKELY(size < W_SIZE_LIMIT) ? shadow_region(a, 1) : NULL;
  if (TPROF_UNLIKELY(r == NULL)) {
    place_in_table(a, &(block_info){size, site, ep});
    return;
  }
  uint64_t *w = &r[word_index(a)];
  uint64_t old = __atomic_load_n(w, __ATOMIC_RELAXED);
  uint64_t word = size << W_SIZE_SHIFT | (uint64_t)(site & (TPROF_MAX_IDS - 1)) << W_SITE_SHIFT |
                  (uint64_t)ep << W_EPOCH_SHIFT | W_PRESENT;
  __atomic_store_n(w, word, __ATOMIC_RELAXED);
  if (TPROF_UNLIKELY((old & W_PRESENT) || !table_empty())) placed_over(a, old);
}

HOT void trace(enum event ev, uint64_t size, uintptr_t a, uint32_t site) {
  trace_buf *tb = trace_room();
  if (tb) tprof_heap_trace_write(tb, ev, size, a, site);
}

static inline uint32_t site_id(tprof_site_record *site) {
  uint32_t id = __atomic_load_n(&site->id, __ATOMIC_RELAXED);
  if (TPROF_UNLIKELY(id == 0)) id = tprof_register_site(site);
  return id == TPROF_REJECTED ? 0 : id;
}

/* A successful allocation of this measurement. */
HOT void count_alloc(enum event ev, uintptr_t a, uint64_t size, uint32_t site, int one) {
  pair_add(&site_counts_of(site)->allocated, size, one);
  current_add(size, one);
  place(a, size, site, current_epoch());
  trace(ev, size, a, site);
}

/* An allocation of site s (its id) that returned p. */
HOT void record_alloc_id(enum event ev, void *p, uint64_t size, uint32_t s) {
  int one = ONE_THREAD;
  if (TPROF_UNLIKELY(!p)) {
    count_add(&failed_allocations, 1, one);
    return;
  }
  UPDATE_BEGIN();
  count_alloc(ev, (uintptr_t)p, size, s, one);
  UPDATE_END();
  tprof_node_note_alloc(tprof_current_thread(), size);
}

/* The site is registered only when the allocation succeeded. */
HOT void record_alloc(enum event ev, void *p, uint64_t size, tprof_site_record *site) {
  if (TPROF_UNLIKELY(!p)) return record_alloc_id(ev, p, size, 0);
  record_alloc_id(ev, p, size, site_id(site));
}

#define TRACKING TPROF_LIKELY(tprof_mem_on)
/* Tracking off: the hook is a check and a tail call of libc (the bench's
 * "compiled in, everything off" row pays this on every event). */
#define NOT_TRACKING TPROF_UNLIKELY(!tprof_mem_on)

/* record_alloc, every case; return p (for a tail call). */
static __attribute__((noinline)) void *record_any(enum event ev, void *p, uint64_t size, tprof_site_record *site) {
  record_alloc(ev, p, size, site);
  return p;
}

/* A block's word but for its mark (current_mark): its size and site. */
static inline uint64_t word_of(uint64_t size, uint32_t s) {
  return size << W_SIZE_SHIFT | (uint64_t)(s & (TPROF_MAX_IDS - 1)) << W_SITE_SHIFT;
}
static inline uint32_t word_site(uint64_t w) { return (uint32_t)(w >> W_SITE_SHIFT) & (TPROF_MAX_IDS - 1); }
/* pair_add of one thread to the site of word w (a block's word, or one
 * but for its mark; its allocations at offset 0, its frees at 16): the
 * site's bits shifted to a byte offset in one step, and the two adds
 * address the array plus that offset themselves (gcc added the two first:
 * one instruction more). */
_Static_assert(sizeof(site_counts) == 32, "site_add_alone's shift and mask");
#define SITE_ALLOCATED 0
#define SITE_FREED 16
_Static_assert(offsetof(site_counts, allocated) == SITE_ALLOCATED && offsetof(site_counts, freed) == SITE_FREED &&
                   offsetof(pair, bytes) == 8,
               "site_add_alone's offsets");
HOT void site_add_alone(uint64_t w, int half, uint64_t size) {
  uintptr_t off = (w >> (W_SITE_SHIFT - 5)) & ((uint64_t)(TPROF_MAX_IDS - 1) << 5);
  __asm__ volatile(
      "addq %[size], %c[bytes](%[base],%[off])\n\taddq $1, %c[count](%[base],%[off])"
      :
      : [size] "er"(size), [base] "r"(tprof_heap_sites), [off] "r"(off), [bytes] "i"(half + 8), [count] "i"(half)
      : "memory");
}

/* record_alloc_id from a block's word but for its mark; returns p. */
static __attribute__((noinline)) void *record_any_word(enum event ev, void *p, uint64_t pre) {
  record_alloc_id(ev, p, pre >> W_SIZE_SHIFT, word_site(pre));
  return p;
}

/* Before libc's call: whether the common allocation can count a block of
 * `size` bytes at site s (its id): a registered site, a size the word can
 * hold. */
HOT int common_site(uint32_t s, uint64_t size) {
  return TPROF_LIKELY(s - 1 < TPROF_MAX_IDS - 1) && TPROF_LIKELY(size < W_SIZE_LIMIT);
}
/* The word (but for its mark) of a block common_site accepted, opaque from
 * here: the code after libc's call then gets the size and the site from
 * this one value, the only one kept across the call (one saved register,
 * where the size and the site record took two and a stack adjustment). */
HOT uint64_t common_word(uint32_t s, uint64_t size) {
  uint64_t pre = word_of(size, s);
  __asm__("" : "+r"(pre));
  return pre;
}

/* tprof_node_note_alloc, with the depth tested in memory (gcc loads it
 * into a register for the frame's index: one instruction more on the
 * common path, where no frame is open). */
_Static_assert(sizeof(((tprof_thread *)0)->depth) == 4, "cmpl");
HOT void note_alloc(uint64_t size) {
  tprof_thread *t = tprof_current_thread();
  if (!t) return;
  __asm__ goto("cmpl $0, %0\n\tje %l[no_frame]" : : "m"(t->depth) : "cc" : no_frame);
  tprof_top_note_alloc(t, size);
no_frame:
  return;
}

/* The common allocation, after libc's call returned p; pre is what
 * common_word returned. The rest of the common case: one thread, a block
 * the map can hold in a region already mapped, its word free, no detour
 * (the table empty, the trace log full). Every
 * check only reads, and any other case goes to record_any_word by a tail
 * call before anything is written. Returns p. */
HOT void *record_common(enum event ev, void *p, uint64_t pre) {
  uintptr_t a = (uintptr_t)p;
  shadow_ref w;
  if (TPROF_UNLIKELY(!ONE_THREAD) || TPROF_UNLIKELY(!common_shadow_word(a, &w)) || /* and p is not NULL */
      TPROF_UNLIKELY(((uint32_t)shadow_load(w) & W_PRESENT) | detours()))
    return record_any_word(ev, p, pre); /* a block there, or a detour: one test */
  uint64_t size = pre >> W_SIZE_SHIFT;
  UPDATE_BEGIN_ALONE();
  site_add_alone(pre, SITE_ALLOCATED, size);
  current_add(size, 1);
  shadow_store(w, pre | current_mark_alone());
  UPDATE_END_ALONE();
  note_alloc(size);
  return p;
}

/* malloc, calloc and free, the frequent ones: the off path is a test and
 * a tail call of libc. The tracked path may be inline after it (gcc puts
 * it there, saving its one register only after the first tests, so the
 * off path still saves none; a function of its own cost a jump per event;
 * clang 14 keeps it apart). The cases common_site turns away call libc
 * from a function of their own, which keeps what they need across the
 * call. */
static __attribute__((noinline)) void *malloc_any(size_t size, tprof_site_record *site) {
  return record_any(EV_MALLOC, malloc(size), size, site);
}
static inline void *tracked_malloc(size_t size, tprof_site_record *site) {
  uint32_t s = __atomic_load_n(&site->id, __ATOMIC_RELAXED);
  if (TPROF_UNLIKELY(!common_site(s, size))) return malloc_any(size, site);
  uint64_t pre = common_word(s, size);
  return record_common(EV_MALLOC, malloc(size), pre);
}
TPROF_EXPORT void *__tprof_malloc(size_t size, tprof_site_record *site) {
  return NOT_TRACKING ? malloc(size) : tracked_malloc(size, site);
}

static __attribute__((noinline)) void *calloc_any(size_t n, size_t size, tprof_site_record *site) {
  return record_any(EV_CALLOC, calloc(n, size), (uint64_t)n * size, site);
}
static inline void *tracked_calloc(size_t n, size_t size, tprof_site_record *site) {
  uint32_t s = __atomic_load_n(&site->id, __ATOMIC_RELAXED);
  uint64_t bytes;
  if (TPROF_UNLIKELY(__builtin_mul_overflow(n, size, &bytes)) || TPROF_UNLIKELY(!common_site(s, bytes)))
    return calloc_any(n, size, site);
  uint64_t pre = common_word(s, bytes);
  return record_common(EV_CALLOC, calloc(n, size), pre);
}
TPROF_EXPORT void *__tprof_calloc(size_t n, size_t size, tprof_site_record *site) {
  return NOT_TRACKING ? calloc(n, size) : tracked_calloc(n, size, site);
}

TPROF_EXPORT void *__tprof_aligned_alloc(size_t alignment, size_t size, tprof_site_record *site) {
  if (NOT_TRACKING) return aligned_alloc(alignment, size);
  void *p = aligned_alloc(alignment, size);
  record_alloc(EV_ALIGNED_ALLOC, p, size, site);
  return p;
}

TPROF_EXPORT int __tprof_posix_memalign(void **out, size_t alignment, size_t size, tprof_site_record *site) {
  if (NOT_TRACKING) return posix_memalign(out, alignment, size);
  int rc = posix_memalign(out, alignment, size);
  record_alloc(EV_POSIX_MEMALIGN, rc == 0 ? *out : NULL, size, site);
  return rc;
}

TPROF_EXPORT void *__tprof_memalign(size_t alignment, size_t size, tprof_site_record *site) {
  if (NOT_TRACKING) return memalign(alignment, size);
  void *p = memalign(alignment, size);
  record_alloc(EV_MEMALIGN, p, size, site);
  return p;
}

TPROF_EXPORT void *__tprof_valloc(size_t size, tprof_site_record *site) {
  if (NOT_TRACKING) return valloc(size);
  void *p = valloc(size);
  record_alloc(EV_VALLOC, p, size, site);
  return p;
}

TPROF_EXPORT char *__tprof_strdup(const char *s, tprof_site_record *site) {
  if (NOT_TRACKING) return strdup(s);
  char *p = strdup(s);
  record_alloc(EV_STRDUP, p, p ? strlen(p) + 1 : 0, site);
  return p;
}

TPROF_EXPORT char *__tprof_strndup(const char *s, size_t n, tprof_site_record *site) {
  if (NOT_TRACKING) return strndup(s, n);
  char *p = strndup(s, n);
  record_alloc(EV_STRNDUP, p, p ? strlen(p) + 1 : 0, site);
  return p;
}

/* The block leaves the books before free(): once freed, its address may be
 * handed to another thread, whose allocation must not meet our word.
 * Returns the trace buffer when the log has room for this free's event
 * (written by the caller, after the books). */
HOT trace_buf *free_counted(uint64_t size, uint32_t s, int one) {
  pair_add(&site_counts_of(s)->freed, size, one);
  current_sub(size, one);
  return trace_room();
}

/* A block the map does not hold: in the table, or unknown. Returns the
 * block's size and what free_counted returns (NULL when not counted), in
 * registers. */
typedef struct unmapped_free {
  trace_buf *tb;
  uint64_t size;
} unmapped_free;
static __attribute__((noinline)) unmapped_free free_unmapped(uintptr_t a, int one) {
  block_info b;
  if (!tprof_heap_table_take(a, &b))
    count_add(&untracked_frees, 1, one);
  else if (is_current(&b))
    return (unmapped_free){free_counted(b.size, b.site, one), b.size};
  return (unmapped_free){NULL, 0};
}

/* A free whose event the trace log has room for (the first events of a
 * measurement): the event, then libc's free. Out of line, so that the
 * common free calls nothing but libc's free, by a tail call, and saves no
 * registers (the five it saved were ~12 of its ~70 instructions). The
 * event is written after the books' update: an export in between sees the
 * free counted and its slot not yet complete, which it skips. */
static __attribute__((noinline)) void free_traced(void *p, trace_buf *tb, uint64_t size, tprof_site_record *site) {
  tprof_heap_trace_write(tb, EV_FREE, size, (uintptr_t)p, site_id(site)); /* its site: only for the trace */
  free(p);
}

/* take() and count_free(), with the word read in place: every case. */
static __attribute__((noinline)) void free_any(void *p, tprof_site_record *site) {
  if (TPROF_UNLIKELY(!p)) return free(p); /* free(NULL): libc gets it, nothing is counted */
  uintptr_t a = (uintptr_t)p;
  int one = ONE_THREAD;
  trace_buf *tb = NULL;
  uint64_t size = 0;
  UPDATE_BEGIN();
  uint64_t *r = shadow_region(a, 0), *w, v;
  if (TPROF_LIKELY(r != NULL) &&
      TPROF_LIKELY((v = __atomic_load_n(w = &r[word_index(a)], __ATOMIC_RELAXED)) & W_PRESENT)) {
    __atomic_store_n(w, 0, __ATOMIC_RELAXED);
    if (TPROF_LIKELY(word_is_live_current(v)))
      tb = free_counted(size = v >> W_SIZE_SHIFT, (uint32_t)(v >> W_SITE_SHIFT) & (TPROF_MAX_IDS - 1), one);
  } else {
    unmapped_free u = free_unmapped(a, one);
    tb = u.tb;
    size = u.size;
  }
  UPDATE_END();
  if (TPROF_UNLIKELY(tb != NULL)) return free_traced(p, tb, size, site);
  free(p);
}

/* The common free: one thread, the block in the map and of this
 * measurement, the trace log full. Every check only
 * reads, and any other case goes to free_any by a tail call before
 * anything is written; the only other call is libc's free, a tail call
 * too: so this path saves no registers (free_any saves six, and the
 * 16-byte compare-and-swap of the threaded case needs one). */
static inline void tracked_free(void *p, tprof_site_record *site) {
  uintptr_t a = (uintptr_t)p;
  shadow_ref w;
  uint64_t v;
  if (TPROF_UNLIKELY(!ONE_THREAD) || TPROF_UNLIKELY(!common_shadow_word(a, &w)) ||
      TPROF_UNLIKELY((uint16_t)(v = shadow_load(w)) != (uint16_t)tprof_heap_free_gate))
    return free_any(p, site); /* and a live block of this measurement, the trace log full: the gate */
  uint64_t size = v >> W_SIZE_SHIFT;
  UPDATE_BEGIN_ALONE();
  shadow_store(w, 0);
  site_add_alone(v, SITE_FREED, size);
  current_sub(size, 1);
  UPDATE_END_ALONE();
  free(p);
}
/* free(NULL) takes the tracked path to free_any, the common free's test
 * of the address turning it away. */
TPROF_EXPORT void __tprof_free(void *p, tprof_site_record *site) {
  if (NOT_TRACKING)
    free(p);
  else
    tracked_free(p, site);
}

/* realloc of a live block counts as one free and one allocation (and one
 * reallocation), as valgrind's memcheck counts it; realloc(NULL, n) is an
 * allocation; realloc(p, 0) that frees p is a deallocation; a realloc that
 * fails leaves the old block live. The old block leaves the books before
 * libc's realloc may release its address, and comes back (with the epoch
 * it had) if it failed. The counters change only after the call. */
typedef struct realloc_state {
  block_info old;
  int known, tracking;
} realloc_state;

static void realloc_begin(realloc_state *st, void *old) {
  st->tracking = TRACKING;
  st->known = 0;
  if (st->tracking && old) st->known = take((uintptr_t)old, &st->old);
}

/* failed: the call did not free `old` (p is NULL for a non-zero size, or
 * the size computation overflowed). */
static void realloc_end(realloc_state *st, enum event ev, uintptr_t old, void *p, uint64_t size, int failed,
                        tprof_site_record *site) {
  if (!st->tracking) return;
  if (old == 0) {
    record_alloc(ev, p, size, site);
    return;
  }
  uint32_t s = site_id(site);
  int one = ONE_THREAD;
  UPDATE_BEGIN();
  if (failed) {
    count_add(&failed_allocations, 1, one);
    if (st->known) place(old, st->old.size, st->old.site, st->old.epoch);
  } else {
    if (!st->known) {
      count_add(&untracked_frees, 1, one);
    } else if (is_current(&st->old)) {
      count_free(&st->old, one);
      trace(ev, st->old.size, old, s); /* the release half */
    }
    if (p) {
      count_add(&reallocations, 1, one);
      count_alloc(ev, (uintptr_t)p, size, s, one);
    }
  }
  UPDATE_END();
  if (!failed && p) tprof_node_note_alloc(tprof_current_thread(), size);
}

/* The old address as a plain number: after the call it is only a key.
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
  realloc_begin(&st, old);
  void *p = realloc(old, size);
  realloc_end(&st, EV_REALLOC, key, p, size, !p && size != 0, site);
  return p;
}

TPROF_EXPORT void *__tprof_reallocarray(void *old, size_t n, size_t size, tprof_site_record *site) {
  size_t bytes;
  int overflow = __builtin_mul_overflow(n, size, &bytes);
  realloc_state st;
  uintptr_t key = address_value(old);
  realloc_begin(&st, old);
  void *p = reallocarray(old, n, size);
  realloc_end(&st, EV_REALLOCARRAY, key, p, overflow ? 0 : bytes, !p && (overflow || bytes != 0), site);
  return p;
}

/* ---- for the exporter and the API: no lock, so an export on a thread
 * stopped anywhere in a hook never waits ---- */

/* The process-wide figures that are not sums over sites, given the sums
 * and the number of traced events read before them. */
static void finish_totals(tprof_heap_totals *t, uint64_t traced) {
  t->current_bytes = t->allocated_bytes - t->freed_bytes;
  t->live_blocks = t->allocation_count - t->deallocation_count;
  /* mid-update, the peak may not have risen yet to the current bytes */
  uint64_t high = __atomic_load_n(&peak.peak, __ATOMIC_RELAXED);
  t->peak_bytes = high > t->current_bytes ? high : t->current_bytes;
  t->reallocation_count = load(&reallocations);
  t->failed_allocations = load(&failed_allocations);
  t->untracked_frees = load(&untracked_frees);
  uint64_t events = t->allocation_count + t->deallocation_count, stale = load(&stale_frees);
  events = events > stale ? events - stale : 0;
  t->traced_events = traced;
  t->dropped_traces = events > traced ? events - traced : 0;
}

void tprof_heap_totals_get(tprof_heap_totals *out) {
  *out = (tprof_heap_totals){0};
  uint64_t traced = tprof_heap_traced_count();
  tprof_heap_sites_sum(out);
  finish_totals(out, traced);
}

void tprof_heap_snapshot(tprof_heap_totals *totals, tprof_site_stat *sites, uint32_t n, tprof_trace_view *traces) {
  /* traces first: the events read after them include every traced one */
  *traces = tprof_heap_traces_view();
  tprof_heap_sites_get(sites, n);
  *totals = (tprof_heap_totals){0};
  for (uint32_t i = 0; i < n; i++) tprof_heap_site_add(totals, &sites[i]);
  finish_totals(totals, traces->ncomplete);
}

/* Blocks allocated before the reset stay known (their frees are not
 * "untracked") but are counted nowhere: they belong to an older epoch. */
void tprof_heap_reset(void) {
  int saved_errno = errno;
  /* closed while the books change (a handler's free meanwhile takes the
   * long way); tprof_heap_traces_clear below opens it again */
  __atomic_store_n(&tprof_heap_free_gate, GATE_CLOSED, __ATOMIC_SEQ_CST);
  uint32_t next = current_epoch() + 1;
  if (next > EPOCH_MAX) {
    tprof_heap_shadow_age_all();
    next = 1;
  }
  tprof_heap_table_age();
  __atomic_store_n(&live_mark, (uint64_t)next << W_EPOCH_SHIFT | W_PRESENT, __ATOMIC_SEQ_CST);
  tprof_heap_sites_clear();
  __atomic_store_n(&peak.peak, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&peak.room, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&reallocations, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&failed_allocations, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&untracked_frees, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&stale_frees, 0, __ATOMIC_RELAXED);
  tprof_heap_traces_clear();
  errno = saved_errno;
}

/* Every hook the pass may call (include/tprof/alloc_hooks.def) is defined
 * above: a missing one fails the build here, not a user's link. */
#include "tprof/alloc_hooks.def"
#define TPROF_HOOK_DEFINED(name, arity) (void *)__tprof_##name,
__attribute__((used)) static void *const tprof_allocation_hooks[] = {TPROF_ALLOCATION_HOOKS(TPROF_HOOK_DEFINED)};
#undef TPROF_HOOK_DEFINED
