// Late, right after the counter lowering (end of the pipeline, every -O level):
// the value that __tprof_func_enter_checked returned, which every exit of
// the function passes back to __tprof_func_exit_checked, is stored to a
// stack slot right after the entry and loaded again before each use.
// LLVM C++ API.
#ifndef TPROF_PASS_ENTERED_SLOTS_H
#define TPROF_PASS_ENTERED_SLOTS_H

namespace llvm {
class Function;
} // namespace llvm

namespace tprof {

// Returns whether F changed (its CFG did not).
bool keepEnteredOnStack(llvm::Function &F);

} // namespace tprof

#endif
