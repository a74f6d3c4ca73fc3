// Which functions are timed (guarded entry/exit hooks) and which are only
// counted (an inline counter): the cost of a profile is paid where a call
// is long enough for two timestamps to be worth reading.
#ifndef TPROF_PASS_TIMING_H
#define TPROF_PASS_TIMING_H

#include "llvm-c/Core.h"

#include <map>
#include <vector>

namespace tprof {

// A function with at most this many instructions (in the IR the pass sees,
// before any optimisation, leaving out its local variables' allocas, loads
// and stores), no loop and no call is a "tiny leaf": counted, not timed. Measured on the grid-DSL bench (docs/BENCHMARKS.md): its cell
// accessors are ~15 instructions here, its smallest operation bodies have
// loops; 40 keeps every function that takes more than a few nanoseconds.
constexpr unsigned TinyLeafMaxInstructions = 48;

struct TimingPolicy {
  bool All = false; // TPROF_TIMING=all: every function timed (the 0.1 behaviour)
};

// Reads TPROF_TIMING (unset or "auto": tiny leaves counted only; "all":
// every function timed). Another value gets one message on stderr and auto.
TimingPolicy timingPolicyFromEnvironment();

// Which of Functions (the module's instrumented functions) get entry/exit
// hooks: operations and main always; otherwise a function with a loop, a
// call we cannot see into (indirect, or to another module; not an
// intrinsic, inline asm, an allocation function, a function that does
// not return or a call in a block that ends in unreachable), more than TinyLeafMaxInstructions instructions, or calls of
// this module's functions that are timed, recursive, or add up with it to
// more than TinyLeafMaxInstructions (decideTiming, below).

// How a timed function calls its hooks.
//  - Guarded: the function tests the guard byte itself and calls a hook
//    only while it is set: while the profile is off the call costs a load
//    and a branch, no call. For small functions (no loop, at most
//    TinyLeafMaxInstructions, no call of code this module cannot see: fib,
//    a recursive tree walk), where a hook call would cost about as much as
//    the function's own work.
//  - Checked: the function always calls __tprof_func_enter_checked, which
//    reads the guard and returns it, and passes that value to
//    __tprof_func_exit_checked: straight-line code with no block, no load
//    of its own, which roughly halves what the hooks add to the -O2 compile
//    (the branches around the guarded calls were most of codegen's extra
//    work: docs/BENCHMARKS.md). While the profile is off such a call costs
//    two calls that return at once (about 2 ns): for every other timed
//    function, whose loop, size or opaque call costs more than that.
enum class HookCalls { Guarded, Checked };

// Which of Functions get hooks (see above), and for each timed one the form
// of its hook calls in Calls: Checked when its own body makes it timed (a
// loop, an opaque call, its size), Guarded when only something else does
// (being an operation or main, recursion, callees that add up,
// TPROF_TIMING=all).
std::map<LLVMValueRef, bool> decideTiming(const std::vector<LLVMValueRef> &Functions,
                                          const std::map<LLVMValueRef, bool> &IsOperation, const TimingPolicy &Policy,
                                          std::map<LLVMValueRef, HookCalls> &Calls);

} // namespace tprof

#endif
