/* A string-keyed hash table with a fixed-size value per key and a cap on the
 * number of keys, so a batch's aggregates stay bounded whatever the input. */
#ifndef TPROF_CLI_STRMAP_H
#define TPROF_CLI_STRMAP_H

#include <stddef.h>

typedef struct {
  char *key;
  void *val;
} tp_entry;

typedef struct tp_map tp_map;

tp_map *tp_map_new(size_t val_size, size_t max_keys);
void tp_map_free(tp_map *m);
/* The value of key, zero-filled when new (created) or NULL when the key is
 * new and the map is at its cap (the caller counts it elsewhere). */
void *tp_map_get(tp_map *m, const char *key, int create);
size_t tp_map_count(const tp_map *m);
/* Entries in insertion order (stable for determinism); valid until the next
 * insertion. */
tp_entry *tp_map_entries(tp_map *m);

#endif
