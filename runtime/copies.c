/* Several copies of the runtime in one process: shared libraries (plugins,
 * Python extension modules) each linked with libtprof_rt.a and loaded with
 * dlopen. Each copy has its own registry, thread states and heap table, and
 * sees only the code linked against it; a copy in a library loaded with
 * RTLD_LOCAL cannot even be found by symbol lookup from the others. Merging
 * them would need a process-wide meeting point that every copy can reach
 * before its first hook (and that a fork, a dlclose or a second process
 * namespace does not break), so instead no copy shares anything: a runtime
 * linked statically into a shared library names its file sets after that
 * library ("<program_id>.<library>"), so no set replaces another's. The
 * second copy to start looks for the others among the loaded objects and
 * says once how to get a single set: link with -ltprof_rt. */
#include "internal.h"

#include <dlfcn.h>
#include <link.h>
#include <string.h>

/* Weak: a static executable that does not use the dynamic loader does not
 * link it in for us (and gets no warning about dlopen in static programs);
 * there the runtime is the executable's, the only copy. */
#pragma weak dladdr1
#pragma weak dlopen
#pragma weak dlsym
#pragma weak dlclose

static char copy_name[128];

const char *tprof_copy_name(void) { return copy_name; }

/* The object that contains `addr`; NULL when unknown. */
static struct link_map *object_of(const void *addr) {
  Dl_info info;
  struct link_map *map = NULL;
  if (!dladdr1 || !dladdr1(addr, &info, (void **)&map, RTLD_DL_LINKMAP)) return NULL;
  return map;
}

int tprof_in_main_program(const void *addr) {
  struct link_map *map = object_of(addr);
  return map && !map->l_prev; /* the executable is the first object */
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

typedef struct loaded {
  char names[8192];
  size_t used;
} loaded;

/* dl_iterate_phdr holds the loader's lock: only copy the names here, open
 * nothing. */
static int note_object(struct dl_phdr_info *info, size_t size, void *arg) {
  (void)size;
  loaded *l = arg;
  size_t n = info->dlpi_name ? strlen(info->dlpi_name) : 0;
  if (n && l->used + n + 1 < sizeof l->names) {
    memcpy(l->names + l->used, info->dlpi_name, n + 1);
    l->used += n + 1;
  }
  return 0;
}

/* Another loaded object whose __tprof_func_enter is not ours: its name. */
static const char *find_other_copy(struct link_map *self, loaded *l) {
  if (!dlopen || !dlsym || !dlclose) return NULL;
  dl_iterate_phdr(note_object, l);
  for (size_t at = 0; at < l->used; at += strlen(l->names + at) + 1) {
    const char *name = l->names + at;
    void *h = dlopen(name, RTLD_NOLOAD | RTLD_LAZY);
    if (!h) continue;
    void *hook = dlsym(h, "__tprof_func_enter");
    struct link_map *owner = hook ? object_of(hook) : NULL;
    dlclose(h);
    if (owner && owner != self && owner->l_name) return owner->l_name;
  }
  return NULL;
}

void tprof_copies_init(void) {
  struct link_map *self = object_of((const void *)tprof_copies_init);
  /* The executable is the first object (empty name); libtprof_rt.so is the
   * shared runtime: neither is a copy linked into a library. */
  if (!self || !self->l_prev || !self->l_name || !self->l_name[0]) return;
  const char *base = base_name(self->l_name);
  if (!strncmp(base, "libtprof_rt.so", 14)) return;
  size_t n = strcspn(base, ".");
  if (!n) n = strlen(base);
  if (n >= sizeof copy_name) n = sizeof copy_name - 1;
  memcpy(copy_name, base, n);
  copy_name[n] = '\0';
  static loaded l; /* init runs once */
  const char *other = find_other_copy(self, &l);
  if (other)
    tprof_warn("%s and %s each contain a copy of the tprof runtime (libtprof_rt.a linked into a shared library): "
               "each copy writes its own file set, named <program_id>.<library>_...; link the instrumented "
               "libraries with -ltprof_rt instead to get one set for the process",
               base, base_name(other));
}
