// An output directory that cannot be created gives one clear message naming
// the path, the component that could not be made (when it is not the path
// itself) and the reason, and the program's own exit status is unchanged.
//
// RUN: rm -rf %t.file && touch %t.file
// RUN: %tprof_cc -O1 %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.file/sub %t.exe > %t.out 2> %t.err; echo "status $?" >> %t.out
// RUN: %FileCheck %s --check-prefix=OUT < %t.out
// RUN: %FileCheck %s --check-prefix=ERR < %t.err
// RUN: env TPROF_OPTIONS=output_dir=/proc/tprof_cannot_write %t.exe > %t.out2 2> %t.err2; echo "status $?" >> %t.out2
// RUN: %FileCheck %s --check-prefix=OUT < %t.out2
// RUN: %FileCheck %s --check-prefix=ERR2 < %t.err2
//
// OUT: status 5
// ERR: tprof: cannot create the output directory [[DIR:.*]].file/sub (at [[DIR]].file): Not a directory; no profile written
// ERR-NOT: tprof
// ERR2: tprof: cannot create the output directory /proc/tprof_cannot_write: {{.+}}; no profile written
int work(int x) { return x + 2; }
int main(void) { return work(3); }
