// Records the pass emits for the runtime (layouts in include/tprof/abi.h),
// and the debug-info facts they carry.
#ifndef TPROF_PASS_RECORDS_H
#define TPROF_PASS_RECORDS_H

#include "llvm-c/Core.h"
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace tprof {

// A function record, as the hooks take it (i8*/ptr) and as its counter.
struct FunctionRecord {
  LLVMValueRef Ptr = nullptr;     // the record, i8*/ptr
  LLVMValueRef Counter = nullptr; // its `calls` field, i64*/ptr
};

class RecordEmitter {
public:
  explicit RecordEmitter(LLVMModuleRef M);

  // Private writable record {abi, flags, line, id=0, calls=0, name, op_name,
  // file} of F; OpName empty means "not an operation"; Flags: TPROF_FUNC_*
  // other than OPERATION.
  FunctionRecord functionRecord(LLVMValueRef F, const std::string &OpName, unsigned Flags);
  // Private writable record {abi, line, calls=0, caller, callee} of a call
  // of an untimed function; returns its counter (i64*/ptr).
  LLVMValueRef callsiteCounter(const FunctionRecord &Caller, const FunctionRecord &Callee, LLVMValueRef Call);
  // Private writable record {abi, line, column, id=0, function, file} of
  // an allocation call written in the function named Function; one per
  // distinct record. Returns it as an i8*/ptr.
  LLVMValueRef siteRecord(const std::string &Function, LLVMValueRef Call);
  // Emits the module record and the constructor/destructor that register
  // it, and adds every record made so far to llvm.compiler.used.
  void finish();

private:
  LLVMValueRef string(const std::string &S);
  LLVMValueRef emit(LLVMTypeRef Ty, LLVMValueRef *Fields, unsigned N, const char *Section, const std::string &Name);

  LLVMModuleRef M;
  LLVMContextRef C;
  void emitModuleRecord();

  LLVMTypeRef I32, I64, Ptr, FuncTy, SiteTy, CallsiteTy, ModuleTy;
  std::map<std::string, LLVMValueRef> Strings;
  std::map<std::tuple<std::string, unsigned, unsigned, std::string>, LLVMValueRef> Sites;
  std::vector<LLVMValueRef> Used, Functions, Callsites;
};

// The function's name as the object file spells it ("\1" marks a name given
// with an asm label, which is used verbatim).
std::string symbolName(LLVMValueRef F);

// A location at the function's line in its DISubprogram, or null when F has
// no debug info.
LLVMMetadataRef functionDebugLoc(LLVMValueRef F);

} // namespace tprof

#endif
