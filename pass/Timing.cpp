#include "Timing.h"
#include "Allocations.h"
#include "IRUtil.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <vector>

namespace tprof {

TimingPolicy timingPolicyFromEnvironment() {
  TimingPolicy P;
  const char *Env = std::getenv("TPROF_TIMING");
  if (!Env || !*Env || std::strcmp(Env, "auto") == 0) return P;
  if (std::strcmp(Env, "all") == 0) {
    P.All = true;
    return P;
  }
  static bool Warned;
  if (!Warned) {
    Warned = true;
    std::fprintf(stderr,
                 "tprof: TPROF_TIMING='%s' is not 'all' or 'auto'; using 'auto' (tiny leaves counted, not timed)\n",
                 Env);
  }
  return P;
}

// A call that leaves the function's code for work of its own: not an
// intrinsic (llvm.dbg.*, llvm.memcpy.*, lifetime markers...), not inline
// assembly, not an allocation function (a constructor such as
// `grid *grid_new(r, c)` that only mallocs and fills a header stays a leaf:
// timed, its hooks kept the optimiser from inlining it and from knowing its
// result is fresh memory, which cost the grid bench's loops their hoisted
// loads), and not a call that never returns (abort, exit, __assert_fail:
// the path that makes it is not the function's common work), nor a call
// made on its way to one (`perror("malloc"); exit(1);`: a block that ends
// in `unreachable`), which kept the binary-trees bench's `make` calling
// its hooks while the profile was off.
static bool isRealCall(LLVMValueRef I) {
  if (!LLVMIsACallInst(I) && !LLVMIsAInvokeInst(I) && !LLVMIsACallBrInst(I)) return false;
  if (LLVMIsAIntrinsicInst(I)) return false;
  LLVMValueRef Term = LLVMGetBasicBlockTerminator(LLVMGetInstructionParent(I));
  if (Term && LLVMIsAUnreachableInst(Term)) return false;
  LLVMValueRef Callee = LLVMGetCalledValue(I);
  // A sanitizer's check handler is not work the function does: a leaf built
  // with -fsanitize=undefined stays a leaf.
  if (LLVMIsAFunction(Callee) && startsWith(nameOf(Callee), "__ubsan_handle_")) return false;
  if (isAllocationCall(I) || (LLVMIsAFunction(Callee) && hasFnAttribute(Callee, "noreturn"))) return false;
  return !LLVMIsAInlineAsm(Callee);
}

// Whether the control-flow graph has a cycle: an iterative depth-first
// search finds a back edge to a block still on the path (irreducible loops
// included).
static bool hasCycle(LLVMValueRef F) {
  std::map<LLVMBasicBlockRef, int> State; // 1 on the path, 2 done
  struct Item {
    LLVMBasicBlockRef BB;
    unsigned Next;
  };
  std::vector<Item> Stack{{LLVMGetEntryBasicBlock(F), 0}};
  State[Stack.back().BB] = 1;
  while (!Stack.empty()) {
    Item &Top = Stack.back();
    LLVMValueRef Term = LLVMGetBasicBlockTerminator(Top.BB);
    unsigned N = Term ? LLVMGetNumSuccessors(Term) : 0;
    if (Top.Next == N) {
      State[Top.BB] = 2;
      Stack.pop_back();
      continue;
    }
    LLVMBasicBlockRef Succ = LLVMGetSuccessor(Term, Top.Next++);
    int &S = State[Succ];
    if (S == 1) return true;
    if (S == 0) {
      S = 1;
      Stack.push_back({Succ, 0});
    }
  }
  return false;
}

namespace {

// Before mem2reg (the pass runs first, at every -O level) each local
// variable is an alloca with loads and stores: they are not the function's
// work (-O2 turns them into registers), so they do not count towards its
// size; nor do address arithmetic and casts (folded into the machine
// instructions that use them).
bool isBookkeeping(LLVMValueRef I) {
  if (LLVMIsAAllocaInst(I) || LLVMIsAGetElementPtrInst(I) || LLVMIsACastInst(I)) return true;
  LLVMValueRef Pointer = nullptr;
  if (LLVMIsALoadInst(I))
    Pointer = LLVMGetOperand(I, 0);
  else if (LLVMIsAStoreInst(I))
    Pointer = LLVMGetOperand(I, 1);
  return Pointer && LLVMIsAAllocaInst(Pointer) && !LLVMGetVolatile(I);
}

// What one function's own body says about its timing.
struct OwnFacts {
  bool Timed = false;                // a loop, a real call we cannot see into, too big
  unsigned Size = 0;                 // instructions (sanitizer checks and debug intrinsics left out)
  std::vector<LLVMValueRef> Callees; // direct calls of functions of the same module
};

OwnFacts ownFacts(LLVMValueRef F, const std::map<LLVMValueRef, bool> &InModule) {
  // A sanitizer's checks (clang marks them "nosanitize") are not the
  // function's work: a tiny leaf stays one in a -fsanitize=undefined build.
  static const unsigned NoSanitize = LLVMGetMDKindID("nosanitize", 10);
  OwnFacts Facts;
  for (LLVMBasicBlockRef BB = LLVMGetFirstBasicBlock(F); BB; BB = LLVMGetNextBasicBlock(BB))
    for (LLVMValueRef I = LLVMGetFirstInstruction(BB); I; I = LLVMGetNextInstruction(I)) {
      if (LLVMGetMetadata(I, NoSanitize)) continue;
      if (isRealCall(I)) {
        LLVMValueRef Callee = LLVMIsACallInst(I) ? directCallee(I) : nullptr;
        if (!Callee || !InModule.count(Callee)) {
          Facts.Timed = true;
          return Facts;
        }
        Facts.Callees.push_back(Callee);
      }
      if (!LLVMIsADbgInfoIntrinsic(I) && !isBookkeeping(I) && ++Facts.Size > TinyLeafMaxInstructions) {
        Facts.Timed = true;
        return Facts;
      }
    }
  Facts.Timed = hasCycle(F);
  return Facts;
}

} // namespace

std::map<LLVMValueRef, bool> decideTiming(const std::vector<LLVMValueRef> &Functions,
                                          const std::map<LLVMValueRef, bool> &IsOperation, const TimingPolicy &Policy,
                                          std::map<LLVMValueRef, HookCalls> &Calls) {
  std::map<LLVMValueRef, bool> Timed, InModule;
  for (LLVMValueRef F : Functions) InModule[F] = true;
  std::map<LLVMValueRef, OwnFacts> Own;
  for (LLVMValueRef F : Functions) Own[F] = ownFacts(F, InModule);
  // A function that only calls tiny functions of its own module is as
  // cheap as their inlined sum: untimed while that sum (its size plus each
  // call's callee's) stays within TinyLeafMaxInstructions. A cycle of calls
  // is a loop: timed.
  enum { Unvisited, Visiting, Done };
  std::map<LLVMValueRef, int> State;
  std::map<LLVMValueRef, unsigned> Inclusive;
  std::function<void(LLVMValueRef)> Decide = [&](LLVMValueRef F) {
    State[F] = Visiting;
    OwnFacts &Facts = Own[F];
    bool T = Policy.All || IsOperation.at(F) || nameOf(F) == "main" || Facts.Timed;
    unsigned Size = Facts.Size;
    for (LLVMValueRef Callee : Facts.Callees) {
      if (T) break;
      if (State[Callee] == Unvisited) Decide(Callee);
      if (State[Callee] == Visiting || Timed[Callee])
        T = true;
      else if ((Size += Inclusive[Callee]) > TinyLeafMaxInstructions)
        T = true;
    }
    Timed[F] = T;
    // What makes its own body timed (a loop, an opaque call, its size)
    // costs more than a hook call that returns at once.
    if (T) Calls[F] = Facts.Timed ? HookCalls::Checked : HookCalls::Guarded;
    Inclusive[F] = Size;
    State[F] = Done;
  };
  for (LLVMValueRef F : Functions)
    if (State[F] == Unvisited) Decide(F);
  return Timed;
}

} // namespace tprof
