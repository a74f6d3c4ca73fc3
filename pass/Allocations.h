// Redirection of allocation calls to the runtime's hooks.
#ifndef TPROF_PASS_ALLOCATIONS_H
#define TPROF_PASS_ALLOCATIONS_H

#include "llvm-c/Core.h"

namespace tprof {

// Whether Call is a direct call of one of the functions below (with the
// libc prototype's arity), i.e. one that redirectAllocations replaces.
bool isAllocationCall(LLVMValueRef Call);

// Allocation calls are redirected at the end of the optimisation pipeline,
// not at its start with the rest of the instrumentation: the optimiser
// first does with them what it does without tprof (removes a malloc and
// free pair whose memory nothing reads, turns malloc and memset into
// calloc), so the profile counts the allocations the shipped binary makes,
// and the module it compiles is no bigger than that. What inlining would
// lose by then, the function each call was written in, is kept on the
// call: markAllocations, at the start.
//
// Marks each allocation call in F (not yet inlined anywhere) with F's name.
void markAllocations(LLVMValueRef F);

// Replaces each direct call, in every function of M that tprof
// instruments, of malloc, calloc, realloc, reallocarray, free,
// aligned_alloc, posix_memalign, memalign, valloc, strdup or strndup by a
// call of __tprof_<name> with the same arguments plus a call-site record:
// one record per function (as marked, else the call's own), file, line and
// column, so the copies that inlining made of one call share it. Returns
// the number of calls redirected.
unsigned redirectAllocations(LLVMModuleRef M);

} // namespace tprof

#endif
