// A process killed with SIGKILL while a snapshot of flush_interval_ms is
// being written (each snapshot replaces the last set) leaves no temporary
// file: the files have no name until the set is written (O_TMPFILE), and
// each then replaces the last snapshot's file by a rename. Named temporary
// files were left behind. export_faults.so (preloaded) kills the process
// at the third write to a file, within the first set written (a snapshot's
// or the exit's: with flush_interval_ms every set replaces the last).
// The snapshot thread reads the program's figures while it runs, on
// purpose: ThreadSanitizer would report exactly that.
// UNSUPPORTED: sanitizer-thread
//
// RUN: rm -rf %t.d && mkdir -p %t.d
// RUN: %tprof_cc -O1 %s %tprof_rt_static -lpthread -o %t.exe
// RUN: %host_cc -fno-sanitize=all -shared -fPIC %S/Inputs/export_faults.c -ldl -o %t.faults.so
// RUN: not --crash env TPROF_OPTIONS=output_dir=%t.d:flush_interval_ms=1 LD_PRELOAD=%t.faults.so FAULT_KILL_AT_WRITE=3 %t.exe
// RUN: ls -A %t.d | count 0
//
// Without the kill, the last set replaces the snapshots' and is whole.
// RUN: env TPROF_OPTIONS=output_dir=%t.d:flush_interval_ms=1 LD_PRELOAD=%t.faults.so %t.exe
// RUN: %tpq %t.d check | %FileCheck %s
// CHECK: temporary files left: 0
static volatile long sink;

__attribute__((noinline)) void step(int k) {
  for (int i = 0; i < 100; i++) sink += i * k;
}

/* Whichever set comes first (a snapshot, or the exit's, which replaces the
 * snapshots' names too) is the one the kill cuts. */
int main(void) {
  for (int k = 0; k < 1000; k++) step(k);
  return 0;
}
