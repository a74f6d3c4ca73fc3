#define _GNU_SOURCE
#include "walk.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

static const char SUFFIX[] = "_metrics.json";

/* Names are taken from a directory in sorted batches of BATCH: each pass
 * over the directory keeps the BATCH smallest names after the last one
 * handled (a max-heap), so a directory of 100,000 files is walked in byte
 * order with memory for BATCH names, at the price of one readdir pass per
 * batch (cheap: the listing is in the kernel's cache). */
#define BATCH 1024

typedef struct entry {
  char *name;
  unsigned char type;
} entry;

/* Byte order, not the locale's collation: the same on every machine. */
static int greater(const entry *a, const entry *b) { return strcmp(a->name, b->name) > 0; }

static void sift_down(entry *heap, size_t n, size_t i) {
  for (;;) {
    size_t big = i, l = 2 * i + 1, r = l + 1;
    if (l < n && greater(&heap[l], &heap[big])) big = l;
    if (r < n && greater(&heap[r], &heap[big])) big = r;
    if (big == i) return;
    entry t = heap[i];
    heap[i] = heap[big];
    heap[big] = t;
    i = big;
  }
}

static void sift_up(entry *heap, size_t i) {
  while (i && greater(&heap[i], &heap[(i - 1) / 2])) {
    entry t = heap[i];
    heap[i] = heap[(i - 1) / 2];
    heap[(i - 1) / 2] = t;
    i = (i - 1) / 2;
  }
}

static int wanted(const char *name) { return name[0] != '.'; /* also skips the runtime's temporary names */ }

/* One pass: the (up to) BATCH smallest wanted names above `after`, sorted
 * into heap[0..*n). Returns -1 when the directory cannot be read. */
static int next_batch(const char *dir, const char *after, entry *heap, size_t *n) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  *n = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (!wanted(e->d_name) || (after && strcmp(e->d_name, after) <= 0)) continue;
    if (*n == BATCH) {
      if (strcmp(e->d_name, heap[0].name) >= 0) continue;
      free(heap[0].name); /* the largest kept goes: this one is smaller */
      heap[0] = (entry){xstrdup(e->d_name), e->d_type};
      sift_down(heap, *n, 0);
    } else {
      heap[*n] = (entry){xstrdup(e->d_name), e->d_type};
      sift_up(heap, (*n)++);
    }
  }
  closedir(d);
  for (size_t k = *n; k > 1; k--) { /* heap sort: ascending */
    entry t = heap[0];
    heap[0] = heap[k - 1];
    heap[k - 1] = t;
    sift_down(heap, k - 1, 0);
  }
  return 0;
}

static void walk_dir(const char *dir, tp_visit visit, void *arg, int depth) {
  entry *heap = xmalloc(BATCH * sizeof *heap);
  char *after = NULL;
  size_t n = 0;
  for (int first = 1;; first = 0) {
    if (next_batch(dir, after, heap, &n) != 0) {
      if (first) visit(dir, arg);
      break;
    }
    for (size_t i = 0; i < n; i++) {
      char *p = tp_path_join(dir, heap[i].name);
      size_t len = strlen(heap[i].name);
      int is_dir = heap[i].type == DT_DIR, is_file = heap[i].type == DT_REG;
      if (heap[i].type == DT_UNKNOWN || heap[i].type == DT_LNK) {
        struct stat st;
        /* A symlink to a file counts; a symlink to a directory is not
         * followed (it could loop). */
        if (stat(p, &st) == 0) {
          is_file = S_ISREG(st.st_mode);
          is_dir = S_ISDIR(st.st_mode) && heap[i].type != DT_LNK;
        }
      }
      if (is_dir && depth < 64)
        walk_dir(p, visit, arg, depth + 1);
      else if (is_file && len >= sizeof SUFFIX - 1 && strcmp(heap[i].name + len - (sizeof SUFFIX - 1), SUFFIX) == 0)
        visit(p, arg);
      free(p);
    }
    free(after);
    after = n ? heap[n - 1].name : NULL;
    for (size_t i = 0; i + 1 < n; i++) free(heap[i].name);
    if (n < BATCH) break;
  }
  free(after);
  free(heap);
}

void tp_walk(const char *path, tp_visit visit, void *arg) {
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
    walk_dir(path, visit, arg, 0);
  else
    visit(path, arg);
}
