// Output safety: symlinks planted at the temporary and final names of the
// set are replaced, never written through; a file size limit (as a full
// disk) makes the export fail with one message naming the file and the
// reason, leaves no file at all, and the program's exit status is its own;
// an output directory the user may not write gives one message too. All
// of it twice: with O_TMPFILE (the files have no name until the set is
// complete) and without it (export_faults.so makes it fail, as on a file
// system without it: named temporary files, then renamed).
//
// RUN: rm -rf %t.d %t.small %t.victim && mkdir -p %t.d %t.small && echo victim > %t.victim
// RUN: %tprof_cc -O1 %s %tprof_rt_static -o %t.exe
// The program plants the links itself: it knows its pid and the second.
// RUN: env TPROF_OPTIONS=output_dir=%t.d:program_id=safe %t.exe plant %t.d %t.victim; echo "status $?"
// RUN: cat %t.victim | %FileCheck %s --check-prefix=VICTIM
// RUN: %python -c "import os,glob; real=[p for p in glob.glob('%t.d/*') if not os.path.islink(p)]; print(len(real), sorted(p.rsplit('_', 1)[-1] for p in real))" | %FileCheck %s --check-prefix=REAL
// RUN: find %t.d -type l -delete && %tpq %t.d check | %FileCheck %s --check-prefix=COMPLETE
//
// RUN: %host_cc -fno-sanitize=all -shared -fPIC %S/Inputs/export_faults.c -ldl -o %t.faults.so
// RUN: rm -rf %t.named %t.named_small && mkdir -p %t.named %t.named_small && echo victim > %t.victim
// RUN: env TPROF_OPTIONS=output_dir=%t.named:program_id=safe LD_PRELOAD=%t.faults.so FAULT_NO_TMPFILE=1 %t.exe plant %t.named %t.victim; echo "status $?"
// RUN: cat %t.victim | %FileCheck %s --check-prefix=VICTIM
// RUN: %python -c "import os,glob; real=[p for p in glob.glob('%t.named/*') if not os.path.islink(p)]; print(len(real), sorted(p.rsplit('_', 1)[-1] for p in real))" | %FileCheck %s --check-prefix=REAL
// RUN: find %t.named -type l -delete && %tpq %t.named check | %FileCheck %s --check-prefix=COMPLETE
// RUN: prlimit --fsize=1000 env TPROF_OPTIONS=output_dir=%t.named_small LD_PRELOAD=%t.faults.so FAULT_NO_TMPFILE=1 %t.exe > %t.out 2> %t.err; echo "status $?" >> %t.out
// RUN: %FileCheck %s --check-prefix=STATUS < %t.out
// RUN: %FileCheck %s --check-prefix=NAMED_FULL < %t.err
// RUN: ls -A %t.named_small | count 0
//
// RUN: prlimit --fsize=1000 env TPROF_OPTIONS=output_dir=%t.small %t.exe > %t.out 2> %t.err; echo "status $?" >> %t.out
// RUN: %FileCheck %s --check-prefix=STATUS < %t.out
// RUN: %FileCheck %s --check-prefix=FULL < %t.err
// RUN: ls -A %t.small | count 0
//
// VICTIM: {{^}}victim{{$}}
// VICTIM-NOT: {
// REAL: 7 ['allocators.csv', 'functions.csv', 'metrics.json', 'report.md', 'summary.json', 'timings.csv', 'traces.csv']
// COMPLETE: temporary files left: 0
// STATUS: status 7
// FULL: tprof: cannot write {{.*}}: File too large; no profile written
// FULL-NOT: tprof
// NAMED_FULL: tprof: cannot write {{.*}}.tmp: File too large; no profile written
// NAMED_FULL-NOT: tprof
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
static void *sink; /* the address escapes there (a relaxed atomic store), so clang -O1+ keeps the allocation: tprof counts those the binary makes */

static const char *const suffixes[] = {"metrics.json", "timings.csv", "cpu_functions.csv", "memory_summary.json",
                                       "memory_allocators.csv", "memory_traces.csv", "performance_report.md"};

/* Links at every name the export may use in the next few seconds. */
static void plant(const char *dir, const char *victim) {
  time_t now = time(NULL);
  for (int ahead = 0; ahead < 5; ahead++) {
    time_t t = now + ahead;
    char stamp[32], name[4096];
    strftime(stamp, sizeof stamp, "%Y%m%d_%H%M%S", gmtime(&t));
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
      snprintf(name, sizeof name, "%s/safe_%s_%d_%s", dir, stamp, (int)getpid(), suffixes[i]);
      symlink(victim, name);
      snprintf(name, sizeof name, "%s/.safe_%s_%d_%s.%d.tmp", dir, stamp, (int)getpid(), suffixes[i], (int)getpid());
      symlink(victim, name);
    }
  }
}

int work(int x) { return x + 3; }

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "plant"))
    plant(argv[2], argv[3]);
  char *p = malloc(64);
  __atomic_store_n(&sink, p, __ATOMIC_RELAXED);
  int r = work(p != NULL ? 4 : 0);
  free(p);
  return r;
}
