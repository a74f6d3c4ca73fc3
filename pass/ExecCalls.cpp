#include "ExecCalls.h"
#include "IRUtil.h"

#include "llvm-c/DebugInfo.h"
#include <string>
#include <vector>

namespace tprof {

// exec replaces the process image: no exit, no atexit handler. The runtime
// writes the file set in __tprof_before_exec, called right before these.
static const char *const ExecFunctions[] = {"execv", "execve", "execvp", "execvpe",
                                            "execl", "execle", "execlp", "fexecve"};

static bool isExecCall(LLVMValueRef I) {
  if (!LLVMIsACallInst(I)) return false;
  LLVMValueRef Callee = directCallee(I);
  if (!Callee) return false;
  std::string Name = nameOf(Callee);
  for (const char *Exec : ExecFunctions)
    if (Name == Exec) return true;
  return false;
}

unsigned markExecCalls(LLVMValueRef F, LLVMModuleRef M, LLVMBuilderRef B) {
  std::vector<LLVMValueRef> Calls;
  for (LLVMBasicBlockRef BB = LLVMGetFirstBasicBlock(F); BB; BB = LLVMGetNextBasicBlock(BB))
    for (LLVMValueRef I = LLVMGetFirstInstruction(BB); I; I = LLVMGetNextInstruction(I))
      if (isExecCall(I)) Calls.push_back(I);
  if (Calls.empty()) return 0;

  LLVMContextRef C = LLVMGetModuleContext(M);
  LLVMTypeRef HookTy = LLVMFunctionType(LLVMVoidTypeInContext(C), nullptr, 0, /*IsVarArg=*/0);
  LLVMValueRef Hook = declareFunction(M, "__tprof_before_exec", HookTy);
  for (LLVMValueRef Call : Calls) {
    LLVMPositionBuilderBefore(B, Call);
    LLVMValueRef New = LLVMBuildCall2(B, HookTy, Hook, nullptr, 0, "");
    LLVMInstructionSetDebugLoc(New, LLVMInstructionGetDebugLoc(Call));
  }
  return static_cast<unsigned>(Calls.size());
}

} // namespace tprof
