#!/usr/bin/env python3
"""Write a C program that stresses tprof's limits:

  gen_scale_program.py FUNCTIONS DEPTH ALLOCATIONS NAME_LENGTH > prog.c

FUNCTIONS distinct functions each called once (through a table), one
operation whose name is NAME_LENGTH characters long, a recursion DEPTH frames
deep, and ALLOCATIONS malloc/free pairs. The program prints the sum of what
the calls returned, so its result can be checked.
"""
import sys

functions, depth, allocations, name_length = (int(a) for a in sys.argv[1:5])
long_name = "op_" + "n" * (name_length - 3)
out = sys.stdout
out.write("#include <stdio.h>\n#include <stdlib.h>\n")
for k in range(functions):
    out.write("int f%d(int x) { return x + %d; }\n" % (k, k & 7))
out.write("static int (*const table[])(int) = {\n")
for k in range(0, functions, 16):
    out.write(", ".join("f%d" % j for j in range(k, min(k + 16, functions))) + ",\n")
out.write("};\n")
out.write("int %s(int x) { return 2 * x; }\n" % long_name)
out.write("int rec(int n) { return n ? rec(n - 1) + 1 : 0; }\n")
out.write("""int main(void) {
  long s = 0;
  for (int k = 0; k < %d; k++) s += table[k](1);
  s += %s(3);
  s += rec(%d);
  for (long i = 0; i < %dL; i++) {
    char *p = malloc(16 + (i & 63));
    p[0] = 1;
    s += p[0];
    free(p);
  }
  printf("%%ld\\n", s);
  return 0;
}
""" % (functions, long_name, depth, allocations))
