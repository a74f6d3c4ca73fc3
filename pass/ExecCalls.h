// Calls that replace the process image.
#ifndef TPROF_PASS_EXECCALLS_H
#define TPROF_PASS_EXECCALLS_H

#include "llvm-c/Core.h"

namespace tprof {

// Calls __tprof_before_exec right before each direct call in F of an exec
// function (execv, execve, execvp, execvpe, execl, execle, execlp, fexecve).
// Returns the number of such calls.
unsigned markExecCalls(LLVMValueRef F, LLVMModuleRef M, LLVMBuilderRef B);

} // namespace tprof

#endif
