// The hooks leave the program's errno as they found it on every path,
// including the slow ones that make system calls: a thread's first hook
// (its state and its shadow stack are mapped), an allocation site's first
// event (registration, a shadow-map region, traces), and a thread's first
// hook when it FAILS. The failing phase starts a thread under an address-space
// limit just above what the process uses (the first thread stays alive, so
// its state cannot be reused): tprof cannot reserve the new thread's shadow
// stack, warns, and counts that thread's calls untimed. The program's errno
// must be what it set before each call, in both phases.
//
// The address-space limit does not mix with the sanitizers' shadow memory.
// UNSUPPORTED: sanitizer-address, sanitizer-thread
//
// RUN: rm -rf %t.O0 %t.O2
// RUN: %clang -O2 -c %S/Inputs/errno_start.c -o %t.start.o
// RUN: %tprof_cc -O0 %s %t.start.o %tprof_rt_static -lpthread -o %t.O0.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe 2> %t.O0.err | %FileCheck %s
// RUN: %FileCheck %s --check-prefix=WARN < %t.O0.err
// RUN: %tpq %t.O0 func work calls | %FileCheck %s --check-prefix=CALLS
// RUN: %tpq %t.O0 func errno_body calls | %FileCheck %s --check-prefix=BODY
// RUN: %tprof_cc -O2 %s %t.start.o %tprof_rt_static -lpthread -o %t.O2.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe 2> %t.O2.err | %FileCheck %s
// RUN: %FileCheck %s --check-prefix=WARN < %t.O2.err
// RUN: %tpq %t.O2 func work calls | %FileCheck %s --check-prefix=CALLS
// RUN: %tpq %t.O2 func errno_body calls | %FileCheck %s --check-prefix=BODY
//
// CHECK: normal: errno kept
// CHECK-NEXT: limited: errno kept
// WARN: cannot reserve a shadow stack
// CALLS: {{^}}3{{$}}
// BODY: {{^}}2{{$}}
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

// Timed (it has a loop): its hooks are the ones that make a thread's state.
__attribute__((noinline)) int work(int n) {
  int s = 0;
  for (int i = 0; i < n; i++) s += i * (int)(size_t)&s % 7;
  return s;
}

static int failures;
static void *sink; /* the address escapes there (a relaxed atomic store), so clang -O1+ keeps the allocation: tprof counts those the binary makes */

static void expect(int want, const char *what) {
  if (errno != want) {
    printf("errno changed by %s: %d (%s), expected %d\n", what, errno, strerror(errno), want);
    failures++;
  }
}

static sem_t checked, release;

void *errno_start(void *arg); // Inputs/errno_start.c: errno = EDOM, then errno_body

// arg: the normal phase (stay alive afterwards), else the limited one.
// Its entry hook is the thread's first: errno_start set errno before it.
void *errno_body(void *arg) {
  expect(EDOM, "a thread's first hook");
  errno = EDOM;
  volatile int r = work(100);
  (void)r;
  expect(EDOM, "a call");
  if (!arg) {
    /* Under the limit libc's malloc itself sets errno (its arena for this
     * thread cannot be mapped) even when it succeeds: only free, which
     * does not, is checked here. */
    char *p = malloc(48);
    __atomic_store_n(&sink, p, __ATOMIC_RELAXED);
    errno = EDOM;
    free(p);
    expect(EDOM, "free");
    return NULL;
  }
  errno = ERANGE;
  char *small = malloc(48); // this site's first event: registration
  __atomic_store_n(&sink, small, __ATOMIC_RELAXED);
  expect(ERANGE, "malloc");
  errno = EILSEQ;
  char *large = malloc(8u << 20); // a block libc maps: maybe a new shadow-map region
  __atomic_store_n(&sink, large, __ATOMIC_RELAXED);
  expect(EILSEQ, "a large malloc");
  errno = EDOM;
  free(large);
  free(small);
  expect(EDOM, "free");
  sem_post(&checked); /* stay alive, so that the next thread gets a state of its own */
  sem_wait(&release);
  return NULL;
}

static pthread_t start(int stay) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256u << 10);
  pthread_t t;
  if (pthread_create(&t, &attr, errno_start, stay ? &t : NULL) != 0) {
    printf("cannot start a thread\n");
    exit(1);
  }
  pthread_attr_destroy(&attr);
  return t;
}

// The process's address space in bytes (/proc/self/statm, first field).
static unsigned long long address_space(void) {
  unsigned long long pages = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f || fscanf(f, "%llu", &pages) != 1) {
    printf("cannot read /proc/self/statm\n");
    exit(1);
  }
  fclose(f);
  return pages * (unsigned long long)sysconf(_SC_PAGESIZE);
}

int main(void) {
  sem_init(&checked, 0, 0);
  sem_init(&release, 0, 0);
  errno = 0;
  work(10);
  pthread_t first = start(1);
  sem_wait(&checked);
  printf("normal: %s\n", failures ? "errno CHANGED" : "errno kept");
  fflush(stdout);
  failures = 0;
  // Room for the thread's own stack and a few small mappings, not for a
  // 64 MiB shadow stack.
  struct rlimit old, lim;
  getrlimit(RLIMIT_AS, &old);
  lim = old;
  lim.rlim_cur = address_space() + (16u << 20);
  if (setrlimit(RLIMIT_AS, &lim) != 0) {
    printf("setrlimit: %s\n", strerror(errno));
    return 1;
  }
  pthread_join(start(0), NULL);
  setrlimit(RLIMIT_AS, &old); /* the export at exit needs its memory */
  printf("limited: %s\n", failures ? "errno CHANGED" : "errno kept");
  sem_post(&release);
  pthread_join(first, NULL);
  return 0;
}
