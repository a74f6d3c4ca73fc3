/* Cost of one timestamp read: rdtsc, rdtscp and clock_gettime(CLOCK_MONOTONIC),
 * each the median of 9 rounds of 2,000,000 back-to-back reads, in ns per read.
 * Prints one line "name ns" per clock, then "first_touch_page ns": the first
 * write to a fresh page (its page fault), median of 9 rounds of 256 pages;
 * it varies a lot between machines (VMs especially) and weighs on what
 * touches fresh memory: start-up and the export. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <x86intrin.h>

#define N 2000000
#define ROUNDS 9

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static volatile uint64_t sink;

static double round_rdtsc(void) {
  uint64_t s = 0;
  double t0 = now_ns();
  for (int i = 0; i < N; i++) s += __rdtsc();
  double t1 = now_ns();
  sink = s;
  return (t1 - t0) / N;
}

static double round_rdtscp(void) {
  uint64_t s = 0;
  unsigned aux;
  double t0 = now_ns();
  for (int i = 0; i < N; i++) s += __rdtscp(&aux);
  double t1 = now_ns();
  sink = s;
  return (t1 - t0) / N;
}

static double round_clock_gettime(void) {
  uint64_t s = 0;
  struct timespec ts;
  double t0 = now_ns();
  for (int i = 0; i < N; i++) {
    clock_gettime(CLOCK_MONOTONIC, &ts);
    s += (uint64_t)ts.tv_nsec;
  }
  double t1 = now_ns();
  sink = s;
  return (t1 - t0) / N;
}

#define PAGES 256

static double round_first_touch(void) {
  char *p = mmap(NULL, PAGES * 4096L, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return -1;
  double t0 = now_ns();
  for (long i = 0; i < PAGES; i++) p[i * 4096] = 1;
  double t1 = now_ns();
  munmap(p, PAGES * 4096L);
  return (t1 - t0) / PAGES;
}

static double median(double (*f)(void)) {
  double r[ROUNDS];
  for (int i = 0; i < ROUNDS; i++) r[i] = f();
  qsort(r, ROUNDS, sizeof r[0], cmp);
  return r[ROUNDS / 2];
}

int main(void) {
  printf("rdtsc %.2f\n", median(round_rdtsc));
  printf("rdtscp %.2f\n", median(round_rdtscp));
  printf("clock_gettime %.2f\n", median(round_clock_gettime));
  printf("first_touch_page %.0f\n", median(round_first_touch));
  return 0;
}
