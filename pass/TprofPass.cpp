#include "TprofPass.h"
#include "Compat.h"
#include "Operations.h"
#include "Records.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>
#include <cstring>

using namespace llvm;

namespace tprof {

// Marks a function this pass has instrumented: a second run leaves it alone.
static const char InstrumentedAttr[] = "tprof-instrumented";

// The allocation functions redirected to __tprof_<name>, with their arity.
static const struct {
  const char *Name;
  unsigned Args;
} AllocFunctions[] = {
    {"malloc", 1},        {"calloc", 2},         {"realloc", 2}, {"reallocarray", 3},
    {"free", 1},          {"aligned_alloc", 2},  {"posix_memalign", 3},
    {"memalign", 2},      {"valloc", 1},         {"strdup", 1},  {"strndup", 2},
};

// exec replaces the process image: no exit, no atexit. The runtime writes
// the file set in __tprof_before_exec, called right before these.
static const char *ExecFunctions[] = {"execv",  "execve", "execvp", "execvpe",
                                      "execl",  "execle", "execlp", "fexecve"};

static void markExecCalls(Function &F, Module &M) {
  SmallVector<CallInst *, 4> Calls;
  for (BasicBlock &BB : F)
    for (Instruction &I : BB)
      if (auto *CI = dyn_cast<CallInst>(&I))
        if (Function *Callee = CI->getCalledFunction())
          for (const char *Name : ExecFunctions)
            if (Callee->getName() == Name)
              Calls.push_back(CI);
  if (Calls.empty())
    return;
  FunctionCallee Hook =
      M.getOrInsertFunction("__tprof_before_exec", FunctionType::get(Type::getVoidTy(M.getContext()), false));
  for (CallInst *CI : Calls) {
    IRBuilder<> B(CI);
    CallInst *New = B.CreateCall(Hook);
    New->setDebugLoc(CI->getDebugLoc());
  }
}

static bool shouldInstrument(const Function &F) {
  return !F.isDeclaration() && !F.hasAvailableExternallyLinkage() &&
         !F.hasFnAttribute(Attribute::Naked) && !F.hasFnAttribute(InstrumentedAttr) &&
         !hasPrefix(F.getName(), "__tprof");
}

// After instrumentation a function has side effects; attributes that claim
// otherwise would let -O2 hoist or drop its calls and the counts go wrong.
static void dropPurityAttributes(Function &F) {
  static const char *Names[] = {"readnone", "readonly", "writeonly", "argmemonly",
                                "inaccessiblememonly", "inaccessiblemem_or_argmemonly",
                                "memory", "speculatable"};
  for (const char *Name : Names) {
    Attribute::AttrKind Kind = Attribute::getAttrKindFromName(Name);
    if (Kind == Attribute::None)
      continue; // not an attribute of this LLVM version
    F.removeFnAttr(Kind);
    for (User *U : F.users())
      if (auto *CB = dyn_cast<CallBase>(U))
        if (CB->getCalledFunction() == &F)
          CB->removeFnAttr(Kind);
  }
}

// Where the exit hook goes for this return: before a musttail call, which
// must stay immediately before its ret.
static Instruction *exitHookPosition(ReturnInst *Ret) {
  Instruction *Prev = Ret->getPrevNode();
  if (Prev && isa<BitCastInst>(Prev))
    Prev = Prev->getPrevNode();
  if (auto *CI = dyn_cast_or_null<CallInst>(Prev))
    if (CI->isMustTailCall())
      return CI;
  return Ret;
}

static void instrumentFunction(Function &F, Constant *Record, FunctionCallee Enter, FunctionCallee Exit) {
  DISubprogram *SP = F.getSubprogram();
  IRBuilder<> B(&*F.getEntryBlock().getFirstInsertionPt());
  CallInst *EnterCall = B.CreateCall(Enter, {Record});
  if (SP)
    EnterCall->setDebugLoc(DILocation::get(F.getContext(), SP->getLine(), 0, SP));

  SmallVector<ReturnInst *, 8> Returns;
  for (BasicBlock &BB : F)
    if (auto *Ret = dyn_cast<ReturnInst>(BB.getTerminator()))
      Returns.push_back(Ret);
  for (ReturnInst *Ret : Returns) {
    Instruction *Pos = exitHookPosition(Ret);
    B.SetInsertPoint(Pos);
    CallInst *ExitCall = B.CreateCall(Exit, {Record});
    if (SP) {
      DebugLoc Loc = Ret->getDebugLoc();
      ExitCall->setDebugLoc(Loc ? Loc : DebugLoc(DILocation::get(F.getContext(), SP->getLine(), 0, SP)));
    }
  }
  F.addFnAttr(InstrumentedAttr);
  dropPurityAttributes(F);
}

static unsigned redirectAllocations(Function &F, Module &M, RecordEmitter &Records) {
  SmallVector<std::pair<CallInst *, const char *>, 16> Calls;
  for (BasicBlock &BB : F)
    for (Instruction &I : BB) {
      auto *CI = dyn_cast<CallInst>(&I);
      if (!CI || isa<IntrinsicInst>(CI))
        continue;
      Function *Callee = CI->getCalledFunction();
      if (!Callee || !Callee->isDeclaration())
        continue;
      for (const auto &AF : AllocFunctions)
        if (Callee->getName() == AF.Name && CI->arg_size() == AF.Args &&
            Callee->getFunctionType()->getNumParams() == AF.Args)
          Calls.push_back({CI, AF.Name});
    }

  for (auto &[CI, Name] : Calls) {
    FunctionType *OrigTy = CI->getFunctionType();
    SmallVector<Type *, 4> Params(OrigTy->param_begin(), OrigTy->param_end());
    Params.push_back(bytePtrTy(M.getContext()));
    FunctionType *HookTy = FunctionType::get(OrigTy->getReturnType(), Params, false);
    FunctionCallee Hook = M.getOrInsertFunction(std::string("__tprof_") + Name, HookTy);

    SmallVector<Value *, 4> Args(CI->arg_begin(), CI->arg_end());
    Args.push_back(Records.siteRecord(F, *CI));
    IRBuilder<> B(CI);
    CallInst *New = B.CreateCall(Hook, Args);
    New->setDebugLoc(CI->getDebugLoc());
    New->takeName(CI);
    CI->replaceAllUsesWith(New);
    CI->eraseFromParent();
  }
  return Calls.size();
}

PreservedAnalyses TprofPass::run(Module &M, ModuleAnalysisManager &) {
  LLVMContext &C = M.getContext();
  Type *VoidTy = Type::getVoidTy(C);
  FunctionType *HookTy = FunctionType::get(VoidTy, {bytePtrTy(C)}, false);
  FunctionCallee Enter = M.getOrInsertFunction("__tprof_func_enter", HookTy);
  FunctionCallee Exit = M.getOrInsertFunction("__tprof_func_exit", HookTy);

  OperationFinder Operations(M);
  RecordEmitter Records(M);
  SmallVector<Function *, 64> Work;
  for (Function &F : M)
    if (shouldInstrument(F))
      Work.push_back(&F);

  for (Function *F : Work) {
    redirectAllocations(*F, M, Records);
    markExecCalls(*F, M);
    instrumentFunction(*F, Records.functionRecord(*F, Operations.operationName(*F)), Enter, Exit);
  }
  Records.finish();

  // Declarations we added but did not use (a module with no functions).
  for (FunctionCallee FC : {Enter, Exit})
    if (auto *F = dyn_cast<Function>(FC.getCallee()))
      if (F->use_empty())
        F->eraseFromParent();

  // clang runs with -disable-llvm-verifier: verify on request so a broken
  // module does not compile silently.
  const char *Verify = std::getenv("TPROF_VERIFY");
  if (Verify && std::strcmp(Verify, "0") != 0 && verifyModule(M, &errs()))
    errs() << "tprof: the module is invalid after instrumentation (" << M.getName() << ")\n";

  return Work.empty() ? PreservedAnalyses::all() : PreservedAnalyses::none();
}

} // namespace tprof
