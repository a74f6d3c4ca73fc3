/* Manual regions by handle: the name is looked up once (tprof_region_get),
 * so entering and leaving cost what an operation's hooks cost, with no lock
 * and no system call. A handle is the region's synthetic function record,
 * so enter and leave are exactly tprof_region_begin and tprof_region_end
 * without the look-up. */
#include "internal.h"

TPROF_EXPORT tprof_region *tprof_region_get(const char *name) {
  tprof_ensure_init();
  if (!name || !*name) {
    tprof_warn("tprof_region_get: the region needs a non-empty name");
    return NULL;
  }
  tprof_func_record *rec = tprof_region_record(name);
  if (!rec) tprof_warn("tprof_region_get: out of memory for region \"%s\"", name);
  return (tprof_region *)rec;
}

TPROF_EXPORT void tprof_region_enter(tprof_region *region) {
  tprof_func_record *rec = (tprof_func_record *)region;
  if (!rec) return;
  tprof_region_enter_record(rec); /* its counter, and its frame when hooks are on */
}

TPROF_EXPORT void tprof_region_leave(tprof_region *region) {
  tprof_func_record *rec = (tprof_func_record *)region;
  if (!rec) return;
  /* Only the calling thread reads its own stack: no lock needed. */
  tprof_thread *t = tprof_current_thread();
  for (uint32_t d = t ? t->depth : 0; d; d--)
    if (t->stack[d - 1].rec == rec) {
      __tprof_func_exit(rec);
      return;
    }
  if (__atomic_load_n(&__tprof_hooks_on, __ATOMIC_RELAXED)) /* with hooks off no frame was pushed */
    tprof_warn("tprof_region_leave(\"%s\") without a matching tprof_region_enter on this thread; ignored",
               rec->op_name);
}
