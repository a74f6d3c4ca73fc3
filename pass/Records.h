// Records the pass emits for the runtime (layouts in include/tprof/abi.h).
#ifndef TPROF_PASS_RECORDS_H
#define TPROF_PASS_RECORDS_H

#include "llvm/ADT/StringMap.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Module.h"
#include <string>

namespace tprof {

class RecordEmitter {
public:
  explicit RecordEmitter(llvm::Module &M);

  // Private writable record {abi, flags, line, id=0, name, op_name, file}.
  llvm::Constant *functionRecord(llvm::Function &F, llvm::StringRef OpName);
  // Private writable record {abi, line, column, id=0, function, file} for a call.
  llvm::Constant *siteRecord(llvm::Function &F, llvm::Instruction &Call);
  // Adds every record made so far to llvm.compiler.used.
  void finish();

private:
  llvm::Constant *string(llvm::StringRef S);
  llvm::Module &M;
  llvm::StructType *FuncTy, *SiteTy;
  llvm::StringMap<llvm::Constant *> Strings;
  std::vector<llvm::GlobalValue *> Used;
};

} // namespace tprof

#endif
