#include "Timing.h"
#include "IRUtil.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

namespace tprof {

TimingPolicy timingPolicyFromEnvironment() {
  TimingPolicy P;
  const char *Env = std::getenv("TPROF_TIMING");
  if (!Env || !*Env || std::strcmp(Env, "auto") == 0)
    return P;
  if (std::strcmp(Env, "all") == 0) {
    P.All = true;
    return P;
  }
  static bool Warned;
  if (!Warned) {
    Warned = true;
    std::fprintf(stderr, "tprof: TPROF_TIMING='%s' is not 'all' or 'auto'; using 'auto' (tiny leaves counted, not timed)\n",
                 Env);
  }
  return P;
}

// A call that leaves the function's code: not an intrinsic (llvm.dbg.*,
// llvm.memcpy.*, lifetime markers...) and not inline assembly.
static bool isRealCall(LLVMValueRef I) {
  if (!LLVMIsACallInst(I) && !LLVMIsAInvokeInst(I) && !LLVMIsACallBrInst(I))
    return false;
  if (LLVMIsAIntrinsicInst(I))
    return false;
  LLVMValueRef Callee = LLVMGetCalledValue(I);
  // A sanitizer's check handler is not work the function does: a leaf built
  // with -fsanitize=undefined stays a leaf.
  if (LLVMIsAFunction(Callee) && startsWith(nameOf(Callee), "__ubsan_handle_"))
    return false;
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
    if (S == 1)
      return true;
    if (S == 0) {
      S = 1;
      Stack.push_back({Succ, 0});
    }
  }
  return false;
}

bool isTimed(LLVMValueRef F, bool IsOperation, const TimingPolicy &Policy) {
  if (Policy.All || IsOperation || nameOf(F) == "main")
    return true;
  // A sanitizer's checks (clang marks them "nosanitize") are not the
  // function's work: a tiny leaf stays one in a -fsanitize=undefined build.
  static const unsigned NoSanitize = LLVMGetMDKindID("nosanitize", 10);
  unsigned Count = 0;
  for (LLVMBasicBlockRef BB = LLVMGetFirstBasicBlock(F); BB; BB = LLVMGetNextBasicBlock(BB))
    for (LLVMValueRef I = LLVMGetFirstInstruction(BB); I; I = LLVMGetNextInstruction(I)) {
      if (LLVMGetMetadata(I, NoSanitize))
        continue;
      if (isRealCall(I))
        return true;
      if (!LLVMIsADbgInfoIntrinsic(I) && ++Count > TinyLeafMaxInstructions)
        return true;
    }
  return hasCycle(F);
}

} // namespace tprof
