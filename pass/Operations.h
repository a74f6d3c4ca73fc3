// Which functions are DSL operations, and under which name.
#ifndef TPROF_PASS_OPERATIONS_H
#define TPROF_PASS_OPERATIONS_H

#include "llvm-c/Core.h"
#include <map>
#include <string>

namespace tprof {

class OperationFinder {
public:
  // Reads the annotations of M (TPROF_OPERATION / TPROF_OPERATION_NAMED) and
  // the naming prefix from TPROF_OP_PREFIX (default "op_", empty = off).
  explicit OperationFinder(LLVMModuleRef M);
  // The operation name of F, or "" when F is not an operation.
  std::string operationName(LLVMValueRef F) const;

private:
  std::string withoutPrefix(const std::string &Name) const;

  std::string Prefix;
  std::map<LLVMValueRef, std::string> Annotated;
};

} // namespace tprof

#endif
