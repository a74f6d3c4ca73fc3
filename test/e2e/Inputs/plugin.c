/* A plugin built twice (PLUGIN = a, b), each copy linked with its own
 * libtprof_rt.a: two copies of the runtime in one process. */
#define CAT2(x, y) x##y
#define CAT(x, y) CAT2(x, y)
#define NAME(suffix) CAT(CAT(plugin_, PLUGIN), suffix)

static volatile int sink;

__attribute__((noinline)) void NAME(_step)(int i) { sink += i; }

int NAME(_run)(int n) {
  for (int i = 0; i < n; i++) NAME(_step)(i);
  return n;
}
