/* Cost of one timestamp read: rdtsc, rdtscp and clock_gettime(CLOCK_MONOTONIC),
 * each the median of 9 rounds of 2,000,000 back-to-back reads, in ns per read.
 * Prints one line "name ns" per clock, then "first_touch_page ns": the first
 * write to a fresh page (its page fault), median of 9 rounds of 256 pages;
 * it varies a lot between machines (VMs especially) and weighs on what
 * touches fresh memory: start-up and the export. Then the first use of
 * pages that need no page fault of the program's own, each the median of
 * 9 rounds of 256 pages: "populated_page_write ns", a page mapped in
 * beforehand with MADV_POPULATE_WRITE (as the runtime maps the tables it
 * is about to fill), and "file_page_read ns", a page of a file already in
 * the page cache (as the program's code and the C library's are). Where
 * the host builds its own page tables at a page's first use (a guest
 * with shadow paging), these cost microseconds that no page-fault count
 * of the process shows. Last, "huge_range_page_write ns": the first write
 * to each of 256 pages of a 2 MiB range advised for a transparent huge page
 * (MADV_HUGEPAGE, as the runtime's hot range is), per page: the kernel
 * zeroes and maps the whole huge page at the first write, and the rest
 * cost next to nothing; where it gives no huge page this is the fresh
 * page's cost again. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

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

/* -1 where the kernel cannot map pages in ahead (before Linux 5.14) */
static double round_populated_write(void) {
  char *p = mmap(NULL, PAGES * 4096L, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return -1;
  double r = -1;
  if (madvise(p, PAGES * 4096L, MADV_POPULATE_WRITE) == 0) {
    double t0 = now_ns();
    for (long i = 0; i < PAGES; i++) p[i * 4096] = 1;
    r = (now_ns() - t0) / PAGES;
  }
  munmap(p, PAGES * 4096L);
  return r;
}

/* -1 where the range cannot be advised (a kernel without THP) */
static double round_huge_range_write(void) {
  const long huge = 2L << 20;
  char *raw = mmap(NULL, 2 * huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) return -1;
  char *p = (char *)(((uintptr_t)raw + huge - 1) & ~(uintptr_t)(huge - 1));
  double r = -1;
  if (madvise(p, huge, MADV_HUGEPAGE) == 0) {
    double t0 = now_ns();
    for (long i = 0; i < PAGES; i++) p[i * 4096] = 1;
    r = (now_ns() - t0) / PAGES;
  }
  munmap(raw, 2 * huge);
  return r;
}

static int page_cache_file = -1; /* PAGES pages, written once: in the page cache from then on */

static double round_file_read(void) {
  if (page_cache_file < 0) return -1;
  const volatile char *p = mmap(NULL, PAGES * 4096L, PROT_READ, MAP_PRIVATE, page_cache_file, 0);
  if (p == MAP_FAILED) return -1;
  unsigned s = 0;
  double t0 = now_ns();
  for (long i = 0; i < PAGES; i++) s += (unsigned char)p[i * 4096];
  double t1 = now_ns();
  sink = s;
  munmap((void *)p, PAGES * 4096L);
  return (t1 - t0) / PAGES;
}

static int make_page_cache_file(void) {
  FILE *f = tmpfile();
  if (!f) return -1;
  static char page[4096];
  memset(page, 1, sizeof page);
  for (int i = 0; i < PAGES; i++)
    if (fwrite(page, sizeof page, 1, f) != 1) return -1;
  if (fflush(f) != 0) return -1;
  return dup(fileno(f));
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
  double populated = median(round_populated_write);
  if (populated >= 0) printf("populated_page_write %.0f\n", populated);
  page_cache_file = make_page_cache_file();
  double file_read = median(round_file_read);
  if (file_read >= 0) printf("file_page_read %.0f\n", file_read);
  double huge = median(round_huge_range_write);
  if (huge >= 0) printf("huge_range_page_write %.0f\n", huge);
  return 0;
}
