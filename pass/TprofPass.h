// The tprof module transformation, over the LLVM-C API.
#ifndef TPROF_PASS_TPROFPASS_H
#define TPROF_PASS_TPROFPASS_H

#include "llvm-c/Core.h"

namespace tprof {

// Entry/exit hooks in every function defined in M that should be
// instrumented, allocation calls marked for redirectAllocations
// (Allocations.h, at the end of the pipeline), records for the runtime.
// Returns whether M changed.
bool instrumentModule(LLVMModuleRef M);

} // namespace tprof

#endif
