/* memory.c's tprof_sort and tprof_sort_keyed: a stable sort of rows of any size, against a
 * reference (insertion sort, stable by construction) on random keys with
 * many ties, sorted and reversed input, rows of 4 to 600 bytes, and every
 * length up to 300. */
#include "../../runtime/internal.h"
#include "check.h"

#include <stdint.h>
#include <string.h>

enum { MAX_ROWS = 3000, MAX_SIZE = 600 };

/* The key is a row's first 4 bytes. */
static int by_key(const void *a, const void *b) {
  uint32_t x, y;
  memcpy(&x, a, 4);
  memcpy(&y, b, 4);
  return x < y ? -1 : x > y;
}

/* The same order as keys: the top bits, then the bottom two. */
static tprof_sort_key key_of(const void *a) {
  uint32_t x;
  memcpy(&x, a, 4);
  return (tprof_sort_key){x >> 2, x & 3};
}

static unsigned char rows[MAX_ROWS * MAX_SIZE], expected[MAX_ROWS * MAX_SIZE], input[MAX_ROWS * MAX_SIZE];

/* Each row: its key, then its original position in the rest of its bytes
 * (so a stability slip changes the bytes). */
static void fill(size_t n, size_t size, int kind, uint32_t keys) {
  for (size_t i = 0; i < n; i++) {
    unsigned char *r = rows + i * size;
    uint32_t key = kind == 0 ? (uint32_t)(check_random() % keys) : kind == 1 ? (uint32_t)i : (uint32_t)(n - i);
    for (size_t b = 0; b < size; b++) r[b] = (unsigned char)((i >> (8 * (b % 4))) + b);
    memcpy(r, &key, 4);
  }
}

static void reference(size_t n, size_t size) {
  unsigned char tmp[MAX_SIZE];
  memcpy(expected, rows, n * size);
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j && by_key(expected + (j - 1) * size, expected + j * size) > 0; j--) {
      memcpy(tmp, expected + j * size, size);
      memcpy(expected + j * size, expected + (j - 1) * size, size);
      memcpy(expected + (j - 1) * size, tmp, size);
    }
}

static int sorted_like_reference(size_t n, size_t size, int kind, uint32_t keys) {
  fill(n, size, kind, keys);
  memcpy(input, rows, n * size);
  reference(n, size);
  tprof_sort(rows, n, size, by_key);
  if (memcmp(rows, expected, n * size) != 0) return 0;
  memcpy(rows, input, n * size); /* tprof_sort_keyed: the same result */
  tprof_sort_keyed(rows, n, size, key_of, by_key);
  return memcmp(rows, expected, n * size) == 0;
}

int main(void) {
  static const size_t sizes[] = {4, 8, 13, 64, 200, 600}; /* 600: above the 256-byte buffer rows are exchanged through */
  for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
    size_t size = sizes[s];
    int all = 1;
    for (size_t n = 0; n <= 300; n++)
      for (int kind = 0; kind < 3; kind++) all &= sorted_like_reference(n, size, kind, 7);
    CHECK(all);
    CHECK(sorted_like_reference(MAX_ROWS, size, 0, 50));    /* many ties: stability */
    CHECK(sorted_like_reference(MAX_ROWS, size, 0, 1u << 30)); /* nearly distinct */
    CHECK(sorted_like_reference(MAX_ROWS, size, 1, 0));     /* sorted already */
    CHECK(sorted_like_reference(MAX_ROWS, size, 2, 0));     /* reversed */
  }
  CHECK_DONE();
}
