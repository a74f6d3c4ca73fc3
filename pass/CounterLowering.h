// The late half of tprof's counters (see CounterLowering.cpp): counters of
// loops that call nothing kept in registers and added on the loops' exits,
// then every counter update made a plain add while glibc says only one
// thread runs. Runs at the end of the optimisation pipeline (every -O
// level); LLVM C++ API.
#ifndef TPROF_PASS_COUNTER_LOWERING_H
#define TPROF_PASS_COUNTER_LOWERING_H

namespace llvm {
class DominatorTree;
class Function;
class LoopInfo;
} // namespace llvm

namespace tprof {

// Whether F has a counter update left to lower.
bool hasCounterUpdates(const llvm::Function &F);

// Returns whether F changed (then its CFG did too).
bool lowerCounters(llvm::Function &F, llvm::DominatorTree &DT, llvm::LoopInfo &LI);

} // namespace tprof

#endif
