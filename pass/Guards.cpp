#include "Guards.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CodeGen.h"
#if LLVM_VERSION_MAJOR >= 17
#include "llvm/TargetParser/Triple.h"
#else
#include "llvm/ADT/Triple.h"
#endif
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#include <string>
#include <vector>

using namespace llvm;

namespace tprof {

// One of the bytes the inline code reads (tprof's guard, glibc's
// single-threaded flag). In an executable (PIE) it is read PC-relative,
// without a load of its address from the GOT first: the static runtime
// defines the guard in the same executable, and a variable of a shared
// library (the shared runtime's guard, libc's flag) the linker copies into
// the executable (a copy relocation), where the library's own accesses,
// through its GOT, find it too, as for any variable a non-PIC executable
// reads (glibc writes __libc_single_threaded through its GOT for that
// reason). One instruction less per counter update and per guard. A shared
// library keeps the GOT, and so does the large code model: it addresses a
// variable of the executable relative to the GOT (R_X86_64_GOTOFF64), which
// the linker refuses for one defined in a library ("can not be used when
// making a shared object": every PIE built with -mcmodel=large failed to
// link).
static bool largeCodeModel(const Module &M) {
  auto Model = M.getCodeModel();
  return Model && *Model == CodeModel::Large;
}

static Value *byteVariable(Module &M, const char *Name) {
  Type *I8 = Type::getInt8Ty(M.getContext());
  GlobalVariable *GV = M.getNamedGlobal(Name);
  if (!GV) GV = new GlobalVariable(M, I8, /*isConstant=*/false, GlobalValue::ExternalLinkage, nullptr, Name);
  if (M.getPIELevel() != PIELevel::Default && !largeCodeModel(M)) GV->setDSOLocal(true);
  return GV;
}

static Value *asPointerTo(IRBuilder<> &B, Value *P, Type *Elem) {
  // Typed pointers (LLVM < 17) need the cast; with opaque pointers it is a no-op.
#if LLVM_VERSION_MAJOR >= 17
  (void)Elem;
  return B.CreatePointerCast(P, PointerType::get(P->getContext(), 0));
#else
  return B.CreatePointerCast(P, PointerType::get(Elem, 0));
#endif
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
  // Most instructions have no scope: the scope's node (two uniquing
  // look-ups) only for those that do.
  MDNode *List = I.getMetadata(LLVMContext::MD_alias_scope);
  if (!List) return false;
  MDNode *Scope = tprofScope(I.getContext());
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

// Whether an amount can be addq's immediate: a constant of 32 bits, sign-
// extended. A count folded from a loop of 3,000,000,000 iterations (or
// from nested loops) is not, and as an immediate the assembler refused it
// ("invalid operand for instruction"): it is a register input instead.
static bool fitsImmediate(const Value *Amount) {
  auto *C = dyn_cast<ConstantInt>(Amount);
  return C && C->getValue().isSignedIntN(32);
}

// x86-64: the run as one inline-assembly statement. The code generator
// then sees one instruction where the branch on the flag made three basic
// blocks (about a tenth of the -O2 compile time of a module of small
// functions went to those blocks), and the atomic adds go to subsection 1
// of the function's section (after all of its code, in the same section,
// so a COMDAT function keeps them), so the single-threaded path is three
// instructions that fall through (four in a shared library, which loads
// the flag's address from the GOT first: byteVariable):
//     cmpb $0, __libc_single_threaded(%rip)
//     je 1f
//     addq $1, counter                  (one instruction: exact against the
//   2:                                   thread's own signal handlers)
//     .subsection 1
//   1: lock addq $1, counter
//     jmp 2b
//     .subsection 0
// The counters are the statement's memory outputs, the flag its input, a
// promoted loop's count a register input.
// What a statement costs the compile is mostly LLVM's: the integrated
// assembler makes a new assembly parser for each one (~230K instructions
// in LLVM 14's AsmPrinter::emitInlineAsm, a quarter of what the pass adds
// to a module of small functions), whatever its text (without the
// subsection switches: 0.2% less). Per-thread counters (an initial-exec
// TLS add, one instruction and no statement) measured +18.8% against
// +24.5% on such a module, but would need every thread found and folded
// at its exit, and saved only 0.05 instructions per event at run time.
static void lowerCounterUpdatesAsm(ArrayRef<AtomicRMWInst *> Run) {
  Instruction *Last = Run.back();
  Module &M = *Last->getModule();
  LLVMContext &Ctx = M.getContext();
  Type *I8 = Type::getInt8Ty(Ctx), *I64 = Type::getInt64Ty(Ctx);
  IRBuilder<> B(Last);
  std::vector<Value *> Args;
  std::vector<Type *> Pointees;
  std::string Constraints;
  for (AtomicRMWInst *RMW : Run) {
    Args.push_back(asPointerTo(B, RMW->getPointerOperand(), I64));
    Pointees.push_back(I64);
    Constraints += "=*m,";
  }
  Args.push_back(asPointerTo(B, byteVariable(M, "__libc_single_threaded"), I8));
  Pointees.push_back(I8);
  Constraints += "*m";
  std::string Adds, Locked;
  for (size_t I = 0; I < Run.size(); I++) {
    Value *Amount = Run[I]->getValOperand();
    std::string Operand;
    if (fitsImmediate(Amount)) {
      Operand = "$$" + std::to_string(cast<ConstantInt>(Amount)->getSExtValue());
    } else {
      Operand = "$" + std::to_string(Args.size());
      Args.push_back(Amount);
      Constraints += ",r";
    }
    std::string Add = "addq " + Operand + ", $" + std::to_string(I) + "\n\t";
    Adds += Add;
    Locked += "lock " + Add;
  }
  // Only the flags: clang's x86 default clobbers (dirflag, fpsr) cost a
  // search of every register name per statement and are not touched here.
  // The flags' clobber costs one such search too (twice per statement,
  // ~35K instructions each in LLVM 14), but an unused flag output
  // ("={@ccz}") in its place is wrong: llc 14 then kept a compare's result
  // in EFLAGS across the statement (cmpl before it, cmovl after).
  Constraints += ",~{flags}";
  std::string Flag = "$" + std::to_string(Run.size());
  std::string Text =
      "cmpb $$0, " + Flag + "\n\tje 1f\n\t" + Adds + "2:\n\t.subsection 1\n1:\n\t" + Locked + "jmp 2b\n\t.subsection 0";
  std::vector<Type *> ArgTys;
  for (Value *A : Args) ArgTys.push_back(A->getType());
  auto *FTy = FunctionType::get(Type::getVoidTy(Ctx), ArgTys, /*isVarArg=*/false);
  CallInst *Call = B.CreateCall(FTy, InlineAsm::get(FTy, Text, Constraints, /*hasSideEffects=*/true), Args);
  // Indirect operands name their pointee type (required from LLVM 14 on).
  for (unsigned I = 0; I < Pointees.size(); I++)
    Call->addParamAttr(I, Attribute::get(Ctx, Attribute::ElementType, Pointees[I]));
  Call->setMetadata(LoweredKind, MDNode::get(Ctx, {}));
  noSanitize(Call);
  for (AtomicRMWInst *RMW : Run) RMW->eraseFromParent();
}

bool lowersToAsm(const Module &M) { return Triple(M.getTargetTriple()).getArch() == Triple::x86_64; }

// The registers an update's operands of the statement may need: a count
// that is no immediate (a promoted loop's, a register input), and a
// counter whose address is not a link-time constant (a select of two
// records). A loop that calls 16 tiny leaves under branches on its data
// leaves 16 promoted counts at its exit, and one statement for them asked
// for more registers than x86-64 has ("inline assembly requires more
// registers than available": a random program of csmith failed to
// compile). Such a run becomes several statements. In the large code model
// every address is a register (movabs): 16 tiny leaves in a loop failed
// there with the same error.
static unsigned registersNeeded(const AtomicRMWInst &RMW, bool Large) {
  return !fitsImmediate(RMW.getValOperand()) + (Large || !isa<Constant>(RMW.getPointerOperand()->stripPointerCasts()));
}
// Per statement, with the flag's operand (a register where it is loaded
// from the GOT): half of x86-64's 15 allocatable registers, so the
// allocator can still keep the values live across the statement.
static const unsigned MaxStatementRegisters = 7;

void lowerCounterUpdates(ArrayRef<AtomicRMWInst *> Run) {
  Instruction *Last = Run.back();
  Module &M = *Last->getModule();
  if (lowersToAsm(M)) {
    size_t Begin = 0;
    unsigned Registers = 1; // the flag
    bool Large = largeCodeModel(M);
    for (size_t I = 0; I < Run.size(); I++) {
      unsigned Need = registersNeeded(*Run[I], Large);
      if (I > Begin && Registers + Need > MaxStatementRegisters) {
        lowerCounterUpdatesAsm(Run.slice(Begin, I - Begin)); // erases those updates, not the later ones
        Begin = I;
        Registers = 1;
      }
      Registers += Need;
    }
    return lowerCounterUpdatesAsm(Run.slice(Begin));
  }
  Type *I8 = Type::getInt8Ty(M.getContext()), *I64 = Type::getInt64Ty(M.getContext());
  IRBuilder<> B(Last);
  LoadInst *FlagValue = B.CreateLoad(I8, asPointerTo(B, byteVariable(M, "__libc_single_threaded"), I8));
  noSanitize(FlagValue);
  inTprofScope(FlagValue);
  Value *Single = B.CreateICmpNE(FlagValue, ConstantInt::get(I8, 0));
  Instruction *Plain = nullptr, *Atomic = nullptr;
  // Single-threaded is the common case: the weights let block placement
  // put the atomic add out of line, so the plain add falls through instead
  // of jumping over it.
  MDNode *Likely = MDBuilder(M.getContext()).createBranchWeights(2000, 1);
  SplitBlockAndInsertIfThenElse(Single, Last, &Plain, &Atomic, Likely);
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
  Value *Flag = byteVariable(M, "__tprof_hooks_on");
  LoadInst *On = B.CreateLoad(I8, asPointerTo(B, Flag, I8));
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
