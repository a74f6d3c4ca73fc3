// A library linked with its own copy of the runtime names its file sets
// after itself ("<program_id>.<library>_..."). The copy now takes that name
// before its configuration starts the snapshot thread: a snapshot taken
// while the copy still looked its name up was written under the program's
// name alone, a stray set. slow_calls.so (preloaded) makes that look-up
// (dladdr1) take 100 ms, so with flush_interval_ms=1 the old order always
// left one. The host is dlclose_flush_thread.c's (dlopen, calls, dlclose).
//
// The snapshot thread reads the copy's counters while the library runs, on
// purpose: ThreadSanitizer would report exactly that.
// UNSUPPORTED: sanitizer-thread
//
// RUN: rm -rf %t.named && mkdir -p %t.lib
// RUN: %tprof_cc -O2 -g -fPIC -shared %S/Inputs/dl_library.c %tprof_rt_static -o %t.lib/libstatic_copy.so
// RUN: %host_cc -O2 %S/dlclose_flush_thread.c -ldl -o %t.exe
// The preloaded library stays unsanitized: it also loads into the
// sanitizers' symbolizer.
// RUN: %host_cc -fno-sanitize=all -shared -fPIC %S/Inputs/slow_calls.c -ldl -o %t.slow_calls.so
// RUN: env TPROF_OPTIONS=output_dir=%t.named:flush_interval_ms=1 LD_PRELOAD=%t.slow_calls.so %t.exe %t.lib/libstatic_copy.so 2 | %FileCheck %s
// RUN: %tpq %t.named sets | %FileCheck %s --check-prefix=SETS
// RUN: ls -A %t.named | %FileCheck %s --check-prefix=NAMED
//
// CHECK: 2 cycles, sum 180
// SETS: {{^}}2{{$}}
// NAMED-NOT: {{[.]exe_}}
