// Entry and exit hooks of one function.
#ifndef TPROF_PASS_HOOKS_H
#define TPROF_PASS_HOOKS_H

#include "llvm-c/Core.h"

namespace tprof {

// The string attribute that marks a function this pass has instrumented, so
// a second run leaves it alone.
extern const char InstrumentedAttr[];

bool isInstrumented(LLVMValueRef F);

class FunctionHooks {
public:
  // Declares __tprof_func_enter and __tprof_func_exit in M if needed.
  explicit FunctionHooks(LLVMModuleRef M);
  // Calls the entry hook first thing in F and the exit hook before every
  // return, both with Record; marks F instrumented and drops the attributes
  // that would let the optimiser treat F as free of side effects.
  void instrument(LLVMValueRef F, LLVMValueRef Record, LLVMBuilderRef B) const;

private:
  LLVMContextRef C;
  LLVMTypeRef HookTy;
  LLVMValueRef Enter, Exit;
};

} // namespace tprof

#endif
