// Function cloning and the dispatch to the copy use LLVM's C++ API
// (CloneFunction, block splitting), in calls that are the same from LLVM 14
// to 22.
#include "TimedCopy.h"

#include "llvm/IR/Attributes.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/ValueMapper.h"

#include <vector>

using namespace llvm;

namespace tprof {

bool canSplitTimedCopy(LLVMValueRef FRef) {
  auto *F = cast<Function>(unwrap(FRef));
  if (F->isVarArg() || F->hasFnAttribute(Attribute::ReturnsTwice)) return false;
  for (const Argument &A : F->args())
    if (A.hasInAllocaAttr() || A.hasPreallocatedAttr() || A.hasSwiftErrorAttr()) return false;
  for (const BasicBlock &BB : *F) {
    if (BB.hasAddressTaken()) return false;
    for (const Instruction &I : BB)
      if (const auto *Call = dyn_cast<CallInst>(&I))
        if (Call->isMustTailCall()) return false;
  }
  return true;
}

LLVMValueRef cloneTimedCopy(LLVMValueRef FRef) {
  auto *F = cast<Function>(unwrap(FRef));
  ValueToValueMapTy VMap;
  Function *Copy = CloneFunction(F, VMap);
  Copy->setName(F->getName() + ".tprof_timed");
  Copy->setLinkage(GlobalValue::InternalLinkage);
  Copy->setVisibility(GlobalValue::DefaultVisibility);
  Copy->setDSOLocal(true);
  Copy->setComdat(F->getComdat()); // dropped with F's group, as F's own code
  Copy->removeFnAttr(Attribute::AlwaysInline);
  Copy->removeFnAttr(Attribute::InlineHint);
  Copy->addFnAttr(Attribute::NoInline); // the timed path is taken seldom enough, and F stays small
  return wrap(Copy);
}

void emitDispatchToCopy(LLVMValueRef Cond, LLVMValueRef InsertBeforeRef, LLVMValueRef CopyRef, LLVMMetadataRef Loc) {
  auto *InsertBefore = cast<Instruction>(unwrap(InsertBeforeRef));
  auto *Copy = cast<Function>(unwrap(CopyRef));
  Function *F = InsertBefore->getFunction();
  Instruction *Then = SplitBlockAndInsertIfThen(unwrap(Cond), InsertBefore, /*Unreachable=*/true);
  IRBuilder<> B(Then);
  std::vector<Value *> Args;
  for (Argument &A : F->args()) Args.push_back(&A);
  CallInst *Call = B.CreateCall(Copy->getFunctionType(), Copy, Args);
  // The parameters' and the return's attributes (byval, sret, zeroext, ...)
  // are part of the calling convention: the call must say what F's callers
  // say; the function's own attributes stay F's.
  AttributeList FA = F->getAttributes();
  std::vector<AttributeSet> Params;
  for (unsigned I = 0; I < F->arg_size(); I++) Params.push_back(FA.getParamAttrs(I));
  Call->setAttributes(AttributeList::get(F->getContext(), AttributeSet(), FA.getRetAttrs(), Params));
  Call->setCallingConv(F->getCallingConv());
  // A tail call when no argument points into F's frame (a byval copy).
  bool ByVal = false;
  for (Argument &A : F->args()) ByVal |= A.hasByValAttr();
  if (!ByVal) Call->setTailCall();
  if (Loc) Call->setDebugLoc(DebugLoc(cast<DILocation>(unwrap(Loc))));
  if (F->getReturnType()->isVoidTy())
    B.CreateRetVoid();
  else
    B.CreateRet(Call);
  Then->eraseFromParent();
}

} // namespace tprof
