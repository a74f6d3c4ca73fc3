#include "Hooks.h"
#include "Compat.h"
#include "IRUtil.h"
#include "Records.h"

#include "llvm-c/DebugInfo.h"
#include <cstring>
#include <vector>

namespace tprof {

const char InstrumentedAttr[] = "tprof-instrumented";

bool isInstrumented(LLVMValueRef F) {
  return LLVMGetStringAttributeAtIndex(F, LLVMAttributeFunctionIndex, InstrumentedAttr,
                                       sizeof(InstrumentedAttr) - 1) != nullptr;
}

FunctionHooks::FunctionHooks(LLVMModuleRef M) : C(LLVMGetModuleContext(M)) {
  LLVMTypeRef Param = bytePtrType(C);
  HookTy = LLVMFunctionType(LLVMVoidTypeInContext(C), &Param, 1, /*IsVarArg=*/0);
  Enter = declareFunction(M, "__tprof_func_enter", HookTy);
  Exit = declareFunction(M, "__tprof_func_exit", HookTy);
}

// With the hooks in it a function has side effects. Attributes that say
// otherwise (readnone, memory(none), ...) would let -O2 hoist, merge or drop
// its calls, and the counts would go wrong. Names unknown to this LLVM
// (memory before 16, argmemonly after 15, ...) have kind 0 and are skipped.
static void dropPurityAttributes(LLVMValueRef F) {
  static const char *const Names[] = {"readnone",   "readonly",
                                      "writeonly",  "argmemonly",
                                      "inaccessiblememonly", "inaccessiblemem_or_argmemonly",
                                      "memory",     "speculatable"};
  for (const char *Name : Names) {
    unsigned Kind = LLVMGetEnumAttributeKindForName(Name, std::strlen(Name));
    if (!Kind)
      continue;
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
  if (Prev && LLVMIsABitCastInst(Prev))
    Prev = LLVMGetPreviousInstruction(Prev);
  if (Prev && LLVMIsACallInst(Prev) && isMustTailCall(Prev))
    return Prev;
  return Ret;
}

void FunctionHooks::instrument(LLVMValueRef F, LLVMValueRef Record, LLVMBuilderRef B) const {
  // Positioning the builder copies the location of the instruction it is put
  // before; every hook call gets its location set explicitly instead. In a
  // function with debug info each call needs one (the verifier rejects an
  // inlinable call without !dbg), so the function's line stands in when the
  // ret has none.
  LLVMMetadataRef FnLoc = functionDebugLoc(F);

  LLVMPositionBuilderBefore(B, LLVMGetFirstInstruction(LLVMGetEntryBasicBlock(F)));
  LLVMValueRef Call = LLVMBuildCall2(B, HookTy, Enter, &Record, 1, "");
  LLVMInstructionSetDebugLoc(Call, FnLoc);

  std::vector<LLVMValueRef> Returns;
  for (LLVMBasicBlockRef BB = LLVMGetFirstBasicBlock(F); BB; BB = LLVMGetNextBasicBlock(BB)) {
    LLVMValueRef Term = LLVMGetBasicBlockTerminator(BB);
    if (Term && LLVMIsAReturnInst(Term))
      Returns.push_back(Term);
  }
  for (LLVMValueRef Ret : Returns) {
    LLVMPositionBuilderBefore(B, exitHookPosition(Ret));
    Call = LLVMBuildCall2(B, HookTy, Exit, &Record, 1, "");
    LLVMMetadataRef RetLoc = FnLoc ? LLVMInstructionGetDebugLoc(Ret) : nullptr;
    LLVMInstructionSetDebugLoc(Call, RetLoc ? RetLoc : FnLoc);
  }

  LLVMAddAttributeAtIndex(F, LLVMAttributeFunctionIndex,
                          LLVMCreateStringAttribute(C, InstrumentedAttr, sizeof(InstrumentedAttr) - 1,
                                                    "", 0));
  dropPurityAttributes(F);
}

} // namespace tprof
