/* The table of live blocks that the shadow map cannot hold (not 16-byte
 * aligned, above 2^47, 128 MiB or more, or in a region whose mapping
 * failed): rare with glibc's malloc, so a lock is affordable. With another
 * allocator it holds every block (heap_books.h). */
#include "heap_books.h"

#include <sched.h>

/* ---- the table, for what the map cannot hold ----
 * Open addressing with linear probing, indexed by address order; deletion
 * shifts the following entries back (no tombstones). A spinlock once the
 * process has threads: a thread holding it is inside a few instructions of
 * table code, and nothing that exports ever takes it. */
typedef struct entry {
  uintptr_t addr; /* 0: empty */
  block_info b;
} entry;
static entry *table;
static size_t table_cap;
size_t tprof_heap_table_live;
static volatile int table_spin;

static inline int table_lock(void) {
  if (ONE_THREAD) return 0;
  while (__atomic_exchange_n(&table_spin, 1, __ATOMIC_ACQUIRE))
    for (unsigned spins = 0; __atomic_load_n(&table_spin, __ATOMIC_RELAXED); spins++) {
      if (spins < 256)
        __builtin_ia32_pause();
      else
        sched_yield();
    }
  return 1;
}
static inline void table_unlock(int locked) {
  if (locked) __atomic_store_n(&table_spin, 0, __ATOMIC_RELEASE);
}

static inline size_t slot_of(uintptr_t a, size_t cap) { return (size_t)((a >> 4) ^ (a >> 20)) & (cap - 1); }

static int table_rehash(size_t cap) {
  entry *fresh = tprof_mem_alloc_own(cap * sizeof *fresh);
  if (!fresh) return -1;
  for (size_t i = 0; i < table_cap; i++)
    if (table[i].addr) {
      size_t j = slot_of(table[i].addr, cap);
      while (fresh[j].addr) j = (j + 1) & (cap - 1);
      fresh[j] = table[i];
    }
  tprof_mem_free(table);
  table = fresh;
  table_cap = cap;
  return 0;
}

/* Inserts; returns 1 and the entry it replaced (stale, see place()), 0, or
 * -1 when out of memory (the block then stays unknown: its free will count
 * as untracked). Kept at most half full. Lock held. */
static int table_insert(uintptr_t a, const block_info *b, block_info *stale) {
  if ((tprof_heap_table_live + 1) * 2 > table_cap && table_rehash(table_cap ? table_cap * 2 : 1024) != 0) return -1;
  size_t i = slot_of(a, table_cap);
  for (; table[i].addr; i = (i + 1) & (table_cap - 1))
    if (table[i].addr == a) {
      *stale = table[i].b;
      table[i].b = *b;
      return 1;
    }
  /* the detour first: the common allocation must not miss the entry */
  if (tprof_heap_table_live == 0) __atomic_fetch_or(&tprof_heap_detours, DETOUR_TABLE, __ATOMIC_SEQ_CST);
  table[i] = (entry){a, *b};
  __atomic_store_n(&tprof_heap_table_live, tprof_heap_table_live + 1, __ATOMIC_RELEASE);
  return 0;
}

/* Removes a; returns 1 and its block when it was there. Lock held. */
static int table_remove(uintptr_t a, block_info *out) {
  if (!table_cap) return 0;
  size_t mask = table_cap - 1, i = slot_of(a, table_cap);
  while (table[i].addr != a) {
    if (!table[i].addr) return 0;
    i = (i + 1) & mask;
  }
  *out = table[i].b;
  __atomic_store_n(&tprof_heap_table_live, tprof_heap_table_live - 1, __ATOMIC_RELEASE);
  for (size_t j = (i + 1) & mask; table[j].addr; j = (j + 1) & mask) {
    size_t home = slot_of(table[j].addr, table_cap);
    /* j's entry may fill the gap at i when its home is not in (i, j] */
    if (((j - home) & mask) >= ((j - i) & mask)) {
      table[i] = table[j];
      i = j;
    }
  }
  table[i].addr = 0;
  if (tprof_heap_table_live == 0) __atomic_fetch_and(&tprof_heap_detours, ~DETOUR_TABLE, __ATOMIC_SEQ_CST);
  return 1;
}

int tprof_heap_table_take(uintptr_t a, block_info *out) {
  if (table_empty()) return 0; /* the common answer, without the lock */
  int locked = table_lock();
  int found = table_remove(a, out);
  table_unlock(locked);
  return found;
}

int tprof_heap_table_put(uintptr_t a, const block_info *b, block_info *stale) {
  int locked = table_lock();
  int replaced = table_insert(a, b, stale);
  table_unlock(locked);
  return replaced;
}

void tprof_heap_table_age(void) {
  int locked = table_lock();
  for (size_t i = 0; i < table_cap; i++)
    if (table[i].addr) table[i].b.epoch = 0;
  table_unlock(locked);
}

/* ---- fork: the map needs nothing (a word is written in one store; the
 * child starts a new epoch); the table is not copied half-updated ---- */
static int fork_locked;
void tprof_heap_fork_prepare(void) { fork_locked = table_lock(); }
void tprof_heap_fork_parent(void) { table_unlock(fork_locked); }
void tprof_heap_fork_child(void) {
  /* the child has one thread: a lock held by another thread is gone */
  __atomic_store_n(&table_spin, 0, __ATOMIC_RELEASE);
}
