// Entry and exit hooks of one function.
#ifndef TPROF_PASS_HOOKS_H
#define TPROF_PASS_HOOKS_H

#include "Timing.h"

#include "llvm-c/Core.h"

namespace tprof {

// The string attribute that marks a function this pass has instrumented, so
// a second run leaves it alone.
extern const char InstrumentedAttr[];

bool isInstrumented(LLVMValueRef F);

struct FunctionRecord;

class FunctionHooks {
public:
  // Declares the hooks in M if needed.
  explicit FunctionHooks(LLVMModuleRef M);
  // Increments F's counter first thing (after the static allocas); when
  // Timed, also calls the entry hook there and the exit hook before every
  // return, in the form Calls says (hookCalls in Timing.h, decided before
  // any instrumentation): Guarded, F reads the hooks-on guard (any bit for
  // an operation, TPROF_HOOKS_ALL for another function) and calls
  // __tprof_func_enter/exit only while it is set; Checked, F always calls
  // __tprof_func_enter_checked, which reads the guard itself and returns
  // it, and passes that value to every __tprof_func_exit_checked. Marks F
  // instrumented and drops the attributes that would let the optimiser
  // treat F as free of side effects.
  void instrument(LLVMValueRef F, const FunctionRecord &Record, bool Timed, HookCalls Calls, bool IsOperation,
                  bool CountedByCallsites) const;
  // Brackets each call of a returns_twice function (setjmp & co., not
  // vfork) with __tprof_depth() before and __tprof_unwind(depth) after, so
  // the frames that a longjmp skipped are closed where it lands.
  void wrapReturnsTwiceCalls(LLVMValueRef F, LLVMBuilderRef B) const;

private:
  LLVMContextRef C;
  LLVMTypeRef HookTy, EnterCheckedTy, ExitCheckedTy, DepthTy, UnwindTy;
  LLVMValueRef Enter, Exit, EnterChecked, ExitChecked, Depth, Unwind;
};

// The first instruction of F's entry block after its static allocas: where
// the counter and the guard go, so the allocas stay in the entry block.
LLVMValueRef entryInsertionPoint(LLVMValueRef F);

} // namespace tprof

#endif
