// A program with a known number of allocations and frees: the counts, the
// bytes and the peak are exact.
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe
// RUN: %tpq %t.d get memory_allocation_data.allocation_count | %FileCheck %s --check-prefix=ALLOCS
// RUN: %tpq %t.d get memory_allocation_data.deallocation_count | %FileCheck %s --check-prefix=FREES
// RUN: %tpq %t.d get memory_allocation_data.net_allocations | %FileCheck %s --check-prefix=NET
// RUN: %tpq %t.d get heap.peak_bytes | %FileCheck %s --check-prefix=PEAK
// RUN: %tpq %t.d get heap.current_bytes | %FileCheck %s --check-prefix=CURRENT
// RUN: %tpq %t.d get heap.allocated_bytes | %FileCheck %s --check-prefix=BYTES
// RUN: %tpq %t.d get heap.live_blocks | %FileCheck %s --check-prefix=LIVE
// RUN: %tpq %t.d get heap.reallocation_count | %FileCheck %s --check-prefix=REALLOCS
// The site of the leaked block is known by file and line.
// RUN: %tpq %t.d csv memory_allocators.csv line=60 live_blocks | %FileCheck %s --check-prefix=LEAKSITE
// RUN: %tpq %t.d csv memory_allocators.csv line=60 allocated_bytes | %FileCheck %s --check-prefix=LEAKBYTES
//
// 10 x malloc(1000), calloc(10, 100), strdup("hello") (6 bytes),
// aligned_alloc(64, 256), posix_memalign(128, 512), realloc(NULL, 50),
// realloc(r, 2000), one leaked malloc(4096): 17 allocations. As in
// valgrind's memcheck, the realloc of a live block counts as one allocation
// and one free.
// ALLOCS: {{^}}17{{$}}
// REALLOCS: {{^}}1{{$}}
// FREES: {{^}}16{{$}}
// NET: {{^}}1{{$}}
// Peak: the ten 1000-byte blocks, the 1000-byte calloc, 6 + 256 + 512 bytes,
// and the 50-byte block grown to 2000 bytes, while the 4096 leak is not yet
// allocated: 10000 + 1000 + 6 + 256 + 512 + 2000 = 13774.
// PEAK: {{^}}13774{{$}}
// CURRENT: {{^}}4096{{$}}
// allocated = 10000 + 1000 + 6 + 256 + 512 + 50 + 2000 + 4096 = 17920
// BYTES: {{^}}17920{{$}}
// LIVE: {{^}}1{{$}}
// LEAKSITE: {{^}}1{{$}}
// LEAKBYTES: {{^}}4096{{$}}
#include <stdlib.h>
#include <string.h>

/* Every address escapes through sink or keep, so that clang -O2 keeps the
 * allocations it would otherwise remove (tprof counts those the compiled
 * program makes, as valgrind does). */
static void *volatile sink;
static void *keep;

int main(void) {
  void *blocks[10];
  for (int i = 0; i < 10; i++) sink = blocks[i] = malloc(1000);
  char *zeros = sink = calloc(10, 100);
  char *s = sink = strdup("hello");
  void *a = sink = aligned_alloc(64, 256);
  void *p = NULL;
  if (posix_memalign(&p, 128, 512) != 0) return 1;
  char *r = sink = realloc(NULL, 50);
  r = sink = realloc(r, 2000);
  for (int i = 0; i < 10; i++) free(blocks[i]);
  free(zeros); free(s); free(a); free(p); free(r);
  free(NULL);
  keep = malloc(4096);
  return keep == NULL;
}
