/* Function and call-site registration: each record gets a dense id on its
 * first use (the only time a hook takes a lock), and its strings are copied
 * so the names outlive a dlclose'd library. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static pthread_mutex_t registry_mutex = PTHREAD_MUTEX_INITIALIZER;
static tprof_func_info *funcs;   /* by id; [0] unused */
static uint32_t func_count = 1, func_cap;
static tprof_site_info *sites;
static uint32_t site_count = 1, site_cap;
static int warned_abi, warned_full;

static char *copy(const char *s) { return tprof_mem_strdup(s ? s : ""); }

static int grow(void **array, uint32_t *cap, uint32_t need, size_t elem) {
  if (need < *cap)
    return 0;
  uint32_t n = *cap ? *cap * 2 : 1024;
  while (n <= need) n *= 2;
  void *p = tprof_mem_realloc(*array, (size_t)n * elem); /* zeroed beyond the copy */
  if (!p)
    return -1;
  *array = p;
  *cap = n;
  return 0;
}

/* Copies the string whose pointer is stored at `field` into out, without
 * trusting either: a record from a pass of another ABI version may have
 * another layout. process_vm_readv on ourselves fails with EFAULT where a
 * plain read would crash. Returns 0 with a NUL-terminated copy, else -1. */
static int copy_foreign_string(const void *field, char *out, size_t n) {
  const char *p;
  struct iovec local = {&p, sizeof p}, remote = {(void *)field, sizeof p};
  if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != (ssize_t)sizeof p || !p)
    return -1;
  memset(out, 0, n);
  /* byte by byte: the string may end right before an unmapped page */
  for (size_t i = 0; i + 1 < n; i++) {
    local = (struct iovec){out + i, 1};
    remote = (struct iovec){(void *)(p + i), 1};
    if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != 1)
      return -1;
    if (!out[i])
      return 0;
  }
  return 0; /* truncated */
}

/* One message per refused record (the record is then marked, so never
 * twice), naming it and both versions; after a few, one last line. */
#define ABI_MESSAGES 5
static int abi_ok(uint32_t version, const char *kind, const void *name_field) {
  if (version == TPROF_ABI_VERSION)
    return 1;
  char name[256];
  if (copy_foreign_string(name_field, name, sizeof name) != 0)
    snprintf(name, sizeof name, "(name unreadable)");
  if (warned_abi < ABI_MESSAGES)
    tprof_warn("%s '%s' was compiled by a tprof pass of ABI version %u, but this runtime has ABI version %u; "
               "it is not counted. Rebuild it with the tprof.so that matches this libtprof_rt.",
               kind, name, version, TPROF_ABI_VERSION);
  else if (warned_abi == ABI_MESSAGES)
    tprof_warn("more records of another ABI version: not counted, not reported");
  warned_abi++;
  return 0;
}

static int full(uint32_t count) {
  if (count < TPROF_MAX_IDS)
    return 0;
  if (!warned_full++)
    tprof_warn("more than %u functions or allocation sites; the rest are not counted", TPROF_MAX_IDS - 1);
  return 1;
}

uint32_t tprof_register_function(tprof_func_record *rec) {
  tprof_ensure_init();
  sigset_t mask;
  tprof_registry_lock(&mask);
  uint32_t id = __atomic_load_n(&rec->id, __ATOMIC_ACQUIRE);
  if (id == 0) {
    if (!abi_ok(rec->abi_version, "function", &rec->name) ||
        full(func_count) || grow((void **)&funcs, &func_cap, func_count, sizeof *funcs)) {
      id = TPROF_REJECTED;
    } else {
      id = func_count++;
      tprof_func_info *fi = &funcs[id];
      fi->name = copy(rec->name);
      fi->op_name = rec->op_name ? copy(rec->op_name) : NULL;
      fi->file = copy(rec->file);
      fi->line = rec->line;
      fi->flags = rec->flags;
      fi->is_region = (rec->flags & TPROF_FLAG_REGION) != 0;
    }
    __atomic_store_n(&rec->id, id, __ATOMIC_RELEASE);
  }
  tprof_registry_unlock(&mask);
  return id;
}

uint32_t tprof_register_site(tprof_site_record *site) {
  tprof_ensure_init();
  sigset_t mask;
  tprof_registry_lock(&mask);
  uint32_t id = __atomic_load_n(&site->id, __ATOMIC_ACQUIRE);
  if (id == 0) {
    if (!abi_ok(site->abi_version, "allocation site in function", &site->function) || full(site_count) ||
        grow((void **)&sites, &site_cap, site_count, sizeof *sites)) {
      id = TPROF_REJECTED;
    } else {
      id = site_count++;
      tprof_site_info *si = &sites[id];
      si->function = copy(site->function);
      si->file = copy(site->file);
      si->line = site->line;
      si->column = site->column;
    }
    __atomic_store_n(&site->id, id, __ATOMIC_RELEASE);
  }
  tprof_registry_unlock(&mask);
  return id;
}

/* Manual regions are operations without a function: one synthetic record per
 * name, made once and kept. */
typedef struct region {
  tprof_func_record rec;
  struct region *next;
} region;
static region *regions;

tprof_func_record *tprof_region_record(const char *name) {
  sigset_t mask;
  tprof_registry_lock(&mask);
  region *r = regions;
  while (r && strcmp(r->rec.op_name, name) != 0)
    r = r->next;
  if (!r && (r = tprof_mem_alloc(sizeof *r)) != NULL) {
    char *n = copy(name);
    r->rec.abi_version = TPROF_ABI_VERSION;
    r->rec.flags = TPROF_FUNC_OPERATION | TPROF_FLAG_REGION;
    r->rec.name = n;
    r->rec.op_name = n;
    r->rec.file = "";
    r->next = regions;
    regions = r;
  }
  tprof_registry_unlock(&mask);
  if (r && __atomic_load_n(&r->rec.id, __ATOMIC_ACQUIRE) == 0)
    tprof_register_function(&r->rec); /* is_region comes from the flag */
  return r ? &r->rec : NULL;
}

uint32_t tprof_function_count(void) { return func_count; }
uint32_t tprof_site_count(void) { return site_count; }
void tprof_registry_lock(sigset_t *old) {
  tprof_signals_block(old);
  pthread_mutex_lock(&registry_mutex);
}
void tprof_registry_unlock(const sigset_t *old) {
  pthread_mutex_unlock(&registry_mutex);
  tprof_signals_restore(old);
}
const tprof_func_info *tprof_function_info(uint32_t id) { return id && id < func_count ? &funcs[id] : NULL; }
const tprof_site_info *tprof_site_info_get(uint32_t id) { return id && id < site_count ? &sites[id] : NULL; }
