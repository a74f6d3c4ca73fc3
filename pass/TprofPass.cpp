#include "TprofPass.h"
#include "Allocations.h"
#include "ExecCalls.h"
#include "Hooks.h"
#include "IRUtil.h"
#include "Operations.h"
#include "Records.h"

#include "llvm-c/Analysis.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace tprof {

// Not instrumented: declarations; available_externally bodies (another
// module emits and instruments the real one); naked functions (no prologue,
// so no place for a call); the runtime's own functions (the hooks would call
// themselves); functions a previous run instrumented.
static bool shouldInstrument(LLVMValueRef F) {
  return !LLVMIsDeclaration(F) && LLVMGetLinkage(F) != LLVMAvailableExternallyLinkage &&
         !hasFnAttribute(F, "naked") && !isInstrumented(F) && !startsWith(nameOf(F), "__tprof");
}

// clang runs with -disable-llvm-verifier: without this switch a broken
// module would compile silently.
static void verifyIfAsked(LLVMModuleRef M) {
  const char *Verify = std::getenv("TPROF_VERIFY");
  if (!Verify || !*Verify || std::strcmp(Verify, "0") == 0)
    return;
  char *Message = nullptr;
  if (LLVMVerifyModule(M, LLVMReturnStatusAction, &Message)) {
    size_t Len = 0;
    const char *Id = LLVMGetModuleIdentifier(M, &Len);
    std::fprintf(stderr, "tprof: the module %.*s is invalid after instrumentation:\n%s\n",
                 static_cast<int>(Len), Id, Message ? Message : "");
  }
  LLVMDisposeMessage(Message);
}

bool instrumentModule(LLVMModuleRef M) {
  std::vector<LLVMValueRef> Work;
  for (LLVMValueRef F = LLVMGetFirstFunction(M); F; F = LLVMGetNextFunction(F))
    if (shouldInstrument(F))
      Work.push_back(F);

  if (!Work.empty()) {
    OperationFinder Operations(M);
    RecordEmitter Records(M);
    FunctionHooks Hooks(M);
    LLVMBuilderRef B = LLVMCreateBuilderInContext(LLVMGetModuleContext(M));
    for (LLVMValueRef F : Work) {
      redirectAllocations(F, M, Records, B);
      markExecCalls(F, M, B);
      Hooks.instrument(F, Records.functionRecord(F, Operations.operationName(F)), B);
    }
    LLVMDisposeBuilder(B);
    Records.finish();
  }

  verifyIfAsked(M);
  return !Work.empty();
}

} // namespace tprof
