// Redirection of allocation calls to the runtime's hooks.
#ifndef TPROF_PASS_ALLOCATIONS_H
#define TPROF_PASS_ALLOCATIONS_H

#include "llvm-c/Core.h"

namespace tprof {

class RecordEmitter;

// Whether Call is a direct call of one of the functions below (with the
// libc prototype's arity), i.e. one that redirectAllocations replaces.
bool isAllocationCall(LLVMValueRef Call);

// Replaces each direct call in F of malloc, calloc, realloc, reallocarray,
// free, aligned_alloc, posix_memalign, memalign, valloc, strdup or strndup
// by a call of __tprof_<name> with the same arguments plus a call-site
// record. Returns the number of calls redirected.
unsigned redirectAllocations(LLVMValueRef F, LLVMModuleRef M, RecordEmitter &Records, LLVMBuilderRef B);

} // namespace tprof

#endif
