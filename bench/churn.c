/*
 * Thread churn (issue 11, point 4): THREADS threads, created and joined
 * BATCH at a time, each calling task() once (one malloc and its free).
 * What it measures is the profiler's per-thread set-up and tear-down: a
 * runtime that keeps every dead thread's memory, or maps a shadow stack per
 * thread, shows here in run time and max RSS.
 *
 *   churn [THREADS [BATCH]]      (defaults 20000, 4)
 *
 * With BENCH_PHASES=FILE, appends "max_rss_kb K" (getrusage at the end of
 * main, before an export at exit) to FILE. Built with -DTIME_EXPORT (tprof
 * builds only), it then calls tprof_export() and prints "export_ms MS": run
 * it with TPROF_OPTIONS=export_profiling_data=0 so that nothing else exports.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#ifdef TIME_EXPORT
#include <time.h>
#include <tprof/tprof.h>
#endif

static unsigned long results[64];

__attribute__((noinline)) unsigned long task(unsigned long i) {
  unsigned char *p = malloc(32 + (i & 63));
  if (!p) return 0;
  p[0] = (unsigned char)i;
  unsigned long r = p[0] + 1;
  free(p);
  return r;
}

static void *worker(void *arg) {
  unsigned long i = (unsigned long)arg;
  results[i & 63] += task(i);
  return NULL;
}

int main(int argc, char **argv) {
  long threads = argc > 1 ? atol(argv[1]) : 20000;
  int batch = argc > 2 ? atoi(argv[2]) : 4;
  if (threads < 1 || batch < 1 || batch > 64) {
    fprintf(stderr, "usage: churn [THREADS [BATCH<=64]]\n");
    return 2;
  }
  pthread_t t[64];
  long done = 0;
  while (done < threads) {
    int k = 0;
    /* Threads of one batch write distinct results[] slots: no data race. */
    for (; k < batch && done + k < threads; k++)
      if (pthread_create(&t[k], NULL, worker, (void *)(unsigned long)(done + k)) != 0) {
        perror("pthread_create");
        return 1;
      }
    for (int j = 0; j < k; j++) pthread_join(t[j], NULL);
    done += k;
  }
  unsigned long sum = 0;
  for (int i = 0; i < 64; i++) sum += results[i];
  printf("churn: %ld threads, %d at a time, sum %lu\n", threads, batch, sum);
  const char *phases = getenv("BENCH_PHASES");
  if (phases) {
    struct rusage ru;
    FILE *f = fopen(phases, "a");
    if (f && getrusage(RUSAGE_SELF, &ru) == 0) fprintf(f, "max_rss_kb %ld\n", ru.ru_maxrss);
    if (f) fclose(f);
  }
#ifdef TIME_EXPORT
  fflush(stdout);
  char prefix[4096];
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  int rc = tprof_export(prefix, sizeof prefix);
  clock_gettime(CLOCK_MONOTONIC, &b);
  if (rc != 0) {
    fprintf(stderr, "churn: tprof_export failed\n");
    return 1;
  }
  printf("export_ms %.3f\n", (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
#endif
  return 0;
}
