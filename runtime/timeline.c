/* The bounded timeline: the first `timeline_max_events` completed calls of
 * operations and regions (of every function with timeline_functions=1),
 * for trace viewers. A slot is claimed with one atomic add, so threads and
 * signal handlers never wait; calls past the cap are only counted. */
#include "internal.h"

#include <sys/mman.h>

/* The hooks append inline (tprof_timeline_append, internal.h). */
tprof_timeline_event *tprof_timeline_buf;
uint64_t tprof_timeline_cap, tprof_timeline_next;

void tprof_timeline_configure(int hooks_on) {
  uint64_t want = (uint64_t)tprof_cfg.timeline_max_events;
  /* Not reserved before a hook may record: with the profile off it is
   * never used. */
  if (!tprof_timeline_buf && !hooks_on) return;
  if (want <= tprof_timeline_cap) {
    __atomic_store_n(&tprof_timeline_cap, want, __ATOMIC_RELEASE);
    return;
  }
  /* In the hot range when it fits (the default 10,000 events do), else
   * reserved, not committed: pages are touched only as events arrive. The
   * old buffer is never unmapped: a writer may still be filling a slot. */
  void *p = tprof_mem_hot(want * sizeof *tprof_timeline_buf);
  if (!p)
    p = mmap(NULL, want * sizeof *tprof_timeline_buf, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    tprof_warn("cannot reserve a timeline of %llu events; the timeline is off", (unsigned long long)want);
    return;
  }
  uint64_t have = __atomic_load_n(&tprof_timeline_next, __ATOMIC_ACQUIRE);
  if (tprof_timeline_buf && have) {
    uint64_t keep = have < tprof_timeline_cap ? have : tprof_timeline_cap;
    for (uint64_t i = 0; i < keep; i++) ((tprof_timeline_event *)p)[i] = tprof_timeline_buf[i];
  }
  __atomic_store_n(&tprof_timeline_buf, p, __ATOMIC_RELEASE);
  __atomic_store_n(&tprof_timeline_cap, want, __ATOMIC_RELEASE);
}

void tprof_timeline_record(uint32_t id, uint32_t thread, uint64_t start, uint64_t end) {
  tprof_timeline_event *ev = tprof_timeline_append(id, thread, start, end);
  if (TPROF_UNLIKELY(tprof_timeline_opens_page(ev))) tprof_timeline_map_ahead(ev);
}

void tprof_timeline_map_ahead(const tprof_timeline_event *ev) {
  const tprof_timeline_event *buf = __atomic_load_n(&tprof_timeline_buf, __ATOMIC_ACQUIRE);
  uint64_t cap = __atomic_load_n(&tprof_timeline_cap, __ATOMIC_ACQUIRE);
  /* ev may be in an older buffer (tprof_timeline_configure replaced it):
   * nothing more is written there */
  if (ev < buf || ev >= buf + cap) return;
  tprof_mem_populate_next_run(buf, ev, buf + cap, TPROF_POPULATE_RUN);
}

size_t tprof_timeline_snapshot(const tprof_timeline_event **events, uint32_t **idx, uint64_t *dropped) {
  uint64_t cap = __atomic_load_n(&tprof_timeline_cap, __ATOMIC_ACQUIRE);
  uint64_t used = __atomic_load_n(&tprof_timeline_next, __ATOMIC_ACQUIRE);
  const tprof_timeline_event *buf = __atomic_load_n(&tprof_timeline_buf, __ATOMIC_ACQUIRE);
  uint64_t n = used < cap ? used : cap;
  *dropped = used - n;
  *events = buf;
  *idx = NULL;
  if (!n || !buf) return 0;
  uint32_t *out = tprof_mem_alloc_temp(n * sizeof *out);
  if (!out) {
    *dropped = used;
    return 0;
  }
  size_t k = 0;
  for (uint64_t i = 0; i < n; i++)
    if (__atomic_load_n(&buf[i].end, __ATOMIC_ACQUIRE)) out[k++] = (uint32_t)i; /* 0: being written */
  *idx = out;
  return k;
}

void tprof_timeline_reset(void) { __atomic_store_n(&tprof_timeline_next, 0, __ATOMIC_RELEASE); }

/* By start, the enclosing call first at equal starts. */
static inline int before(const tprof_timeline_event *x, const tprof_timeline_event *y) {
  return x->start != y->start ? x->start < y->start : x->end > y->end;
}

/* A bottom-up merge sort of the indices with one scratch array (the
 * generic tprof_sort cost ~800 instructions an event here). */
static void merge_sort(const tprof_timeline_event *ev, uint32_t *v, size_t n) {
  uint32_t *tmp = n > 1 ? tprof_mem_alloc_temp(n * sizeof *tmp) : NULL;
  if (!tmp) {
    for (size_t i = 1; i < n; i++) /* out of memory: insertion sort, fine on sorted input */
      for (size_t j = i; j && before(&ev[v[j]], &ev[v[j - 1]]); j--) {
        uint32_t t = v[j];
        v[j] = v[j - 1];
        v[j - 1] = t;
      }
    return;
  }
  uint32_t *src = v, *dst = tmp;
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t a = lo, b = mid, k = lo;
      if (mid < hi && !before(&ev[src[mid]], &ev[src[mid - 1]])) { /* already in order: one copy */
        while (a < hi) dst[k++] = src[a++];
        continue;
      }
      while (a < mid && b < hi) dst[k++] = before(&ev[src[b]], &ev[src[a]]) ? src[b++] : src[a++];
      while (a < mid) dst[k++] = src[a++];
      while (b < hi) dst[k++] = src[b++];
    }
    uint32_t *t = src;
    src = dst;
    dst = t;
  }
  if (src != v)
    for (size_t i = 0; i < n; i++) v[i] = src[i];
  tprof_mem_free(tmp);
}

/* The events come in the order the calls ended: a call's event comes
 * after those of the calls it made, which started later. Moving each event
 * back over them is a few moves an event when calls nest shallowly (as
 * operations do), and needs no scratch array (its page faults cost more
 * than the sort); past a budget of moves, the merge sort finishes. Both
 * keep equal events in their order, so the result is the same. */
void tprof_timeline_sort(const tprof_timeline_event *ev, uint32_t *v, size_t n) {
  size_t budget = 4 * n + 4096;
  for (size_t i = 1; i < n; i++) {
    if (!before(&ev[v[i]], &ev[v[i - 1]])) continue;
    uint32_t x = v[i];
    size_t j = i - 1;
    while (j && before(&ev[x], &ev[v[j - 1]])) j--;
    if (i - j > budget) {
      merge_sort(ev, v, n);
      return;
    }
    budget -= i - j;
    memmove(&v[j + 1], &v[j], (i - j) * sizeof *v);
    v[j] = x;
  }
}
