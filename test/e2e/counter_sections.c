// The counters' atomic adds live in subsection 1 of the function's own
// section (pass/Guards.cpp): with -ffunction-sections and in a COMDAT
// group (a C++ inline function, compiled here as C++), the stub must stay
// inside the group's section, or a linker that drops the duplicate group
// would leave it pointing at nothing. Then 4 threads call the inline
// function and a plain one while __libc_single_threaded is 0 (the stub's
// path), main before and after them (the plain path): counts exact, and
// the same when the assembly goes through GNU as (-fno-integrated-as).
//
// RUN: rm -rf %t.int %t.gas
// The object's layout is checked on a build without the test
// configuration's sanitizers (their checks would move the code around).
// RUN: %clang -fpass-plugin=%tprof_plugin -x c++ -fno-exceptions -fno-rtti -O2 -ffunction-sections -c %s -o %t.plain.o
// RUN: objdump -d --no-show-raw-insn %t.plain.o | %FileCheck %s --check-prefix=OBJ
// RUN: readelf -SW %t.plain.o | %FileCheck %s --check-prefix=GROUP
// RUN: %tprof_cc -x c++ -fno-exceptions -fno-rtti -O2 -ffunction-sections -c %s -o %t.int.o
// RUN: %tprof_cc %t.int.o %tprof_rt_static -lstdc++ -o %t.int.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.int %t.int.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.int func _Z6squarei calls | %FileCheck %s --check-prefix=SQUARE
// RUN: %tpq %t.int func _Z4stepi calls | %FileCheck %s --check-prefix=STEP
// RUN: %tprof_cc -x c++ -fno-exceptions -fno-rtti -O2 -ffunction-sections -fno-integrated-as -c %s -o %t.gas.o
// RUN: %tprof_cc %t.gas.o %tprof_rt_static -lstdc++ -o %t.gas.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.gas %t.gas.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.gas func _Z6squarei calls | %FileCheck %s --check-prefix=SQUARE
//
// The inline function's section holds its code, then its stub: the atomic
// add and the jump back to the instruction after the plain add. In an
// executable (clang's default -fPIE here) the flag is read PC-relative,
// without a load of its address from the GOT first.
// OBJ-LABEL: Disassembly of section .text._Z6squarei:
// OBJ: cmpb $0x0,{{.*}}(%rip)
// OBJ-NEXT: je [[STUB:[0-9a-f]+]]
// OBJ-NEXT: addq $0x1,{{.*}}(%rip)
// OBJ-NEXT: [[BACK:[0-9a-f]+]]:
// OBJ: ret
// OBJ: [[STUB]]: lock addq $0x1,{{.*}}(%rip)
// OBJ-NEXT: jmp [[BACK]]
// OBJ-NOT: Disassembly of section
// OBJ: {{^$}}
// GROUP: .text._Z6squarei PROGBITS {{.*}} AXG
//
// OUT: calls from main: 20
// SQUARE: 4000020
// STEP: 4000020
#include <pthread.h>
#include <stdio.h>

__attribute__((noinline)) inline int square(int x) { return x % 1000 * (x % 1000) % 7; }
__attribute__((noinline)) int step(int x) { return square(x) + 1; }

static void *worker(void *arg) {
  long s = 0;
  for (int i = 0; i < 1000000; i++) s += step(i);
  *(long *)arg = s;
  return NULL;
}

int main(void) {
  long total = 0;
  for (int i = 0; i < 10; i++) total += step(i) > 0;
  pthread_t t[4];
  long sums[4];
  for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, worker, &sums[i]);
  for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
  for (int i = 0; i < 10; i++) total += step(i) > 0;
  printf("calls from main: %ld\n", total);
  return 0;
}
