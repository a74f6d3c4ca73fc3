// Small helpers over the LLVM-C API shared by the pass's files.
#ifndef TPROF_PASS_IRUTIL_H
#define TPROF_PASS_IRUTIL_H

#include "Compat.h"

#include "llvm-c/Core.h"
#include <cstring>
#include <string>

namespace tprof {

inline std::string nameOf(LLVMValueRef V) {
  size_t Len = 0;
  const char *S = LLVMGetValueName2(V, &Len);
  return S ? std::string(S, Len) : std::string();
}

inline bool startsWith(const std::string &S, const std::string &Prefix) {
  return S.compare(0, Prefix.size(), Prefix) == 0;
}

// i8* on LLVM 14, ptr on 17+: the type of every pointer field and hook argument.
inline LLVMTypeRef bytePtrType(LLVMContextRef C) { return LLVMPointerType(LLVMInt8TypeInContext(C), 0); }

// The function called by a call instruction, or null when the call goes
// through a pointer (or, on typed-pointer LLVMs, through a cast).
inline LLVMValueRef directCallee(LLVMValueRef Call) {
  LLVMValueRef Callee = LLVMGetCalledValue(Call);
  return LLVMIsAFunction(Callee) ? Callee : nullptr;
}

// The named function, declared with type FnTy if the module lacks it, as a
// value that can be called with FnTy.
inline LLVMValueRef declareFunction(LLVMModuleRef M, const std::string &Name, LLVMTypeRef FnTy) {
  LLVMValueRef Fn = LLVMGetNamedFunction(M, Name.c_str());
  if (!Fn) return LLVMAddFunction(M, Name.c_str(), FnTy);
  return calleeOfType(Fn, FnTy);
}

inline bool hasFnAttribute(LLVMValueRef F, const char *EnumName) {
  unsigned Kind = LLVMGetEnumAttributeKindForName(EnumName, std::strlen(EnumName));
  return Kind && LLVMGetEnumAttributeAtIndex(F, LLVMAttributeFunctionIndex, Kind);
}

// A function of the program the pass works in: it has a body the pass can
// add code to (not a declaration, not naked) and is not tprof's own.
inline bool isProgramFunction(LLVMValueRef F) {
  return !LLVMIsDeclaration(F) && !hasFnAttribute(F, "naked") && !startsWith(nameOf(F), "__tprof");
}

} // namespace tprof

#endif
