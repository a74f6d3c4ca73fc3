// The one place that knows which LLVM version we are built against.
// Everything else in pass/ is written against the LLVM-C API, which is the
// part of LLVM that stays the same from 14 to 22; the few differences that
// matter to us are wrapped here.
#ifndef TPROF_PASS_COMPAT_H
#define TPROF_PASS_COMPAT_H

#include "llvm/Config/llvm-config.h"
#include "llvm-c/Core.h"

#include <type_traits>

// LLVM 22 moved the plugin header. Plugin.cpp does #include TPROF_PASS_PLUGIN_H,
// so that the logic files do not pull in the C++ pass-manager headers.
#if LLVM_VERSION_MAJOR >= 22
#define TPROF_PASS_PLUGIN_H "llvm/Plugins/PassPlugin.h"
#else
#define TPROF_PASS_PLUGIN_H "llvm/Passes/PassPlugin.h"
#endif

// LLVMGetTailCallKind is not in LLVM-C before 18; isTailCall() is true for
// plain "tail" calls too, which must not move, so ask the C++ class there.
#if LLVM_VERSION_MAJOR < 18
#include "llvm/IR/Instructions.h"
#endif

namespace tprof {

// SCEVExpander's constructor lost its DataLayout argument in LLVM 22 (14 and
// 19 take it): whichever form this LLVM has, without naming a version (the
// discarded branch of a template is never compiled). Name: of the values it
// makes; no LCSSA kept. Returned as a prvalue: SCEVExpander cannot be moved.
template <typename Expander, typename Evolution, typename Layout>
Expander makeSCEVExpander(Evolution &SE, const Layout &DL, const char *Name) {
  if constexpr (std::is_constructible_v<Expander, Evolution &, const Layout &, const char *, bool>)
    return Expander(SE, DL, Name, /*PreserveLCSSA=*/false);
  else
    return Expander(SE, Name, /*PreserveLCSSA=*/false);
}

inline bool isMustTailCall(LLVMValueRef Call) {
#if LLVM_VERSION_MAJOR >= 18
  return LLVMGetTailCallKind(Call) == LLVMTailCallKindMustTail;
#else
  return llvm::cast<llvm::CallInst>(llvm::unwrap(Call))->isMustTailCall();
#endif
}

// Typed pointers (LLVM < 17): a function already declared in the module with
// another type (say, the hook declared by a source that includes abi.h, with
// a struct pointer parameter) is called through a bitcast, as
// Module::getOrInsertFunction does. With opaque pointers any function value
// can be called with any function type.
inline LLVMValueRef calleeOfType(LLVMValueRef Fn, LLVMTypeRef FnTy) {
#if LLVM_VERSION_MAJOR < 17
  if (LLVMGlobalGetValueType(Fn) != FnTy) return LLVMConstBitCast(Fn, LLVMPointerType(FnTy, 0));
#endif
  (void)FnTy;
  return Fn;
}

// LLVMConstStringInContext takes an unsigned length and is deprecated (in
// its documentation) from 19 on in favour of the size_t form, absent in 14.
inline LLVMValueRef constString(LLVMContextRef C, const char *S, size_t Len) {
#if LLVM_VERSION_MAJOR >= 19
  return LLVMConstStringInContext2(C, S, Len, /*DontNullTerminate=*/0);
#else
  return LLVMConstStringInContext(C, S, static_cast<unsigned>(Len), /*DontNullTerminate=*/0);
#endif
}

inline LLVMValueRef constArray(LLVMTypeRef ElemTy, LLVMValueRef *Elems, size_t N) {
#if LLVM_VERSION_MAJOR >= 19
  return LLVMConstArray2(ElemTy, Elems, N);
#else
  return LLVMConstArray(ElemTy, Elems, static_cast<unsigned>(N));
#endif
}

} // namespace tprof

#endif
