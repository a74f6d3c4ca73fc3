#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct tp_map {
  size_t val_size, max_keys;
  tp_entry *entries; /* insertion order */
  size_t n, cap;
  uint32_t *slots; /* open addressing: entry index + 1, 0 = empty */
  size_t nslots;
};

static uint64_t hash(const char *s) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

tp_map *tp_map_new(size_t val_size, size_t max_keys) {
  tp_map *m = xcalloc(1, sizeof *m);
  m->val_size = val_size;
  m->max_keys = max_keys;
  m->nslots = 64;
  m->slots = xcalloc(m->nslots, sizeof *m->slots);
  return m;
}

void tp_map_free(tp_map *m) {
  if (!m) return;
  for (size_t i = 0; i < m->n; i++) {
    free(m->entries[i].key);
    free(m->entries[i].val);
  }
  free(m->entries);
  free(m->slots);
  free(m);
}

static void grow(tp_map *m) {
  size_t ns = m->nslots * 2;
  uint32_t *s = xcalloc(ns, sizeof *s);
  for (size_t i = 0; i < m->n; i++) {
    size_t j = hash(m->entries[i].key) & (ns - 1);
    while (s[j]) j = (j + 1) & (ns - 1);
    s[j] = (uint32_t)(i + 1);
  }
  free(m->slots);
  m->slots = s;
  m->nslots = ns;
}

void *tp_map_get(tp_map *m, const char *key, int create) {
  size_t j = hash(key) & (m->nslots - 1);
  while (m->slots[j]) {
    tp_entry *e = &m->entries[m->slots[j] - 1];
    if (strcmp(e->key, key) == 0) return e->val;
    j = (j + 1) & (m->nslots - 1);
  }
  if (!create || m->n >= m->max_keys) return NULL;
  if (m->n == m->cap) {
    m->cap = m->cap ? m->cap * 2 : 16;
    m->entries = xrealloc(m->entries, m->cap * sizeof *m->entries);
  }
  tp_entry *e = &m->entries[m->n++];
  e->key = xstrdup(key);
  e->val = xcalloc(1, m->val_size);
  m->slots[j] = (uint32_t)m->n;
  if (m->n * 2 > m->nslots) grow(m);
  return e->val;
}

size_t tp_map_count(const tp_map *m) { return m->n; }
tp_entry *tp_map_entries(tp_map *m) { return m->entries; }
