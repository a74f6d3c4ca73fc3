// Operations: op_ prefix (reported without it), TPROF_OPERATION (named after
// the function) and TPROF_OPERATION_NAMED (the given name) set the operation
// flag and name in the record; TPROF_OP_PREFIX changes or disables the
// naming convention.
// RUN: %clang -O0 -g -Xclang -disable-O0-optnone -I%tprof_include -S -emit-llvm %s -o %t.ll
// RUN: %opt -passes=tprof -S %t.ll | %FileCheck %s
// RUN: env TPROF_OP_PREFIX=dsl_ %opt -passes=tprof -S %t.ll | %FileCheck %s --check-prefix=PREFIX
// RUN: env TPROF_OP_PREFIX= %opt -passes=tprof -S %t.ll | %FileCheck %s --check-prefix=OFF
#include <tprof/tprof.h>

int op_rotate_1(int x) { return x + 1; }
TPROF_OPERATION_NAMED("color_replace_2") int recolor(int x) { return x * 2; }
TPROF_OPERATION int flood_fill_3(int x) { return x - 1; }
int dsl_tile_4(int x) { return x; }
int helper(int x) { return x; }

// Record fields: abi, flags (1 = operation, 2 = timed: an operation always
// is, these tiny leaves otherwise are not), line, id, calls, name, op_name,
// file.
// CHECK-DAG: @__tprof_func.op_rotate_1 = private global {{.*}} { i32 2, i32 3, i32 11, i32 0, i64 0,
// CHECK-DAG: @__tprof_func.recolor = private global {{.*}} { i32 2, i32 3, i32 12, i32 0, i64 0,
// CHECK-DAG: @__tprof_func.flood_fill_3 = private global {{.*}} { i32 2, i32 3, i32 13, i32 0, i64 0,
// CHECK-DAG: @__tprof_func.dsl_tile_4 = private global {{.*}} { i32 2, i32 0, i32 14, i32 0, i64 0,
// CHECK-DAG: @__tprof_func.helper = private global {{.*}} { i32 2, i32 0, i32 15, i32 0, i64 0, {{.*}}null
// CHECK-DAG: c"rotate_1\00"
// CHECK-DAG: c"color_replace_2\00"
// CHECK-DAG: c"flood_fill_3\00"

// PREFIX-DAG: @__tprof_func.op_rotate_1 = private global {{.*}} { i32 2, i32 0,
// PREFIX-DAG: @__tprof_func.dsl_tile_4 = private global {{.*}} { i32 2, i32 3,
// PREFIX-DAG: c"tile_4\00"
// PREFIX-DAG: @__tprof_func.recolor = private global {{.*}} { i32 2, i32 3,

// OFF-DAG: @__tprof_func.op_rotate_1 = private global {{.*}} { i32 2, i32 0,
// OFF-DAG: @__tprof_func.recolor = private global {{.*}} { i32 2, i32 3,
