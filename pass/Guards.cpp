#include "Guards.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#include <vector>

using namespace llvm;

namespace tprof {

static Value *byteVariable(Module &M, const char *Name) {
  Type *I8 = Type::getInt8Ty(M.getContext());
  GlobalVariable *GV = M.getNamedGlobal(Name);
  if (!GV) GV = new GlobalVariable(M, I8, /*isConstant=*/false, GlobalValue::ExternalLinkage, nullptr, Name);
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

// An alias scope for tprof's own memory (counters, glibc's single-threaded
// flag, the hooks-on byte). TBAA cannot say that a char store of the
// program leaves a counter alone (char may alias anything), so without this
// every byte the program writes makes the optimiser reload the flag and the
// counter: a grid loop that writes cells paid a load, a compare and a
// branch per counted call. The scope is named (a uniqued node), so every
// function and module uses the same one.
static MDNode *tprofScope(LLVMContext &C) {
  MDBuilder MDB(C);
  return MDB.createAliasScope("tprof counters and flags", MDB.createAliasScopeDomain("tprof"));
}

static void inTprofScope(Instruction *I) {
  I->setMetadata(LLVMContext::MD_alias_scope, MDNode::get(I->getContext(), {tprofScope(I->getContext())}));
}

bool isTprofAccess(const Instruction &I) {
  MDNode *Scope = tprofScope(I.getContext());
  if (MDNode *List = I.getMetadata(LLVMContext::MD_alias_scope))
    for (const MDOperand &Op : List->operands())
      if (Op.get() == Scope) return true;
  return false;
}

void separateTprofMemory(LLVMValueRef FnRef) {
  auto *F = cast<Function>(unwrap(FnRef));
  MDNode *Scope = tprofScope(F->getContext());
  MDNode *Mine = MDNode::get(F->getContext(), {Scope});
  for (BasicBlock &BB : *F)
    for (Instruction &I : BB) {
      // Calls stay unmarked: a call may run code that bumps these counters
      // (recursion) or changes the flags (pthread_create, the runtime).
      bool Access = isa<LoadInst>(I) || isa<StoreInst>(I) || isa<AtomicRMWInst>(I) || isa<AtomicCmpXchgInst>(I) ||
                    isa<MemIntrinsic>(I);
      if (!Access || isTprofAccess(I)) continue;
      I.setMetadata(LLVMContext::MD_noalias, MDNode::concatenate(I.getMetadata(LLVMContext::MD_noalias), Mine));
    }
}

AtomicRMWInst *emitAtomicAdd(Instruction *InsertBefore, Value *CounterPtr, Value *Amount) {
  IRBuilder<> B(InsertBefore);
  Value *Counter = asPointerTo(B, CounterPtr, Type::getInt64Ty(InsertBefore->getContext()));
  AtomicRMWInst *Add = B.CreateAtomicRMW(AtomicRMWInst::Add, Counter, Amount, MaybeAlign(8), AtomicOrdering::Monotonic);
  Add->setMetadata(LLVMContext::MD_tbaa, counterTBAA(InsertBefore->getContext()));
  noSanitize(Add);
  inTprofScope(Add);
  return Add;
}

void emitCount(LLVMValueRef InsertBeforeRef, LLVMValueRef CounterRef) {
  auto *InsertBefore = cast<Instruction>(unwrap(InsertBeforeRef));
  emitAtomicAdd(InsertBefore, unwrap(CounterRef), ConstantInt::get(Type::getInt64Ty(InsertBefore->getContext()), 1));
}

// The atomic adds of a lowered update (its multi-threaded branch) carry
// this mark, so that lowering twice (an LTO link that loads the plugin
// again, clang's output optimised again) changes nothing.
static const char *const LoweredKind = "tprof.lowered";

bool isCounterUpdate(const Instruction &I) {
  auto *RMW = dyn_cast<AtomicRMWInst>(&I);
  return RMW && RMW->getOperation() == AtomicRMWInst::Add && RMW->use_empty() && isTprofAccess(I) &&
         !I.getMetadata(LoweredKind);
}

void lowerCounterUpdates(ArrayRef<AtomicRMWInst *> Run) {
  Instruction *First = Run.front();
  Module &M = *First->getModule();
  Type *I8 = Type::getInt8Ty(M.getContext()), *I64 = Type::getInt64Ty(M.getContext());
  IRBuilder<> B(First);
  LoadInst *FlagValue = B.CreateLoad(I8, asPointerTo(B, byteVariable(M, "__libc_single_threaded"), I8));
  noSanitize(FlagValue);
  inTprofScope(FlagValue);
  Value *Single = B.CreateICmpNE(FlagValue, ConstantInt::get(I8, 0));
  Instruction *Plain = nullptr, *Atomic = nullptr;
  SplitBlockAndInsertIfThenElse(Single, First, &Plain, &Atomic);
  MDNode *TBAA = counterTBAA(M.getContext());
  IRBuilder<> P(Plain);
  for (AtomicRMWInst *RMW : Run) {
    Value *Counter = RMW->getPointerOperand();
    LoadInst *Old = P.CreateAlignedLoad(I64, Counter, MaybeAlign(8));
    StoreInst *New = P.CreateAlignedStore(P.CreateAdd(Old, RMW->getValOperand()), Counter, MaybeAlign(8));
    for (Instruction *I : {static_cast<Instruction *>(Old), static_cast<Instruction *>(New)}) {
      I->setMetadata(LLVMContext::MD_tbaa, TBAA);
      noSanitize(I);
      inTprofScope(I);
    }
    AtomicRMWInst *Add = emitAtomicAdd(Atomic, Counter, RMW->getValOperand());
    Add->setMetadata(LoweredKind, MDNode::get(Add->getContext(), {}));
    RMW->eraseFromParent();
  }
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
  inTprofScope(On);
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

LLVMValueRef emitCall(LLVMValueRef InsertBeforeRef, LLVMTypeRef FnTy, LLVMValueRef Fn,
                      std::initializer_list<LLVMValueRef> Args, const char *Name) {
  IRBuilder<> B(cast<Instruction>(unwrap(InsertBeforeRef)));
  std::vector<Value *> Values;
  for (LLVMValueRef A : Args) Values.push_back(unwrap(A));
  return wrap(B.CreateCall(cast<FunctionType>(unwrap(FnTy)), unwrap(Fn), Values, Name));
}

void addModuleCtorDtor(LLVMModuleRef M, LLVMValueRef Ctor, LLVMValueRef Dtor) {
  appendToGlobalCtors(*unwrap(M), cast<Function>(unwrap(Ctor)), 0);
  appendToGlobalDtors(*unwrap(M), cast<Function>(unwrap(Dtor)), 0);
}

} // namespace tprof
