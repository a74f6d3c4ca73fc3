#include "TprofPass.h"
#include "Allocations.h"
#include "ProcessEndCalls.h"
#include "Hooks.h"
#include "IRUtil.h"
#include "Operations.h"
#include "Records.h"
#include "Guards.h"
#include "Timing.h"

#include "tprof/abi.h"

#include "llvm-c/Analysis.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

namespace tprof {

// Not instrumented: declarations; naked functions (no prologue, so no place
// for a call); the runtime's own functions (the hooks would call
// themselves); functions a previous run instrumented. available_externally
// bodies (C99 inline, gnu_inline) are: they are never emitted, only inlined,
// and their inlined copies must count too (their record has the same name,
// file and line as the real definition's, and the runtime adds them up).
static bool shouldInstrument(LLVMValueRef F) { return isProgramFunction(F) && !isInstrumented(F); }

// clang runs with -disable-llvm-verifier: without this switch a broken
// module would compile silently.
static void verifyIfAsked(LLVMModuleRef M) {
  const char *Verify = std::getenv("TPROF_VERIFY");
  if (!Verify || !*Verify || std::strcmp(Verify, "0") == 0) return;
  char *Message = nullptr;
  if (LLVMVerifyModule(M, LLVMReturnStatusAction, &Message)) {
    size_t Len = 0;
    const char *Id = LLVMGetModuleIdentifier(M, &Len);
    std::fprintf(stderr, "tprof: the module %.*s is invalid after instrumentation:\n%s\n", static_cast<int>(Len), Id,
                 Message ? Message : "");
  }
  LLVMDisposeMessage(Message);
}

// Whether every call of F is a direct call from a function this pass
// instruments (so a call-site counter sees it): F is local to the module
// and its address is used nowhere else.
static bool onlyCalledDirectlyHere(LLVMValueRef F, std::map<LLVMValueRef, bool> &Instrumented) {
  LLVMLinkage L = LLVMGetLinkage(F);
  if (L != LLVMInternalLinkage && L != LLVMPrivateLinkage) return false;
  for (LLVMUseRef U = LLVMGetFirstUse(F); U; U = LLVMGetNextUse(U)) {
    LLVMValueRef User = LLVMGetUser(U);
    if (!LLVMIsACallInst(User) || LLVMIsAIntrinsicInst(User) || LLVMGetCalledValue(User) != F) return false;
    LLVMValueRef Caller = LLVMGetBasicBlockParent(LLVMGetInstructionParent(User));
    if (!Instrumented.count(Caller)) return false;
  }
  return true;
}

// An untimed function has no hooks to see its caller: each direct call of
// one from this module gets a counter of its own, the call graph's edge.
static void countCallsOfUntimed(LLVMValueRef F, std::map<LLVMValueRef, FunctionRecord> &Record,
                                std::map<LLVMValueRef, bool> &Timed, RecordEmitter &Records) {
  std::vector<std::pair<LLVMValueRef, LLVMValueRef>> Calls;
  for (LLVMBasicBlockRef BB = LLVMGetFirstBasicBlock(F); BB; BB = LLVMGetNextBasicBlock(BB))
    for (LLVMValueRef I = LLVMGetFirstInstruction(BB); I; I = LLVMGetNextInstruction(I))
      if (LLVMIsACallInst(I) && !LLVMIsAIntrinsicInst(I))
        if (LLVMValueRef Callee = directCallee(I))
          if (Timed.count(Callee) && !Timed[Callee]) Calls.emplace_back(I, Callee);
  for (auto &[Call, Callee] : Calls) emitCount(Call, Records.callsiteCounter(Record[F], Record[Callee], Call));
}

// ifunc resolvers run while the dynamic linker relocates their object,
// before it may call through the PLT into the runtime: they and what they
// call here keep the guarded hooks, which touch nothing while the guard
// byte is still 0 (the checked ones would call the runtime).
static void guardResolvers(LLVMModuleRef M, std::map<LLVMValueRef, HookCalls> &Calls) {
  std::vector<LLVMValueRef> Work;
  for (LLVMValueRef I = LLVMGetFirstGlobalIFunc(M); I; I = LLVMGetNextGlobalIFunc(I))
    if (LLVMValueRef R = LLVMGetGlobalIFuncResolver(I)) Work.push_back(LLVMIsAFunction(R) ? R : LLVMGetOperand(R, 0));
  std::map<LLVMValueRef, bool> Seen;
  while (!Work.empty()) {
    LLVMValueRef F = Work.back();
    Work.pop_back();
    if (!F || !LLVMIsAFunction(F) || Seen[F]) continue;
    Seen[F] = true;
    if (Calls.count(F)) Calls[F] = HookCalls::Guarded;
    for (LLVMBasicBlockRef BB = LLVMGetFirstBasicBlock(F); BB; BB = LLVMGetNextBasicBlock(BB))
      for (LLVMValueRef I = LLVMGetFirstInstruction(BB); I; I = LLVMGetNextInstruction(I))
        if (LLVMIsACallInst(I))
          if (LLVMValueRef Callee = directCallee(I)) Work.push_back(Callee);
  }
}

bool instrumentModule(LLVMModuleRef M) {
  std::vector<LLVMValueRef> Work;
  for (LLVMValueRef F = LLVMGetFirstFunction(M); F; F = LLVMGetNextFunction(F))
    if (shouldInstrument(F)) Work.push_back(F);

  if (!Work.empty()) {
    OperationFinder Operations(M);
    RecordEmitter Records(M);
    FunctionHooks Hooks(M);
    TimingPolicy Policy = timingPolicyFromEnvironment();
    // Every function's record and timing first: a call site needs its
    // callee's.
    std::map<LLVMValueRef, FunctionRecord> Record;
    std::map<LLVMValueRef, bool> Timed, IsOperation, ByCallsites;
    std::map<LLVMValueRef, HookCalls> Calls;
    for (LLVMValueRef F : Work) IsOperation[F] = !Operations.operationName(F).empty();
    Timed = decideTiming(Work, IsOperation, Policy, Calls);
    guardResolvers(M, Calls);
    for (LLVMValueRef F : Work) {
      std::string Op = Operations.operationName(F);
      ByCallsites[F] = !Timed[F] && onlyCalledDirectlyHere(F, Timed);
      Record[F] = Records.functionRecord(F, Op,
                                         Timed[F]         ? TPROF_FUNC_TIMED
                                         : ByCallsites[F] ? TPROF_FUNC_BY_CALLSITES
                                                          : 0);
    }
    LLVMBuilderRef B = LLVMCreateBuilderInContext(LLVMGetModuleContext(M));
    for (LLVMValueRef F : Work) {
      countCallsOfUntimed(F, Record, Timed, Records);
      markAllocations(F);
      markProcessEndCalls(F, M, B);
      Hooks.wrapReturnsTwiceCalls(F, B);
      Hooks.instrument(F, Record[F], Timed[F], Calls[F], IsOperation[F], ByCallsites[F]);
      separateTprofMemory(F);
    }
    LLVMDisposeBuilder(B);
    Records.finish();
  }

  verifyIfAsked(M);
  return !Work.empty();
}

} // namespace tprof
