// Records the pass emits for the runtime (layouts in include/tprof/abi.h),
// and the debug-info facts they carry.
#ifndef TPROF_PASS_RECORDS_H
#define TPROF_PASS_RECORDS_H

#include "llvm-c/Core.h"
#include <map>
#include <string>
#include <vector>

namespace tprof {

class RecordEmitter {
public:
  explicit RecordEmitter(LLVMModuleRef M);

  // Private writable record {abi, flags, line, id=0, name, op_name, file} of
  // F; OpName empty means "not an operation". Returns it as an i8*/ptr.
  LLVMValueRef functionRecord(LLVMValueRef F, const std::string &OpName);
  // Private writable record {abi, line, column, id=0, function, file} of a
  // call in F. Returns it as an i8*/ptr.
  LLVMValueRef siteRecord(LLVMValueRef F, LLVMValueRef Call);
  // Adds every record made so far to llvm.compiler.used.
  void finish();

private:
  LLVMValueRef string(const std::string &S);
  LLVMValueRef emit(LLVMTypeRef Ty, LLVMValueRef *Fields, unsigned N, const char *Section,
                    const std::string &Name);

  LLVMModuleRef M;
  LLVMContextRef C;
  LLVMTypeRef I32, Ptr, FuncTy, SiteTy;
  std::map<std::string, LLVMValueRef> Strings;
  std::vector<LLVMValueRef> Used;
};

// The function's name as the object file spells it ("\1" marks a name given
// with an asm label, which is used verbatim).
std::string symbolName(LLVMValueRef F);

// A location at the function's line in its DISubprogram, or null when F has
// no debug info.
LLVMMetadataRef functionDebugLoc(LLVMValueRef F);

} // namespace tprof

#endif
