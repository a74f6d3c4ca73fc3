// A program with an allocator of its own, whose small blocks sit 16 bytes
// apart (as jemalloc's or mimalloc's smallest classes do): two live blocks
// then share one of the shadow map's 32-byte granules. tprof sees that
// malloc is not glibc's and keeps every block in its table instead: the
// counts, the bytes and the peak stay exact.
//
// RUN: rm -rf %t.d
// The allocator is a library built without the pass; a sanitizer's runtime
// would bring its own malloc.
// UNSUPPORTED: sanitizer-address, sanitizer-thread
// RUN: %host_cc -O2 -c %S/Inputs/small_slot_allocator.c -o %t.alloc.o
// RUN: %tprof_cc -O2 -g %s %t.alloc.o %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe
// RUN: %tpq %t.d get memory_allocation_data.allocation_count | %FileCheck %s --check-prefix=ALLOCS
// RUN: %tpq %t.d get memory_allocation_data.deallocation_count | %FileCheck %s --check-prefix=FREES
// RUN: %tpq %t.d get heap.peak_bytes | %FileCheck %s --check-prefix=PEAK
// RUN: %tpq %t.d get heap.current_bytes | %FileCheck %s --check-prefix=CURRENT
// RUN: %tpq %t.d get heap.live_blocks | %FileCheck %s --check-prefix=LIVE
// RUN: %tpq %t.d get heap.untracked_frees | %FileCheck %s --check-prefix=UNTRACKED
//
// Round 1: 1,000 blocks of 16 bytes, side by side (16,000 bytes live, the
// peak); every second one freed (500 frees, 8,000 bytes live).
// Round 2: 500 blocks of 16 bytes into the freed slots (16,000 bytes live
// again), then all 1,000 live blocks freed. One leaked 16-byte block.
// 24,016 bytes allocated in all.
// RUN: %tpq %t.d get heap.allocated_bytes | %FileCheck %s --check-prefix=BYTES
// BYTES: {{^}}24016{{$}}
// ALLOCS: {{^}}1501{{$}}
// FREES: {{^}}1500{{$}}
// PEAK: {{^}}16000{{$}}
// CURRENT: {{^}}16{{$}}
// LIVE: {{^}}1{{$}}
// UNTRACKED: {{^}}0{{$}}
#include <stdlib.h>

/* Every address escapes, so that clang -O2 keeps every allocation. */
void *volatile sink;
static void *blocks[1000];

int main(void) {
  for (int i = 0; i < 1000; i++) sink = blocks[i] = malloc(16);
  for (int i = 0; i < 1000; i += 2) free(blocks[i]);
  for (int i = 0; i < 1000; i += 2) sink = blocks[i] = malloc(16);
  for (int i = 0; i < 1000; i++) free(blocks[i]);
  sink = malloc(16);
  return 0;
}
