// A small timed function split in two: the function itself, counted and
// free of hooks, that jumps to a timed copy of its body while the profile
// times it. Measured on fib (valgrind, fib(22) - fib(20)): the guarded form
// cost 2.21x the plain build's instructions with the profile not timing
// fib, the split form 1.41x. The guarded form's exit test after the
// recursive calls kept the optimiser from turning fib's second call into
// a loop (tail-recursion elimination with an accumulator) and held the
// guard in a callee-saved register across the body; the split body is the
// plain one plus the counter and one test at entry.
#ifndef TPROF_PASS_TIMEDCOPY_H
#define TPROF_PASS_TIMEDCOPY_H

#include "llvm-c/Core.h"

namespace tprof {

// Whether F's calls can be forwarded to a copy of it: not variadic (its
// arguments could not be passed on), no block whose address is taken (a
// computed goto's labels belong to one body), no musttail call, no
// inalloca, preallocated or swifterror argument, not returns_twice.
bool canSplitTimedCopy(LLVMValueRef F);

// An internal, never inlined copy of F's body (debug info included), named
// F's name + ".tprof_timed", in F's COMDAT group if it has one.
LLVMValueRef cloneTimedCopy(LLVMValueRef F);

// `if (Cond) return Copy(F's arguments);` right before InsertBefore in F,
// as a tail call with F's parameter attributes (byval, sret, ...).
void emitDispatchToCopy(LLVMValueRef Cond, LLVMValueRef InsertBefore, LLVMValueRef Copy, LLVMMetadataRef Loc);

} // namespace tprof

#endif
