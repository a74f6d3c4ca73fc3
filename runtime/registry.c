/* Function and call-site registration: each record gets a dense id when its
 * module's constructor registers it (or, for a record no constructor
 * registered, on its first hook). The names of a module's records are read
 * in place, and copied when a module outside the executable unregisters
 * (its dlclose), so they outlive it; copying them all at start-up was most
 * of what registration cost (a third of the grid bench's start-up
 * instructions and a page fault per ~30 names). Records with the same name,
 * file and line share one id: the inlined copies of a C99/gnu_inline function
 * (available_externally in the callers' modules) and its real definition
 * are one function, whose calls are the sum of their inline counters. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

/* Recursive: the exporter holds it while it gathers, and what it calls
 * (tprof_callsites_get...) takes it too. */
static pthread_mutex_t registry_mutex = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static tprof_func_info *funcs; /* by id; [0] unused */
static uint32_t func_count = 1, func_cap;
/* Per id: the inline counters of its calls (a list: usually its record's
 * one; the call sites' for a TPROF_FUNC_BY_CALLSITES function), the calls
 * of counters whose module was unloaded, and the total at the last reset. */
typedef struct rec_link {
  uint64_t *counter;
  struct rec_link *next;
} rec_link;
typedef struct func_counts {
  rec_link *recs;
  uint64_t gone, base;
} func_counts;
static func_counts *counts; /* by id, func_cap entries */
static uint32_t counts_cap;
/* (name, file, line) -> id, open addressing, at most half full */
static uint32_t *key_index;
static uint32_t key_cap;
static tprof_site_info *sites;
static uint32_t site_count = 1, site_cap;
static int warned_abi, warned_full;

static char *copy(const char *s) {
  char *c = tprof_mem_strdup(s ? s : "");
  return c ? c : (char *)""; /* out of memory: an empty name, never a dangling one */
}
/* call sites of unloaded modules, already net of their base */
static tprof_callsite_count *gone_sites;
static size_t gone_site_count, gone_site_cap;

static int grow(void **array, uint32_t *cap, uint32_t need, size_t elem) {
  if (need < *cap) return 0;
  /* From 128 up: one transpiled program registers ~60 functions, and its
   * first 1,024 entries were 16 fresh pages of the arena (40 and 24 bytes
   * an entry); doubling from 128 to the grid bench's 432 takes about what
   * 1,024 did. */
  uint32_t n = *cap ? *cap * 2 : 128;
  while (n <= need) n *= 2;
  void *p = tprof_mem_realloc(*array, (size_t)n * elem); /* zeroed beyond the copy */
  if (!p) return -1;
  *array = p;
  *cap = n;
  return 0;
}

static int grow_sites(void) {
  if (gone_site_count < gone_site_cap) return 0;
  size_t cap = gone_site_cap ? gone_site_cap * 2 : 64;
  tprof_callsite_count *v = tprof_mem_realloc(gone_sites, cap * sizeof *v);
  if (!v) return -1;
  gone_sites = v;
  gone_site_cap = (uint32_t)cap;
  return 0;
}

/* Copies the string whose pointer is stored at `field` into out, without
 * trusting either: a record from a pass of another ABI version may have
 * another layout. process_vm_readv on ourselves fails with EFAULT where a
 * plain read would crash. Returns 0 with a NUL-terminated copy, else -1. */
static int copy_foreign_string(const void *field, char *out, size_t n) {
  const char *p;
  struct iovec local = {&p, sizeof p}, remote = {(void *)field, sizeof p};
  if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != (ssize_t)sizeof p || !p) return -1;
  memset(out, 0, n);
  /* byte by byte: the string may end right before an unmapped page */
  for (size_t i = 0; i + 1 < n; i++) {
    local = (struct iovec){out + i, 1};
    remote = (struct iovec){(void *)(p + i), 1};
    if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != 1) return -1;
    if (!out[i]) return 0;
  }
  return 0; /* truncated */
}

/* One message per refused record (the record is then marked, so never
 * twice), naming it and both versions; after a few, one last line. */
#define ABI_MESSAGES 5
static int abi_ok(uint32_t version, const char *kind, const void *name_field) {
  if (version == TPROF_ABI_VERSION) return 1;
  char name[256];
  if (copy_foreign_string(name_field, name, sizeof name) != 0) snprintf(name, sizeof name, "(name unreadable)");
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
  if (count < TPROF_MAX_IDS) return 0;
  if (!warned_full++)
    tprof_warn("more than %u functions or allocation sites; the rest are not counted", TPROF_MAX_IDS - 1);
  return 1;
}

static uint32_t key_hash(const char *name, const char *file, uint32_t line) {
  uint64_t h = 1469598103934665603ull ^ line;
  for (const char *p = name; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
  h = (h ^ 0xff) * 1099511628211ull;
  for (const char *p = file; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
  return (uint32_t)(h ^ (h >> 32));
}

static int key_index_grow(void) {
  uint32_t cap = key_cap ? key_cap * 2 : 1024;
  uint32_t *index = tprof_mem_alloc_own((size_t)cap * sizeof *index);
  if (!index) return -1;
  for (uint32_t id = 1; id < func_count; id++) {
    if (funcs[id].is_region) continue;
    uint32_t i = key_hash(funcs[id].name, funcs[id].file, funcs[id].line) & (cap - 1);
    while (index[i]) i = (i + 1) & (cap - 1);
    index[i] = id;
  }
  tprof_mem_free(key_index);
  key_index = index;
  key_cap = cap;
  return 0;
}

/* The id already given to a record of the same function (whose key_hash is
 * h), or 0. */
static uint32_t find_by_key(const tprof_func_record *rec, uint32_t h) {
  if (!key_cap) return 0;
  const char *name = rec->name ? rec->name : "", *file = rec->file ? rec->file : "";
  for (uint32_t i = h & (key_cap - 1); key_index[i]; i = (i + 1) & (key_cap - 1)) {
    const tprof_func_info *fi = &funcs[key_index[i]];
    if (fi->line == rec->line && strcmp(fi->name, name) == 0 && strcmp(fi->file, file) == 0) return key_index[i];
  }
  return 0;
}

static int add_counter(uint32_t id, uint64_t *counter) {
  if (grow((void **)&counts, &counts_cap, id, sizeof *counts)) return -1;
  rec_link *l = tprof_mem_alloc(sizeof *l);
  if (!l) return -1;
  l->counter = counter;
  l->next = counts[id].recs;
  counts[id].recs = l;
  return 0;
}

/* Registry lock held. */
/* `borrow`: the record's module copies its strings when it unregisters
 * (own_strings), until then they are read where they are. */
static uint32_t register_locked(tprof_func_record *rec, int borrow) {
  uint32_t id = __atomic_load_n(&rec->id, __ATOMIC_ACQUIRE);
  if (id != 0) return id;
  int region = (rec->flags & TPROF_FLAG_REGION) != 0;
  /* hashed once, for the look-up and the insertion: a record's name and
   * file are ~50 bytes, and start-up hashes every function's */
  uint32_t h = 0;
  if (!abi_ok(rec->abi_version, "function", &rec->name)) {
    id = TPROF_REJECTED;
  } else if (!region && (h = key_hash(rec->name ? rec->name : "", rec->file ? rec->file : "", rec->line),
                         id = find_by_key(rec, h)) != 0) {
    funcs[id].flags |= rec->flags & TPROF_FUNC_TIMED; /* timed in one module is timed */
  } else if (full(func_count) || grow((void **)&funcs, &func_cap, func_count, sizeof *funcs) ||
             ((func_count + 1) * 2 > key_cap && key_index_grow())) {
    id = TPROF_REJECTED;
  } else {
    id = func_count;
    __atomic_store_n(&func_count, id + 1, __ATOMIC_RELAXED); /* read without the lock: tprof_function_count */
    tprof_func_info *fi = &funcs[id];
    fi->name = borrow && rec->name ? (char *)rec->name : copy(rec->name);
    fi->op_name = !rec->op_name ? NULL : borrow ? (char *)rec->op_name : copy(rec->op_name);
    fi->file = borrow && rec->file ? (char *)rec->file : copy(rec->file);
    fi->line = rec->line;
    fi->flags = rec->flags;
    fi->is_region = region;
    if (!region) {
      uint32_t i = h & (key_cap - 1); /* rec's key; fi holds its strings or copies */
      while (key_index[i]) i = (i + 1) & (key_cap - 1);
      key_index[i] = id;
    }
  }
  if (id != TPROF_REJECTED && !(rec->flags & TPROF_FUNC_BY_CALLSITES) && add_counter(id, &rec->calls))
    id = TPROF_REJECTED;
  __atomic_store_n(&rec->id, id, __ATOMIC_RELEASE);
  return id;
}

uint32_t tprof_register_function(tprof_func_record *rec) {
  tprof_ensure_init();
  sigset_t mask;
  tprof_registry_lock(&mask);
  uint32_t id = register_locked(rec, 0);
  tprof_registry_unlock(&mask);
  return id;
}

/* ---- modules: every record known from the module's constructor on ---- */
typedef struct module_state {
  tprof_module_record *m;
  uint64_t *callsite_base; /* per call site: its count at the last reset */
  struct module_state *next;
} module_state;
static module_state *modules;

/* Registry lock held. */
static void register_module_locked(tprof_module_record *m) {
  if (m->state != 0) return;
  /* Without its state the module cannot copy its names when it goes:
   * they are copied now. */
  module_state *ms = tprof_mem_alloc(sizeof *ms);
  for (uint32_t i = 0; i < m->nfuncs; i++) register_locked(m->funcs[i], ms != NULL);
  for (uint32_t i = 0; i < m->ncallsites; i++) {
    tprof_func_record *callee = m->callsites[i]->callee;
    if ((callee->flags & TPROF_FUNC_BY_CALLSITES) && callee->id != TPROF_REJECTED && callee->id != 0)
      add_counter(callee->id, &m->callsites[i]->calls);
  }
  if (ms) {
    ms->m = m;
    ms->callsite_base = m->ncallsites ? tprof_mem_alloc(m->ncallsites * sizeof(uint64_t)) : NULL;
    ms->next = modules;
    modules = ms;
    m->state = 1;
  }
}

/* Deferred registration. While nothing is switched on that reads the
 * registry (no hook, no heap tracking, no export, no flush: the "compiled
 * in but off" case), registering every module at start-up is work that
 * nobody uses: a third of such a process's start-up instructions, a page
 * fault per page of records that gets its ids, and two system calls per
 * module. Modules then wait in `pending`, and the first thing that takes
 * the registry's lock (an export, a snapshot, a reset, a configuration
 * that switches something on, a region) registers them first. Their
 * inline counters count all along, so no call is lost. */
enum { PENDING_CAP = 1024 };
static tprof_module_record *pending[PENDING_CAP];
static uint32_t pending_pushed, pending_done; /* pushed: written under the mutex, read by drains */
static int defer_modules = 1;                 /* until tprof_registry_stop_deferring */

/* Registry lock held, so no push runs meanwhile (pushes take the mutex,
 * and signals are blocked). A signal handler that runs while a module is
 * being pushed (the push does not block signals) sees it pushed or not
 * yet, and a later drain registers it. */
static void drain_locked(void) {
  for (uint32_t n = __atomic_load_n(&pending_pushed, __ATOMIC_ACQUIRE); pending_done < n; pending_done++)
    register_module_locked(pending[pending_done]);
}

void tprof_registry_stop_deferring(void) {
  if (!__atomic_load_n(&defer_modules, __ATOMIC_ACQUIRE)) return;
  sigset_t mask;
  tprof_registry_lock(&mask); /* registers the pending modules */
  __atomic_store_n(&defer_modules, 0, __ATOMIC_RELEASE);
  tprof_registry_unlock(&mask);
}

/* Runs at constructor priority 0, before the runtime's own start-up (101):
 * it only queues the module or fills the tables, so what the runtime does
 * at start-up (reading TPROF_OPTIONS, taking over SIGINT/SIGTERM after the
 * handlers that earlier constructors installed) still happens at its
 * documented time. */
TPROF_EXPORT void __tprof_register_module(tprof_module_record *m) {
  pthread_mutex_lock(&registry_mutex);
  int handled = 0; /* queued, refused or already registered */
  if (m->state != 0) {
    handled = 1;
  } else if (!abi_ok(m->abi_version, "module with function", m->nfuncs ? (const void *)&m->funcs[0]->name : NULL)) {
    m->state = 3;
    handled = 1;
  } else if (__atomic_load_n(&defer_modules, __ATOMIC_ACQUIRE) && pending_pushed < PENDING_CAP) {
    handled = 1;
    pending[pending_pushed] = m;
    __atomic_store_n(&pending_pushed, pending_pushed + 1, __ATOMIC_RELEASE);
  }
  pthread_mutex_unlock(&registry_mutex);
  if (handled) return;
  sigset_t mask;
  tprof_registry_lock(&mask);
  register_module_locked(m);
  tprof_registry_unlock(&mask);
}

/* A record about to be unmapped: the strings its id still reads in place
 * are copied. */
static void own_strings(const tprof_func_record *rec) {
  uint32_t id = rec->id;
  if (id == 0 || id == TPROF_REJECTED || id >= func_count) return;
  tprof_func_info *fi = &funcs[id];
  if (fi->name == rec->name) fi->name = copy(rec->name);
  if (fi->op_name && fi->op_name == rec->op_name) fi->op_name = copy(rec->op_name);
  if (fi->file == rec->file) fi->file = copy(rec->file);
}

/* A counter about to be unmapped: its calls move to the id's "gone" total. */
static void counter_gone(uint32_t id, uint64_t *counter) {
  if (id == 0 || id == TPROF_REJECTED || id >= counts_cap) return;
  for (rec_link **l = &counts[id].recs; *l; l = &(*l)->next)
    if ((*l)->counter == counter) {
      counts[id].gone += __atomic_load_n(counter, __ATOMIC_RELAXED);
      *l = (*l)->next;
      return;
    }
}

/* Before a dlclose (or at the very end of the process, for a library) the
 * module's counters are added to the ids' "gone" totals: its calls stay
 * counted. */
TPROF_EXPORT void __tprof_unregister_module(tprof_module_record *m) {
  /* A module of the executable: its destructor runs only at exit, and its
   * records stay mapped to the end, so the export reads its counters where
   * they are (registered or still queued). Nothing to do: taking the lock
   * cost two system calls per module at every exit. Asked before taking
   * our lock: dladdr1 takes the loader's, which a dlopen holds while its
   * constructors register modules (they take ours). */
  if (tprof_in_main_program(m)) return;
  sigset_t mask;
  tprof_registry_lock(&mask); /* a queued library is registered first: its calls move to the "gone" totals */
  module_state **pp = &modules;
  while (*pp && (*pp)->m != m) pp = &(*pp)->next;
  if (*pp) {
    module_state *ms = *pp;
    for (uint32_t i = 0; i < m->nfuncs; i++) own_strings(m->funcs[i]);
    for (uint32_t i = 0; i < m->nfuncs; i++) counter_gone(m->funcs[i]->id, &m->funcs[i]->calls);
    for (uint32_t i = 0; i < m->ncallsites; i++) counter_gone(m->callsites[i]->callee->id, &m->callsites[i]->calls);
    for (uint32_t i = 0; i < m->ncallsites; i++) {
      tprof_callsite_record *cs = m->callsites[i];
      uint64_t calls = __atomic_load_n(&cs->calls, __ATOMIC_RELAXED) - (ms->callsite_base ? ms->callsite_base[i] : 0);
      if (!calls || grow_sites()) continue;
      gone_sites[gone_site_count++] = (tprof_callsite_count){cs->caller->id, cs->callee->id, cs->line, calls};
    }
    *pp = ms->next;
    m->state = 2;
  }
  tprof_registry_unlock(&mask);
}

uint64_t tprof_function_calls(uint32_t id) {
  if (id == 0 || id >= counts_cap) return 0;
  uint64_t calls = counts[id].gone;
  for (const rec_link *l = counts[id].recs; l; l = l->next) calls += __atomic_load_n(l->counter, __ATOMIC_RELAXED);
  return calls - counts[id].base;
}

size_t tprof_callsites_get(tprof_callsite_count **out) {
  sigset_t mask;
  tprof_registry_lock(&mask);
  size_t n = gone_site_count;
  for (module_state *ms = modules; ms; ms = ms->next) n += ms->m->ncallsites;
  tprof_callsite_count *v = tprof_mem_alloc_temp((n ? n : 1) * sizeof *v);
  size_t k = 0;
  if (v) {
    for (size_t i = 0; i < gone_site_count; i++) v[k++] = gone_sites[i];
    for (module_state *ms = modules; ms; ms = ms->next)
      for (uint32_t i = 0; i < ms->m->ncallsites; i++) {
        tprof_callsite_record *cs = ms->m->callsites[i];
        uint32_t caller = cs->caller->id, callee = cs->callee->id;
        if (caller == 0 || caller == TPROF_REJECTED || callee == 0 || callee == TPROF_REJECTED) continue;
        uint64_t calls = __atomic_load_n(&cs->calls, __ATOMIC_RELAXED) - (ms->callsite_base ? ms->callsite_base[i] : 0);
        if (calls) v[k++] = (tprof_callsite_count){caller, callee, cs->line, calls};
      }
  }
  tprof_registry_unlock(&mask);
  *out = v;
  return k;
}

/* A reset: every counter's current value becomes its zero. */
void tprof_registry_reset_counts(void) {
  sigset_t mask;
  tprof_registry_lock(&mask);
  for (uint32_t id = 1; id < func_count && id < counts_cap; id++) {
    counts[id].base = 0;
    counts[id].base = tprof_function_calls(id) + counts[id].base;
  }
  for (module_state *ms = modules; ms; ms = ms->next)
    for (uint32_t i = 0; ms->callsite_base && i < ms->m->ncallsites; i++)
      ms->callsite_base[i] = __atomic_load_n(&ms->m->callsites[i]->calls, __ATOMIC_RELAXED);
  gone_site_count = 0;
  tprof_registry_unlock(&mask);
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
      id = site_count;
      tprof_site_info *si = &sites[id];
      si->function = copy(site->function);
      si->file = copy(site->file);
      si->line = site->line;
      si->column = site->column;
      __atomic_store_n(&site_count, id + 1, __ATOMIC_RELEASE);
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
  while (r && strcmp(r->rec.op_name, name) != 0) r = r->next;
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
    tprof_register_function(&r->rec); /* is_region comes from the flag; its calls are counted in
                                         rec.calls by the region API, like an inline counter */
  return r ? &r->rec : NULL;
}

uint32_t tprof_function_count(void) { return __atomic_load_n(&func_count, __ATOMIC_RELAXED); }
/* Read without the lock by heap tracking (its per-site array is fixed and
 * never moves); the site table itself is read under the lock. */
uint32_t tprof_site_count(void) { return __atomic_load_n(&site_count, __ATOMIC_ACQUIRE); }
void tprof_registry_lock(sigset_t *old) {
  tprof_signals_block(old);
  pthread_mutex_lock(&registry_mutex);
  if (pending_done != __atomic_load_n(&pending_pushed, __ATOMIC_ACQUIRE)) drain_locked();
}
void tprof_registry_unlock(const sigset_t *old) {
  pthread_mutex_unlock(&registry_mutex);
  tprof_signals_restore(old);
}
/* fork (fork.c): held across it, so the child never copies the tables half
 * updated; the child's copy is made anew (its owner, the parent's thread,
 * does not exist there: a recursive mutex checks the owner on unlock). */
void tprof_registry_fork_prepare(void) { pthread_mutex_lock(&registry_mutex); }
void tprof_registry_fork_parent(void) { pthread_mutex_unlock(&registry_mutex); }
void tprof_registry_fork_child(void) { registry_mutex = (pthread_mutex_t)PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP; }
const tprof_func_info *tprof_function_info(uint32_t id) { return id && id < func_count ? &funcs[id] : NULL; }
const tprof_site_info *tprof_site_info_get(uint32_t id) { return id && id < site_count ? &sites[id] : NULL; }
