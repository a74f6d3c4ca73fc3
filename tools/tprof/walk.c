#define _GNU_SOURCE
#include "walk.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

static const char SUFFIX[] = "_metrics.json";

/* Byte order, not the locale's collation: the same on every machine. */
static int by_bytes(const struct dirent **a, const struct dirent **b) { return strcmp((*a)->d_name, (*b)->d_name); }

static int wanted(const struct dirent *e) {
  if (e->d_name[0] == '.') return 0; /* also skips the runtime's temporary names */
  return 1;
}

static void walk_dir(const char *dir, tp_visit visit, void *arg, int depth) {
  struct dirent **list;
  int n = scandir(dir, &list, wanted, by_bytes);
  if (n < 0) {
    visit(dir, arg);
    return;
  }
  for (int i = 0; i < n; i++) {
    char *p = tp_path_join(dir, list[i]->d_name);
    size_t len = strlen(list[i]->d_name);
    int is_dir = list[i]->d_type == DT_DIR, is_file = list[i]->d_type == DT_REG;
    if (list[i]->d_type == DT_UNKNOWN || list[i]->d_type == DT_LNK) {
      struct stat st;
      /* A symlink to a file counts; a symlink to a directory is not
       * followed (it could loop). */
      if (stat(p, &st) == 0) {
        is_file = S_ISREG(st.st_mode);
        is_dir = S_ISDIR(st.st_mode) && list[i]->d_type != DT_LNK;
      }
    }
    if (is_dir && depth < 64) walk_dir(p, visit, arg, depth + 1);
    else if (is_file && len >= sizeof SUFFIX - 1 && strcmp(list[i]->d_name + len - (sizeof SUFFIX - 1), SUFFIX) == 0)
      visit(p, arg);
    free(p);
    free(list[i]);
  }
  free(list);
}

void tp_walk(const char *path, tp_visit visit, void *arg) {
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) walk_dir(path, visit, arg, 0);
  else visit(path, arg);
}
