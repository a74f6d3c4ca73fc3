// Which functions are DSL operations, and under which name.
#ifndef TPROF_PASS_OPERATIONS_H
#define TPROF_PASS_OPERATIONS_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/Module.h"
#include <string>

namespace tprof {

class OperationFinder {
public:
  // Reads the annotations of M (TPROF_OPERATION / TPROF_OPERATION_NAMED) and
  // the naming prefix from TPROF_OP_PREFIX (default "op_", empty = off).
  explicit OperationFinder(llvm::Module &M);
  // The operation name of F, or "" when F is not an operation.
  std::string operationName(const llvm::Function &F) const;

private:
  std::string Prefix;
  llvm::DenseMap<const llvm::Function *, std::string> Annotated;
};

} // namespace tprof

#endif
