// Sets of one process with one program_id written within the same second
// (three explicit exports in a row, then the exit's) are all kept: the
// second and later ones get ".N" after the pid instead of replacing the
// first. Each set holds its own run of `work` (tprof_reset between).
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d:program_id=same %t.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.d sets | %FileCheck %s --check-prefix=SETS
// RUN: ls %t.d | %FileCheck %s --check-prefix=NAMES
//
// A program_id of 250 characters: cut to 180 in the names, so that the
// longest temporary name (".N" sets, "performance_report.md", ".pid.tmp")
// stays within the file system's 255 bytes; every set is still written
// (before, the ".2" set's temporary names were too long and it was lost).
// RUN: rm -rf %t.long
// RUN: env TPROF_OPTIONS=output_dir=%t.long:program_id=$(%python -c "print('x' * 250)") %t.exe | %FileCheck %s --check-prefix=LONGOUT
// RUN: %tpq %t.long sets | %FileCheck %s --check-prefix=SETS
// RUN: %python -c "import os; n=os.listdir('%t.long'); print(len(n), 'files, longest name', max(map(len, n)), 'bytes, program part', {len(x.split('_')[0]) for x in n})" | %FileCheck %s --check-prefix=LONG
//
// OUT: export 1 -> 0 {{.*}}/same_{{[0-9]+_[0-9]+}}_[[PID:[0-9]+]]_{{$}}
// OUT: export 2 -> 0 {{.*}}/same_{{[0-9]+_[0-9]+}}_[[PID]]{{(\.2)?}}_{{$}}
// OUT: export 3 -> 0 {{.*}}/same_{{[0-9]+_[0-9]+}}_[[PID]]{{(\.[23])?}}_{{$}}
// OUT: prefixes distinct: 3
// SETS: {{^}}4{{$}}
// Every set complete under its own name (no temporary left behind).
// NAMES-COUNT-28: {{^}}same_{{[0-9]+_[0-9]+_[0-9]+(\.[234])?}}_{{[a-z_]+\.(json|csv|md)$}}
// NAMES-NOT: .tmp
// LONGOUT: export 3 -> 0
// LONGOUT: prefixes distinct: 3
// LONG: 28 files, longest name {{2[0-4][0-9]|25[0-5]}} bytes, program part {180}
#include <stdio.h>
#include <string.h>
#include <tprof/tprof.h>

volatile int sink;

void work(int n) { sink += n; }

int main(void) {
  char prefixes[3][4096];
  for (int i = 0; i < 3; i++) {
    tprof_reset();
    work(i);
    int rc = tprof_export(prefixes[i], sizeof prefixes[i]);
    printf("export %d -> %d %s\n", i + 1, rc, prefixes[i]);
  }
  int distinct = 1 + (strcmp(prefixes[1], prefixes[0]) != 0) +
                 (strcmp(prefixes[2], prefixes[0]) != 0 && strcmp(prefixes[2], prefixes[1]) != 0);
  printf("prefixes distinct: %d\n", distinct);
  tprof_reset();
  work(4); /* the exit's export then has a call of its own to write */
  return 0;
}
