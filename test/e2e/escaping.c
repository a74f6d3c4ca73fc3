// Names that need escaping come out as valid CSV and JSON, read back with
// Python's csv and json modules: a program id with a comma, quotes, a newline
// and a byte that is not UTF-8 (set through the API), and a source path with
// a comma and a space.
//
// RUN: rm -rf %t.d %t.src && mkdir -p "%t.src/dir, with space"
// RUN: cp %s "%t.src/dir, with space/prog, 1.c"
// RUN: %tprof_cc -O1 -g "%t.src/dir, with space/prog, 1.c" %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe
// RUN: %tpq %t.d check | %FileCheck %s --check-prefix=FILES
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.d/*_metrics.json')[0])); print(ascii(m['program_id'])); print([f['file'].endswith('prog, 1.c') for f in m['functions'] if f['name']=='op_quote_1'])" | %FileCheck %s --check-prefix=JSON
// RUN: %python -c "import csv,glob; rows=list(csv.DictReader(open(glob.glob('%t.d/*_cpu_functions.csv')[0], encoding='utf-8'))); print([r['file'].endswith('prog, 1.c') for r in rows if r['function']=='op_quote_1']); a=list(csv.DictReader(open(glob.glob('%t.d/*_memory_allocators.csv')[0], encoding='utf-8'))); print(a[0]['location'].endswith('prog, 1.c:' + a[0]['line']))" | %FileCheck %s --check-prefix=CSV
// RUN: ls %t.d | %FileCheck %s --check-prefix=NAME
// A region (an operation with any name) named with a comma, quotes, a
// newline, a tab, a backslash and a byte that is not UTF-8: one row in
// timings.csv, the same name in operations, call_stacks and the timeline.
// RUN: %python -c "import csv,glob; rows=list(csv.DictReader(open(glob.glob('%t.d/*_timings.csv')[0], encoding='utf-8'))); print(ascii([r['operation'] for r in rows if r['function']=='(region)']))" | %FileCheck %s --check-prefix=REGION_CSV
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.d/*_metrics.json')[0])); name='reg, \"q\"\nline\tx\\\\ \ufffd'; n={f['id']:f for f in m['functions']}; print([o['calls'] for o in m['operations'] if o['name']==name], [s['calls'] for s in m['call_stacks'] if n[s['function']]['name']==name], [n[e[0]]['kind'] for e in m['timeline']['events'] if n[e[0]]['name']==name])" | %FileCheck %s --check-prefix=REGION_JSON
//
// FILES: temporary files left: 0
// JSON: 'id, "quoted"\nnext line \ufffd'
// JSON-NEXT: [True]
// CSV: [True]
// CSV-NEXT: True
// The file names use a safe form of the id.
// NAME: id___quoted__next_line___{{[0-9]+}}_{{[0-9]+}}_{{[0-9]+}}_metrics.json
// REGION_CSV: ['reg, "q"\nline\tx\\ \ufffd']
// REGION_JSON: [2] [2] ['region', 'region']
#include <stdlib.h>
#include <tprof/tprof.h>

/* The address escapes here, so that clang -O1 and above keeps the malloc
 * and free pair it would otherwise remove (tprof counts the allocations the
 * compiled program makes, as valgrind does). */
static void *volatile sink;

int op_quote_1(int x) { return x + 1; }

int main(void) {
  tprof_set_option("program_id", "id, \"quoted\"\nnext line \xff");
  char *p = malloc(16);
  sink = p;
  int r = op_quote_1(p != NULL);
  for (int i = 0; i < 2; i++) {
    tprof_region_begin("reg, \"q\"\nline\tx\\ \xfe");
    tprof_region_end();
  }
  free(p);
  return r == 2 ? 0 : 1;
}
