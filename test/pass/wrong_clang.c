// Loaded into a clang of another major version, the plugin refuses to load
// with a message naming the clang to use, instead of crashing the compiler.
// REQUIRES: other-clang
// RUN: not %other_clang -O2 -fpass-plugin=%tprof_plugin -c %s -o %t.o 2>&1 | %FileCheck %s
// CHECK: tprof: this tprof.so was built for LLVM [[V:[0-9]+]] but is loaded into LLVM {{.*}}; use /usr/lib/llvm-[[V]]/bin/clang
int main(void) { return 0; }
