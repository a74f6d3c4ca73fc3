#include "ProcessEndCalls.h"
#include "IRUtil.h"

#include "llvm-c/DebugInfo.h"
#include <string>
#include <utility>
#include <vector>

namespace tprof {

// exec replaces the process image: no exit, no atexit handler. The runtime
// writes the file set in __tprof_before_exec, called right before these.
static const char *const ExecFunctions[] = {"execv", "execve", "execvp", "execvpe",
                                            "execl", "execle", "execlp", "fexecve"};

// exit() from two threads at once runs the exit handlers concurrently
// (glibc before 2.41): one thread's _exit ended the process in the middle
// of the other's export. __tprof_before_exit lets one thread through, as
// glibc 2.41, musl and bionic do in exit itself.
static const char *hookBefore(LLVMValueRef I) {
  if (!LLVMIsACallInst(I)) return nullptr;
  LLVMValueRef Callee = directCallee(I);
  if (!Callee) return nullptr;
  std::string Name = nameOf(Callee);
  if (Name == "exit") return "__tprof_before_exit";
  for (const char *Exec : ExecFunctions)
    if (Name == Exec) return "__tprof_before_exec";
  return nullptr;
}

// Returning from main is exit(): the C library calls it next.
static bool isMain(LLVMValueRef F) { return nameOf(F) == "main" && LLVMGetLinkage(F) == LLVMExternalLinkage; }

unsigned markProcessEndCalls(LLVMValueRef F, LLVMModuleRef M, LLVMBuilderRef B) {
  std::vector<std::pair<LLVMValueRef, const char *>> Calls;
  bool Main = isMain(F);
  for (LLVMBasicBlockRef BB = LLVMGetFirstBasicBlock(F); BB; BB = LLVMGetNextBasicBlock(BB))
    for (LLVMValueRef I = LLVMGetFirstInstruction(BB); I; I = LLVMGetNextInstruction(I))
      if (const char *Hook = hookBefore(I))
        Calls.emplace_back(I, Hook);
      else if (Main && LLVMIsAReturnInst(I))
        Calls.emplace_back(I, "__tprof_before_exit");
  if (Calls.empty()) return 0;

  LLVMContextRef C = LLVMGetModuleContext(M);
  LLVMTypeRef HookTy = LLVMFunctionType(LLVMVoidTypeInContext(C), nullptr, 0, /*IsVarArg=*/0);
  for (auto &[Call, Name] : Calls) {
    LLVMValueRef Hook = declareFunction(M, Name, HookTy);
    LLVMPositionBuilderBefore(B, Call);
    LLVMValueRef New = LLVMBuildCall2(B, HookTy, Hook, nullptr, 0, "");
    LLVMInstructionSetDebugLoc(New, LLVMInstructionGetDebugLoc(Call));
  }
  return static_cast<unsigned>(Calls.size());
}

} // namespace tprof
