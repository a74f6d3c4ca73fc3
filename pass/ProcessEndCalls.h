// Calls that replace the process image or end the process.
#ifndef TPROF_PASS_PROCESSENDCALLS_H
#define TPROF_PASS_PROCESSENDCALLS_H

#include "llvm-c/Core.h"

namespace tprof {

// Calls a runtime hook right before each direct call in F of a function
// that replaces or ends the process: __tprof_before_exec before execv,
// execve, execvp, execvpe, execl, execle, execlp and fexecve;
// __tprof_before_exit before exit, and before each return of main (the C
// library calls exit with its value). Returns the number of such places.
unsigned markProcessEndCalls(LLVMValueRef F, LLVMModuleRef M, LLVMBuilderRef B);

} // namespace tprof

#endif
