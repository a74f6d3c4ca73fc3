// The default program_id (the first part of every file name) is the base
// name of the path the program was started by: its own file's, or a
// symbolic link's when started through one, as its user typed it.
//
// RUN: rm -rf %t.d %t.bin && mkdir -p %t.bin
// RUN: %tprof_cc -O2 %s %tprof_rt_static -o %t.bin/real_prog
// RUN: ln -s real_prog %t.bin/linked_prog
// RUN: env TPROF_OPTIONS=output_dir=%t.d/real %t.bin/real_prog
// RUN: env TPROF_OPTIONS=output_dir=%t.d/linked %t.bin/linked_prog
// RUN: cd %t.bin && env TPROF_OPTIONS=output_dir=%t.d/relative ./linked_prog
// RUN: ls %t.d/real | %FileCheck %s --check-prefix=REAL
// RUN: ls %t.d/linked %t.d/relative | %FileCheck %s --check-prefix=LINKED
// RUN: %tpq %t.d/linked get program_id | %FileCheck %s --check-prefix=ID
//
// REAL: real_prog_{{[0-9]+}}_{{[0-9]+}}_{{[0-9]+}}_metrics.json
// LINKED-NOT: real_prog
// LINKED: linked_prog_{{[0-9]+}}_{{[0-9]+}}_{{[0-9]+}}_metrics.json
// LINKED-NOT: real_prog
// LINKED: linked_prog_{{[0-9]+}}_{{[0-9]+}}_{{[0-9]+}}_metrics.json
// ID: linked_prog

static int twice(int x) { return 2 * x; }

int main(void) { return twice(0); }
