/* A small allocator, linked into test/e2e/own_allocator.c's program and
 * compiled without the pass (an allocator library): blocks of up to 16
 * bytes in 16-byte slots of one slab, side by side, reused through a free
 * list; larger ones (libc's own buffers) from a bump area with a 16-byte
 * header holding the size, never reused. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { SLOTS = 4096, AREA = 1 << 22 };
static _Alignas(16) unsigned char slab[SLOTS][16];
static _Alignas(16) unsigned char area[AREA];
static size_t slab_used, area_used;
static void *free_slots;

static int in_slab(const void *p) {
  return (const unsigned char *)p >= slab[0] && (const unsigned char *)p < slab[SLOTS];
}

void *malloc(size_t n) {
  if (n <= 16) {
    if (free_slots) {
      void *p = free_slots;
      memcpy(&free_slots, p, sizeof free_slots);
      return p;
    }
    return slab_used < SLOTS ? slab[slab_used++] : NULL;
  }
  size_t need = 16 + ((n + 15) & ~(size_t)15);
  if (need > AREA - area_used) return NULL;
  unsigned char *h = area + area_used;
  area_used += need;
  memcpy(h, &n, sizeof n);
  return h + 16;
}

void free(void *p) {
  if (p && in_slab(p)) {
    memcpy(p, &free_slots, sizeof free_slots);
    free_slots = p;
  }
}

void *calloc(size_t k, size_t n) {
  if (n && k > SIZE_MAX / n) return NULL;
  void *p = malloc(k * n);
  if (p) memset(p, 0, k * n);
  return p;
}

void *realloc(void *p, size_t n) {
  if (!p) return malloc(n);
  size_t old = 16;
  if (!in_slab(p)) memcpy(&old, (unsigned char *)p - 16, sizeof old);
  void *q = malloc(n);
  if (q) {
    memcpy(q, p, old < n ? old : n);
    free(p);
  }
  return q;
}
