// The tprof module pass: entry/exit hooks in every defined function and
// allocation calls redirected to the runtime, before any inlining.
#ifndef TPROF_PASS_TPROFPASS_H
#define TPROF_PASS_TPROFPASS_H

#include "llvm/IR/PassManager.h"

namespace tprof {

struct TprofPass : llvm::PassInfoMixin<TprofPass> {
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  // Without this, -O0's optnone functions would be skipped.
  static bool isRequired() { return true; }
};

} // namespace tprof

#endif
