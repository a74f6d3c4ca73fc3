// The one place that knows which LLVM version we are built against.
#ifndef TPROF_PASS_COMPAT_H
#define TPROF_PASS_COMPAT_H

#include "llvm/Config/llvm-config.h"

#if LLVM_VERSION_MAJOR >= 22
#include "llvm/Plugins/PassPlugin.h"
#else
#include "llvm/Passes/PassPlugin.h"
#endif

#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/LLVMContext.h"

#include "llvm/ADT/StringRef.h"

namespace tprof {
// StringRef::startswith became starts_with in LLVM 16 and was removed later.
inline bool hasPrefix(llvm::StringRef S, llvm::StringRef P) {
  return S.size() >= P.size() && S.substr(0, P.size()) == P;
}

// i8* on typed-pointer LLVMs (14), ptr on opaque-pointer ones (17+).
inline llvm::PointerType *bytePtrTy(llvm::LLVMContext &C) {
#if LLVM_VERSION_MAJOR >= 17
  return llvm::PointerType::get(C, 0);
#else
  return llvm::PointerType::get(llvm::Type::getInt8Ty(C), 0);
#endif
}
} // namespace tprof

#endif
