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
  // Timed, also reads the hooks-on guard there (any bit for an operation,
  // TPROF_HOOKS_ALL for another function) and calls the entry hook there
  // and the exit hook before every return: only
  // while the guard is set (__tprof_func_enter/exit), or always, with the
  // guard's value (__tprof_func_enter_if/exit_if), as Calls says (see
  // hookCallsFor, decided before any instrumentation). Marks F instrumented
  // and drops the attributes that would let the optimiser treat F as free
  // of side effects.
  void instrument(LLVMValueRef F, const FunctionRecord &Record, bool Timed, HookCalls Calls, bool IsOperation,
                  bool CountedByCallsites) const;
  // Brackets each call of a returns_twice function (setjmp & co., not
  // vfork) with __tprof_depth() before and __tprof_unwind(depth) after, so
  // the frames that a longjmp skipped are closed where it lands.
  void wrapReturnsTwiceCalls(LLVMValueRef F, LLVMBuilderRef B) const;

private:
  LLVMContextRef C;
  LLVMTypeRef HookTy, CheckedHookTy, DepthTy, UnwindTy;
  LLVMValueRef Enter, Exit, EnterIf, ExitIf, Depth, Unwind;
};

// The first instruction of F's entry block after its static allocas: where
// the counter and the guard go, so the allocas stay in the entry block.
LLVMValueRef entryInsertionPoint(LLVMValueRef F);

} // namespace tprof

#endif
