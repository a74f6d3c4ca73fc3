/* The exporter's stable sorts, on the runtime's own memory (glibc's qsort
 * may call malloc): of row indices, the rows then put in place cycle by
 * cycle; tprof_sort_keyed compares a key taken once per row instead of
 * calling a comparison. */
#include "internal.h"

#include <string.h>

/* Merges the runs idx[lo, mid) and idx[mid, hi) into out, the left one
 * first among equals (stable). */
static void merge_runs(const char *a, size_t size, int (*cmp)(const void *, const void *), const size_t *idx,
                       size_t *out, size_t lo, size_t mid, size_t hi) {
  if (mid < hi && cmp(a + idx[mid] * size, a + idx[mid - 1] * size) >= 0) { /* already in order: one copy */
    memcpy(out + lo, idx + lo, (hi - lo) * sizeof *idx);
    return;
  }
  size_t i = lo, j = mid, k = lo;
  while (i < mid && j < hi) out[k++] = cmp(a + idx[j] * size, a + idx[i] * size) < 0 ? idx[j++] : idx[i++];
  while (i < mid) out[k++] = idx[i++];
  while (j < hi) out[k++] = idx[j++];
}

/* Exchanges two rows through a small buffer: rows go up to ~600 bytes (a
 * site's location). */
static void swap_rows(char *x, char *y, size_t size) {
  char t[256];
  for (size_t off = 0; off < size; off += sizeof t) {
    size_t k = size - off < sizeof t ? size - off : sizeof t;
    memcpy(t, x + off, k);
    memcpy(x + off, y + off, k);
    memcpy(y + off, t, k);
  }
}

/* Puts the row at from[i] at position i, for every i, in place, one cycle
 * of the permutation at a time; from[] is used up (from[i] = i once done).
 * A copy of the rows cost the exporter n * size bytes of fresh memory. */
static void permute_rows(char *a, size_t n, size_t size, size_t *from) {
  for (size_t i = 0; i < n; i++) {
    size_t j = i;
    while (from[j] != i) { /* a[j] gets its row; the one it held (row i) moves on to from[j] */
      size_t k = from[j];
      swap_rows(a + j * size, a + k * size, size);
      from[j] = j;
      j = k;
    }
    from[j] = j; /* the cycle's last place: row i is there */
  }
}

/* A stable merge sort on our own memory: glibc's qsort may call malloc.
 * It sorts the rows' indices and moves the rows once at the end: moving
 * the rows (~100 bytes each) at every level cost a memcpy call per row and
 * level, more than the comparisons. */
void tprof_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  if (n < 2) return;
  char *a = base;
  size_t sorted = 1; /* input in order already (the operations, made from rows in that order): nothing to do */
  while (sorted < n && cmp(a + (sorted - 1) * size, a + sorted * size) <= 0) sorted++;
  if (sorted == n) return;
  size_t *idx = tprof_mem_alloc_temp(2 * n * sizeof *idx);
  if (!idx) { /* insertion sort without extra memory */
    for (size_t i = 1; i < n; i++)
      for (size_t j = i; j && cmp(a + (j - 1) * size, a + j * size) > 0; j--)
        swap_rows(a + (j - 1) * size, a + j * size, size);
    return;
  }
  size_t *src = idx, *dst = idx + n;
  for (size_t i = 0; i < n; i++) src[i] = i;
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      merge_runs(a, size, cmp, src, dst, lo, mid, hi);
    }
    size_t *t = src;
    src = dst;
    dst = t;
  }
  permute_rows(a, n, size, src);
  tprof_mem_free(idx);
}

typedef struct keyed_row {
  uint64_t major, minor;
  size_t row;
} keyed_row;
static inline int key_less(const keyed_row *a, const keyed_row *b) {
  return a->major != b->major ? a->major < b->major : a->minor < b->minor;
}

/* tprof_sort's merges (stable: the left run first among equals) on the
 * keys with their rows' numbers (moved along: cheaper than looking them up
 * through the numbers), then the rows put in their places (permute_rows). */
void tprof_sort_keyed(void *base, size_t n, size_t size, tprof_sort_key (*key)(const void *),
                      int (*cmp)(const void *, const void *)) {
  if (n < 2) return;
  char *a = base;
  keyed_row *src = tprof_mem_alloc_temp(2 * n * sizeof *src);
  if (!src) {
    tprof_sort(base, n, size, cmp);
    return;
  }
  keyed_row *mem = src, *dst = src + n;
  for (size_t i = 0; i < n; i++) {
    tprof_sort_key k = key(a + i * size);
    src[i] = (keyed_row){k.major, k.minor, i};
  }
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, k = lo;
      if (mid < hi && key_less(&src[mid], &src[mid - 1]))
        while (i < mid && j < hi) dst[k++] = key_less(&src[j], &src[i]) ? src[j++] : src[i++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    keyed_row *t = src;
    src = dst;
    dst = t;
  }
  size_t *from = (size_t *)dst; /* the other half: free now, and a keyed row is wider than an index */
  for (size_t i = 0; i < n; i++) from[i] = src[i].row;
  permute_rows(a, n, size, from);
  tprof_mem_free(mem);
}
