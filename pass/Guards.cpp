#include "Guards.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace llvm;

namespace tprof {

static Value *byteVariable(Module &M, const char *Name) {
  Type *I8 = Type::getInt8Ty(M.getContext());
  GlobalVariable *GV = M.getNamedGlobal(Name);
  if (!GV)
    GV = new GlobalVariable(M, I8, /*isConstant=*/false, GlobalValue::ExternalLinkage, nullptr, Name);
  return GV;
}

static Value *asPointerTo(IRBuilder<> &B, Value *P, Type *Elem) {
  // Typed pointers (LLVM < 17) need the cast; with opaque pointers it is a no-op.
  return B.CreatePointerCast(P, PointerType::get(Elem, 0));
}

// The type-based alias analysis tag of a counter access: a scalar type of
// its own under clang's C/C++ root (same strings, so the same uniqued
// nodes as clang's), so the optimiser knows that bumping a counter does not
// change the program's int, pointer, ... data and need not reload it.
static MDNode *counterTBAA(LLVMContext &C) {
  MDBuilder MDB(C);
  MDNode *Root = MDB.createTBAARoot("Simple C/C++ TBAA");
  MDNode *Char = MDB.createTBAAScalarTypeNode("omnipotent char", Root);
  MDNode *Counter = MDB.createTBAAScalarTypeNode("tprof counter", Char);
  return MDB.createTBAAStructTagNode(Counter, Counter, 0);
}

// tprof's own loads and stores are not the program's: a sanitizer that
// instruments after us (ASan checks "nosanitize", as for UBSan's checks)
// leaves them alone. That also keeps code that runs before the sanitizer's
// runtime (an ifunc resolver) free of its checks.
static void noSanitize(Instruction *I) { I->setMetadata("nosanitize", MDNode::get(I->getContext(), {})); }

void emitCount(LLVMValueRef InsertBeforeRef, LLVMValueRef CounterRef) {
  auto *InsertBefore = cast<Instruction>(unwrap(InsertBeforeRef));
  Module &M = *InsertBefore->getModule();
  Type *I8 = Type::getInt8Ty(M.getContext()), *I64 = Type::getInt64Ty(M.getContext());
  IRBuilder<> B(InsertBefore);
  Value *Counter = asPointerTo(B, unwrap(CounterRef), I64);
  Value *Flag = asPointerTo(B, byteVariable(M, "__libc_single_threaded"), I8);
  LoadInst *FlagValue = B.CreateLoad(I8, Flag);
  noSanitize(FlagValue);
  Value *Single = B.CreateICmpNE(FlagValue, ConstantInt::get(I8, 0));
  Instruction *Plain = nullptr, *Atomic = nullptr;
  SplitBlockAndInsertIfThenElse(Single, InsertBefore, &Plain, &Atomic);
  MDNode *TBAA = counterTBAA(M.getContext());
  IRBuilder<> P(Plain);
  LoadInst *Old = P.CreateLoad(I64, Counter);
  Old->setMetadata(LLVMContext::MD_tbaa, TBAA);
  noSanitize(Old);
  StoreInst *New = P.CreateStore(P.CreateAdd(Old, ConstantInt::get(I64, 1)), Counter);
  New->setMetadata(LLVMContext::MD_tbaa, TBAA);
  noSanitize(New);
  IRBuilder<> A(Atomic);
  AtomicRMWInst *Add =
      A.CreateAtomicRMW(AtomicRMWInst::Add, Counter, ConstantInt::get(I64, 1), MaybeAlign(8), AtomicOrdering::Monotonic);
  Add->setMetadata(LLVMContext::MD_tbaa, TBAA);
  noSanitize(Add);
}

LLVMValueRef emitHooksOn(LLVMValueRef InsertBeforeRef, unsigned Mask) {
  auto *InsertBefore = cast<Instruction>(unwrap(InsertBeforeRef));
  Module &M = *InsertBefore->getModule();
  Type *I8 = Type::getInt8Ty(M.getContext());
  IRBuilder<> B(InsertBefore);
  LoadInst *On = B.CreateLoad(I8, asPointerTo(B, byteVariable(M, "__tprof_hooks_on"), I8));
  On->setAtomic(AtomicOrdering::Monotonic);
  On->setAlignment(Align(1));
  noSanitize(On);
  Value *Bits = Mask == 0xff ? static_cast<Value *>(On) : B.CreateAnd(On, ConstantInt::get(I8, Mask));
  return wrap(B.CreateICmpNE(Bits, ConstantInt::get(I8, 0)));
}

LLVMValueRef emitGuardedCall(LLVMValueRef Cond, LLVMValueRef InsertBeforeRef, LLVMTypeRef FnTy, LLVMValueRef Fn,
                             LLVMValueRef Arg) {
  auto *InsertBefore = cast<Instruction>(unwrap(InsertBeforeRef));
  Instruction *Then = SplitBlockAndInsertIfThen(unwrap(Cond), InsertBefore, /*Unreachable=*/false);
  IRBuilder<> B(Then);
  Value *Args[] = {unwrap(Arg)};
  return wrap(B.CreateCall(cast<FunctionType>(unwrap(FnTy)), unwrap(Fn), Args));
}

void addModuleCtorDtor(LLVMModuleRef M, LLVMValueRef Ctor, LLVMValueRef Dtor) {
  appendToGlobalCtors(*unwrap(M), cast<Function>(unwrap(Ctor)), 0);
  appendToGlobalDtors(*unwrap(M), cast<Function>(unwrap(Dtor)), 0);
}

} // namespace tprof
