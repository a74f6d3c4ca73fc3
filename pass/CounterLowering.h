// The late half of tprof's counters (see CounterLowering.cpp): counters of
// loops that call nothing kept in registers and added on the loops' exits,
// then every counter update made a plain add while glibc says only one
// thread runs. Runs at the end of the optimisation pipeline (every -O
// level); LLVM C++ API.
#ifndef TPROF_PASS_COUNTER_LOWERING_H
#define TPROF_PASS_COUNTER_LOWERING_H

#include "llvm/ADT/STLFunctionalExtras.h"

namespace llvm {
class DominatorTree;
class ScalarEvolution;
class Function;
class LoopInfo;
} // namespace llvm

namespace tprof {

// Whether F has a counter update left to lower.
bool hasCounterUpdates(const llvm::Function &F);

// Whether F may have a loop: a branch to a block at or before its own in
// F's block list (every cycle has one). Cheaper than the dominator tree
// and loop info that promoting a loop's counters needs; most functions of
// generated code have no loop.
bool mayHaveLoop(const llvm::Function &F);

// Keeps the counters of F's loops that call nothing in registers, or adds
// a loop's trip count on its exit where ScalarEvolution (GetSE, called only
// when F has such a loop) knows it (CounterLowering.cpp). Returns whether F
// changed.
bool promoteLoopCounters(llvm::Function &F, llvm::DominatorTree &DT, llvm::LoopInfo &LI,
                         llvm::function_ref<llvm::ScalarEvolution &()> GetSE);

// Lowers every counter update left in F (Guards.h). Returns whether F changed.
bool lowerCounterUpdates(llvm::Function &F);

} // namespace tprof

#endif
