// Which functions are timed (guarded entry/exit hooks) and which are only
// counted (an inline counter): the cost of a profile is paid where a call
// is long enough for two timestamps to be worth reading.
#ifndef TPROF_PASS_TIMING_H
#define TPROF_PASS_TIMING_H

#include "llvm-c/Core.h"

namespace tprof {

// A function with at most this many instructions (in the IR the pass sees,
// before any optimisation), no loop and no call is a "tiny leaf": counted,
// not timed. Measured on the grid-DSL bench (docs/BENCHMARKS.md): its cell
// accessors are ~15 instructions here, its smallest operation bodies have
// loops; 40 keeps every function that takes more than a few nanoseconds.
constexpr unsigned TinyLeafMaxInstructions = 40;

struct TimingPolicy {
  bool All = false; // TPROF_TIMING=all: every function timed (the 0.1 behaviour)
};

// Reads TPROF_TIMING (unset or "auto": tiny leaves counted only; "all":
// every function timed). Another value gets one message on stderr and auto.
TimingPolicy timingPolicyFromEnvironment();

// Whether F gets entry/exit hooks: operations and main always; otherwise
// any function with a loop, a call (not an intrinsic or inline asm), or
// more than TinyLeafMaxInstructions instructions.
bool isTimed(LLVMValueRef F, bool IsOperation, const TimingPolicy &Policy);

} // namespace tprof

#endif
