/* registry.c: module records as the pass emits them. Ids are dense and
 * distinct; a function's calls are its inline counters' sum (records with
 * the same name, file and line share one id and add up: C99 inline bodies
 * in several modules); a function counted by its call sites alone gets the
 * sum of those; a reset zeroes what the API reports without touching the
 * counters; a module that goes away (dlclose) keeps its counts; a record of
 * another ABI version is refused. */
#include "../../runtime/internal.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

#define FUNC(var, nm, fl, ln, fil)                                                                                 \
  static tprof_func_record var = {.abi_version = TPROF_ABI_VERSION, .flags = fl, .line = ln, .name = nm, .file = fil}

FUNC(a_run, "run", TPROF_FUNC_TIMED, 10, "/src/a.c");
FUNC(a_leaf, "leaf", TPROF_FUNC_BY_CALLSITES, 3, "/src/a.c");
FUNC(a_inl, "sq", 0, 7, "/src/sq.h");
FUNC(b_inl, "sq", 0, 7, "/src/sq.h"); /* the same inline function, inlined into module b */
FUNC(b_main, "main", TPROF_FUNC_TIMED, 1, "/src/b.c");

static tprof_callsite_record a_site1 = {TPROF_ABI_VERSION, 11, 0, &a_run, &a_leaf};
static tprof_callsite_record a_site2 = {TPROF_ABI_VERSION, 12, 0, &a_run, &a_leaf};

static tprof_func_record *a_funcs[] = {&a_run, &a_leaf, &a_inl};
static tprof_callsite_record *a_sites[] = {&a_site1, &a_site2};
static tprof_module_record mod_a = {TPROF_ABI_VERSION, 3, 2, 0, a_funcs, a_sites, NULL};

static tprof_func_record *b_funcs[] = {&b_inl, &b_main};
/* Module b's record is copied outside the executable (to the heap), as a
 * dlopen'd library's would be: a record of the executable is never
 * unloaded, and its unregistering does nothing. */
static const tprof_module_record mod_b_image = {TPROF_ABI_VERSION, 2, 0, 0, b_funcs, NULL, NULL};

FUNC(old_f, "old", 0, 1, "/src/old.c");
static tprof_func_record *old_funcs[] = {&old_f};
static tprof_module_record mod_old = {TPROF_ABI_VERSION + 1, 1, 0, 0, old_funcs, NULL, NULL};

static uint64_t site_calls(uint32_t caller, uint32_t callee, uint32_t line) {
  tprof_callsite_count *cs;
  size_t n = tprof_callsites_get(&cs);
  uint64_t calls = 0;
  for (size_t i = 0; i < n; i++)
    if (cs[i].caller == caller && cs[i].callee == callee && cs[i].line == line) calls += cs[i].calls;
  tprof_mem_free(cs);
  return calls;
}

int main(void) {
  tprof_set_option("export_profiling_data", "0");
  tprof_set_option("verbosity", "0");
  tprof_module_record *mod_b = malloc(sizeof *mod_b);
  if (!mod_b) return 1;
  *mod_b = mod_b_image;
  __tprof_register_module(&mod_a);
  __tprof_register_module(mod_b);
  CHECK_EQ_U64(mod_a.state, 1);
  CHECK_EQ_U64(mod_b->state, 1);
  CHECK(a_run.id != 0 && a_leaf.id != 0 && a_inl.id != 0 && b_main.id != 0);
  CHECK(a_run.id != a_leaf.id && a_run.id != a_inl.id && a_leaf.id != a_inl.id && b_main.id != a_run.id);
  CHECK_EQ_U64(b_inl.id, a_inl.id);
  CHECK(tprof_function_count() > b_main.id);

  /* What the inline counters would hold after some calls. */
  a_run.calls = 5;
  a_site1.calls = 3;
  a_site2.calls = 4;
  a_inl.calls = 2;
  b_inl.calls = 6;
  b_main.calls = 1;
  CHECK_EQ_U64(tprof_function_calls(a_run.id), 5);
  CHECK_EQ_U64(tprof_function_calls(a_leaf.id), 7); /* its two call sites */
  CHECK_EQ_U64(tprof_function_calls(a_inl.id), 8); /* both modules' copies */
  CHECK_EQ_U64(site_calls(a_run.id, a_leaf.id, 11), 3);
  CHECK_EQ_U64(site_calls(a_run.id, a_leaf.id, 12), 4);
  sigset_t mask;
  tprof_registry_lock(&mask);
  const tprof_func_info *info = tprof_function_info(a_inl.id);
  CHECK(info && info->line == 7 && strcmp(info->name, "sq") == 0);
  tprof_registry_unlock(&mask);

  /* A reset: the API reports calls since then. */
  tprof_registry_reset_counts();
  CHECK_EQ_U64(tprof_function_calls(a_run.id), 0);
  CHECK_EQ_U64(tprof_function_calls(a_inl.id), 0);
  CHECK_EQ_U64(site_calls(a_run.id, a_leaf.id, 11), 0);
  a_inl.calls += 1;
  b_inl.calls += 2;
  a_site1.calls += 10;
  CHECK_EQ_U64(tprof_function_calls(a_inl.id), 3);
  CHECK_EQ_U64(tprof_function_calls(a_leaf.id), 10);

  /* Module b unloaded: its counts stay. */
  __tprof_unregister_module(mod_b);
  CHECK_EQ_U64(mod_b->state, 2);
  b_inl.calls = 1000; /* memory that is no longer the module's: not read */
  CHECK_EQ_U64(tprof_function_calls(a_inl.id), 3);
  CHECK_EQ_U64(tprof_function_calls(b_main.id), 0);
  free(mod_b); /* unregistered: nothing refers to it */

  /* The executable's module at exit: left as it is, its counters read in
   * place. */
  __tprof_unregister_module(&mod_a);
  CHECK_EQ_U64(mod_a.state, 1);
  a_run.calls += 2;
  CHECK_EQ_U64(tprof_function_calls(a_run.id), 2);

  /* Another ABI: refused, nothing registered. */
  __tprof_register_module(&mod_old);
  CHECK_EQ_U64(mod_old.state, 3);
  CHECK(old_f.id == 0 || old_f.id == TPROF_REJECTED);
  CHECK_DONE();
}
