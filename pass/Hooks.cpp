#include "Hooks.h"
#include "Compat.h"
#include "Guards.h"
#include "IRUtil.h"
#include "Records.h"

#include "tprof/abi.h"

#include "llvm-c/DebugInfo.h"
#include <cstring>
#include <vector>

namespace tprof {

const char InstrumentedAttr[] = "tprof-instrumented";

bool isInstrumented(LLVMValueRef F) {
  return LLVMGetStringAttributeAtIndex(F, LLVMAttributeFunctionIndex, InstrumentedAttr, sizeof(InstrumentedAttr) - 1) !=
         nullptr;
}

FunctionHooks::FunctionHooks(LLVMModuleRef M) : C(LLVMGetModuleContext(M)) {
  LLVMTypeRef Param = bytePtrType(C);
  HookTy = LLVMFunctionType(LLVMVoidTypeInContext(C), &Param, 1, /*IsVarArg=*/0);
  Enter = declareFunction(M, "__tprof_func_enter", HookTy);
  Exit = declareFunction(M, "__tprof_func_exit", HookTy);
  LLVMTypeRef I32 = LLVMInt32TypeInContext(C);
  EnterCheckedTy = LLVMFunctionType(I32, &Param, 1, /*IsVarArg=*/0);
  LLVMTypeRef ExitParams[] = {Param, I32};
  ExitCheckedTy = LLVMFunctionType(LLVMVoidTypeInContext(C), ExitParams, 2, /*IsVarArg=*/0);
  EnterChecked = declareFunction(M, "__tprof_func_enter_checked", EnterCheckedTy);
  ExitChecked = declareFunction(M, "__tprof_func_exit_checked", ExitCheckedTy);
  DepthTy = LLVMFunctionType(I32, nullptr, 0, /*IsVarArg=*/0);
  UnwindTy = LLVMFunctionType(LLVMVoidTypeInContext(C), &I32, 1, /*IsVarArg=*/0);
  Depth = declareFunction(M, "__tprof_depth", DepthTy);
  Unwind = declareFunction(M, "__tprof_unwind", UnwindTy);
}

LLVMValueRef entryInsertionPoint(LLVMValueRef F) {
  LLVMValueRef I = LLVMGetFirstInstruction(LLVMGetEntryBasicBlock(F));
  while (I && LLVMIsAAllocaInst(I) && LLVMIsAConstant(LLVMGetOperand(I, 0))) I = LLVMGetNextInstruction(I);
  return I;
}

// With the hooks in it a function has side effects. Attributes that say
// otherwise (readnone, memory(none), ...) would let -O2 hoist, merge or drop
// its calls, and the counts would go wrong. Names unknown to this LLVM
// (memory before 16, argmemonly after 15, ...) have kind 0 and are skipped.
static void dropPurityAttributes(LLVMValueRef F) {
  static const char *const Names[] = {
      "readnone", "readonly",    "writeonly", "argmemonly", "inaccessiblememonly", "inaccessiblemem_or_argmemonly",
      "memory",   "speculatable"};
  for (const char *Name : Names) {
    unsigned Kind = LLVMGetEnumAttributeKindForName(Name, std::strlen(Name));
    if (!Kind) continue;
    LLVMRemoveEnumAttributeAtIndex(F, LLVMAttributeFunctionIndex, Kind);
    for (LLVMUseRef U = LLVMGetFirstUse(F); U; U = LLVMGetNextUse(U)) {
      LLVMValueRef User = LLVMGetUser(U);
      if ((LLVMIsACallInst(User) || LLVMIsAInvokeInst(User)) && LLVMGetCalledValue(User) == F)
        LLVMRemoveCallSiteEnumAttribute(User, LLVMAttributeFunctionIndex, Kind);
    }
  }
}

// Where the exit hook goes for this return: before a musttail call (and the
// bitcast that typed-pointer IR allows after it), since nothing else may
// come between such a call and its ret.
static LLVMValueRef exitHookPosition(LLVMValueRef Ret) {
  LLVMValueRef Prev = LLVMGetPreviousInstruction(Ret);
  if (Prev && LLVMIsABitCastInst(Prev)) Prev = LLVMGetPreviousInstruction(Prev);
  if (Prev && LLVMIsACallInst(Prev) && isMustTailCall(Prev)) return Prev;
  return Ret;
}

void FunctionHooks::instrument(LLVMValueRef F, const FunctionRecord &Record, bool Timed, HookCalls Calls,
                               bool IsOperation, bool CountedByCallsites) const {
  std::vector<LLVMValueRef> Returns;
  for (LLVMBasicBlockRef BB = LLVMGetFirstBasicBlock(F); BB; BB = LLVMGetNextBasicBlock(BB)) {
    LLVMValueRef Term = LLVMGetBasicBlockTerminator(BB);
    if (Term && LLVMIsAReturnInst(Term)) Returns.push_back(Term);
  }

  LLVMValueRef Start = entryInsertionPoint(F);
  if (!CountedByCallsites) emitCount(Start, Record.Counter);
  if (Timed) {
    // Positioning a builder copies the location of the instruction it is
    // put before; every hook call gets its location set explicitly instead.
    // In a function with debug info each call needs one (the verifier
    // rejects an inlinable call without !dbg), so the function's line
    // stands in when the ret has none.
    LLVMMetadataRef FnLoc = functionDebugLoc(F);
    // One read of the guard per call: the exits call their hook exactly when
    // the entry did, even if the runtime's mode changes in between. The
    // checked entry hook reads the guard itself and returns it; the exits
    // pass it back.
    LLVMValueRef On = nullptr, Entered = nullptr;
    if (Calls == HookCalls::Checked) {
      Entered = emitCall(Start, EnterCheckedTy, EnterChecked, {Record.Ptr}, "tprof.entered");
      LLVMInstructionSetDebugLoc(Entered, FnLoc);
    } else {
      On = emitHooksOn(Start, TPROF_HOOKS_MASK(IsOperation ? TPROF_FUNC_OPERATION : 0u));
      LLVMInstructionSetDebugLoc(emitGuardedCall(On, Start, HookTy, Enter, Record.Ptr), FnLoc);
    }
    auto Hook = [&](LLVMValueRef Before) {
      if (Entered) return emitCall(Before, ExitCheckedTy, ExitChecked, {Record.Ptr, Entered}, "");
      return emitGuardedCall(On, Before, HookTy, Exit, Record.Ptr);
    };
    for (LLVMValueRef Ret : Returns) {
      LLVMValueRef Call = Hook(exitHookPosition(Ret));
      LLVMMetadataRef RetLoc = FnLoc ? LLVMInstructionGetDebugLoc(Ret) : nullptr;
      LLVMInstructionSetDebugLoc(Call, RetLoc ? RetLoc : FnLoc);
    }
  }

  LLVMAddAttributeAtIndex(F, LLVMAttributeFunctionIndex,
                          LLVMCreateStringAttribute(C, InstrumentedAttr, sizeof(InstrumentedAttr) - 1, "", 0));
  dropPurityAttributes(F);
}

static bool callsReturnsTwice(LLVMValueRef I) {
  static const unsigned Kind = LLVMGetEnumAttributeKindForName("returns_twice", 13);
  if (!LLVMIsACallInst(I) || LLVMIsAIntrinsicInst(I)) return false;
  LLVMValueRef Callee = directCallee(I);
  // vfork's child shares our memory until it execs: it must not touch
  // the runtime's state, so vfork is left alone.
  if (Callee && nameOf(Callee) == "vfork") return false;
  return LLVMGetCallSiteEnumAttribute(I, LLVMAttributeFunctionIndex, Kind) ||
         (Callee && LLVMGetEnumAttributeAtIndex(Callee, LLVMAttributeFunctionIndex, Kind));
}

void FunctionHooks::wrapReturnsTwiceCalls(LLVMValueRef F, LLVMBuilderRef B) const {
  std::vector<LLVMValueRef> Calls;
  for (LLVMBasicBlockRef BB = LLVMGetFirstBasicBlock(F); BB; BB = LLVMGetNextBasicBlock(BB))
    for (LLVMValueRef I = LLVMGetFirstInstruction(BB); I; I = LLVMGetNextInstruction(I))
      if (callsReturnsTwice(I)) Calls.push_back(I);
  for (LLVMValueRef Call : Calls) {
    LLVMMetadataRef Loc = LLVMInstructionGetDebugLoc(Call);
    LLVMPositionBuilderBefore(B, Call);
    LLVMValueRef D = LLVMBuildCall2(B, DepthTy, Depth, nullptr, 0, "tprof.depth");
    LLVMInstructionSetDebugLoc(D, Loc);
    LLVMPositionBuilderBefore(B, LLVMGetNextInstruction(Call));
    LLVMValueRef U = LLVMBuildCall2(B, UnwindTy, Unwind, &D, 1, "");
    LLVMInstructionSetDebugLoc(U, Loc);
  }
}

} // namespace tprof
