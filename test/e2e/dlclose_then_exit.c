// A library linked with its own copy of the runtime (libtprof_rt.a), or
// with libtprof_rt.so that goes with it, is loaded by a thread of an
// uninstrumented host, called and closed; then the thread ends, and the
// host raises SIGTERM (handled by the host). The runtime's code is unmapped
// at the dlclose: nothing of it may be called after. Its thread-exit
// callback used to be (a SIGSEGV at the end of every such thread, 20 of
// 20 runs), and its SIGTERM handler, chained before the host's, would have
// been. Now the copy removes both after its last export: the host ends
// normally, its handler runs, and the library's set is complete.
//
// RUN: rm -rf %t.static %t.shared && mkdir -p %t.lib
// RUN: %tprof_cc -O2 -g -fPIC -shared %S/Inputs/dl_library.c %tprof_rt_static -o %t.lib/libstatic_copy.so
// RUN: %tprof_cc -O2 -g -fPIC -shared %S/Inputs/dl_library.c %tprof_rt_shared -o %t.lib/libshared_rt.so
// RUN: %host_cc -O2 %s -ldl -lpthread -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.static %t.exe %t.lib/libstatic_copy.so | %FileCheck %s
// RUN: %tpexpect %t.static "f('op_library_op_1', 'calls') == 10"
// RUN: env TPROF_OPTIONS=output_dir=%t.shared %t.exe %t.lib/libshared_rt.so | %FileCheck %s
// RUN: %tpexpect %t.shared "f('op_library_op_1', 'calls') == 10"
//
// CHECK: library closed, sum 90
// CHECK-NEXT: thread ended
// CHECK-NEXT: the host's SIGTERM handler ran
// CHECK-NEXT: exit 0
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t got_term;
static void on_term(int sig) {
  (void)sig;
  got_term = 1;
}

static void *body(void *path) {
  void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return (void *)1;
  }
  int (*op)(int) = (int (*)(int))dlsym(lib, "op_library_op_1");
  int sum = 0;
  for (int i = 0; i < 10; i++) sum += op(i);
  dlclose(lib);
  printf("library closed, sum %d\n", sum);
  fflush(stdout);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL); /* before the library: its copy chains to this one */
  pthread_t t;
  void *ret = NULL;
  pthread_create(&t, NULL, body, argv[1]);
  pthread_join(t, &ret);
  printf("thread ended\n");
  raise(SIGTERM);
  printf(got_term ? "the host's SIGTERM handler ran\n" : "the host's SIGTERM handler did not run\n");
  printf("exit %d\n", ret != NULL);
  return 0;
}
