#include "Allocations.h"
#include "IRUtil.h"
#include "Records.h"

#include "tprof/alloc_hooks.def"

#include "llvm-c/DebugInfo.h"
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace tprof {

// The functions redirected to __tprof_<name>, with their arity (one list:
// <tprof/alloc_hooks.def>): a module that declares one of these names with
// another prototype is not calling the libc function, and is left alone.
static const struct {
  const char *Name;
  unsigned Args;
} AllocFunctions[] = {
#define TPROF_ALLOC_ENTRY(name, arity) {#name, arity},
    TPROF_ALLOCATION_HOOKS(TPROF_ALLOC_ENTRY)
#undef TPROF_ALLOC_ENTRY
};

static const char *allocationFunction(LLVMValueRef Call) {
  LLVMValueRef Callee = directCallee(Call);
  if (!Callee || !LLVMIsDeclaration(Callee)) return nullptr;
  std::string Name = nameOf(Callee);
  for (const auto &AF : AllocFunctions)
    if (Name == AF.Name && LLVMGetNumArgOperands(Call) == AF.Args && LLVMCountParams(Callee) == AF.Args) return AF.Name;
  return nullptr;
}

bool isAllocationCall(LLVMValueRef Call) { return allocationFunction(Call) != nullptr; }

// What the allocation call says that still holds of its hook, which calls
// it and returns its result: the result is fresh memory (noalias, align,
// nonnull, dereferenceable), the sizes are in the same arguments (allocsize:
// the site record is appended last), the arguments are read and not kept
// (noundef, nocapture, readonly), and it neither unwinds nor hangs. Without
// them -O2 code reloads every field it holds after each allocation. Left
// out: memory effects (the hook writes tprof's books and registers its
// site), and allockind/alloc-family (the hook must not be taken for malloc
// itself: paired with a plain free, or folded away with it).
static const char *const KeptAttributes[] = {
    "noalias",   "noundef",   "nonnull",  "align",    "dereferenceable", "dereferenceable_or_null",
    "allocsize", "nocapture", "captures", "readonly", "allocalign",      "nounwind",
    "willreturn"};

static bool keptAttribute(LLVMAttributeRef A) {
  if (!LLVMIsEnumAttribute(A)) return false;
  unsigned Kind = LLVMGetEnumAttributeKind(A);
  for (const char *Name : KeptAttributes)
    if (Kind == LLVMGetEnumAttributeKindForName(Name, std::strlen(Name))) return true;
  return false;
}

// Attributes at Idx of the original call site and of the callee's
// declaration go to the new call site.
static void copyAttributes(LLVMValueRef From, LLVMValueRef Callee, LLVMValueRef To, LLVMAttributeIndex Idx) {
  std::vector<LLVMAttributeRef> Attrs(LLVMGetCallSiteAttributeCount(From, Idx));
  LLVMGetCallSiteAttributes(From, Idx, Attrs.data());
  std::vector<LLVMAttributeRef> Decl(LLVMGetAttributeCountAtIndex(Callee, Idx));
  LLVMGetAttributesAtIndex(Callee, Idx, Decl.data());
  Attrs.insert(Attrs.end(), Decl.begin(), Decl.end());
  for (LLVMAttributeRef A : Attrs)
    if (keptAttribute(A) && !LLVMGetCallSiteEnumAttribute(To, Idx, LLVMGetEnumAttributeKind(A)))
      LLVMAddCallSiteAttribute(To, Idx, A);
}

static void redirect(LLVMValueRef Call, const char *Name, LLVMValueRef Site, LLVMModuleRef M, LLVMBuilderRef B) {
  // The hook's type: the call's own, plus the site record.
  LLVMTypeRef OrigTy = LLVMGetCalledFunctionType(Call);
  unsigned N = LLVMCountParamTypes(OrigTy);
  std::vector<LLVMTypeRef> Params(N + 1);
  LLVMGetParamTypes(OrigTy, Params.data());
  Params[N] = LLVMTypeOf(Site);
  LLVMTypeRef HookTy = LLVMFunctionType(LLVMGetReturnType(OrigTy), Params.data(), N + 1, 0);
  LLVMValueRef Hook = declareFunction(M, std::string("__tprof_") + Name, HookTy);

  std::vector<LLVMValueRef> Args(N + 1);
  for (unsigned I = 0; I < N; ++I) Args[I] = LLVMGetOperand(Call, I);
  Args[N] = Site;

  LLVMPositionBuilderBefore(B, Call);
  LLVMValueRef New = LLVMBuildCall2(B, HookTy, Hook, Args.data(), N + 1, "");
  // Same location as the call it replaces: needed for a valid -g module, and
  // it is what a debugger and a sampling profiler should show.
  LLVMInstructionSetDebugLoc(New, LLVMInstructionGetDebugLoc(Call));
  LLVMSetInstructionCallConv(New, LLVMGetInstructionCallConv(Call));
  LLVMValueRef Callee = directCallee(Call);
  copyAttributes(Call, Callee, New, LLVMAttributeReturnIndex);
  copyAttributes(Call, Callee, New, LLVMAttributeFunctionIndex);
  for (unsigned I = 1; I <= N; ++I) copyAttributes(Call, Callee, New, I);
  // the runtime's hooks never unwind, whatever the declaration said
  unsigned NoUnwind = LLVMGetEnumAttributeKindForName("nounwind", 8);
  if (!LLVMGetCallSiteEnumAttribute(New, LLVMAttributeFunctionIndex, NoUnwind))
    LLVMAddCallSiteAttribute(New, LLVMAttributeFunctionIndex,
                             LLVMCreateEnumAttribute(LLVMGetModuleContext(M), NoUnwind, 0));

  std::string ValueName = nameOf(Call);
  LLVMReplaceAllUsesWith(Call, New);
  LLVMInstructionEraseFromParent(Call);
  LLVMSetValueName2(New, ValueName.data(), ValueName.size());
}

static const char SiteFunctionKind[] = "tprof.site.function";

void markAllocations(LLVMValueRef F) {
  LLVMContextRef C = LLVMGetModuleContext(LLVMGetGlobalParent(F));
  unsigned Kind = LLVMGetMDKindIDInContext(C, SiteFunctionKind, sizeof(SiteFunctionKind) - 1);
  std::string Name = symbolName(F);
  LLVMMetadataRef Str = LLVMMDStringInContext2(C, Name.data(), Name.size());
  LLVMValueRef Node = LLVMMetadataAsValue(C, LLVMMDNodeInContext2(C, &Str, 1));
  for (LLVMBasicBlockRef BB = LLVMGetFirstBasicBlock(F); BB; BB = LLVMGetNextBasicBlock(BB))
    for (LLVMValueRef I = LLVMGetFirstInstruction(BB); I; I = LLVMGetNextInstruction(I))
      if (LLVMIsACallInst(I) && !LLVMIsAIntrinsicInst(I) && allocationFunction(I)) LLVMSetMetadata(I, Kind, Node);
}

// The function the call was written in: its mark, or (a call the optimiser
// made, such as a calloc from malloc and memset) the one it is in now.
static std::string siteFunction(LLVMValueRef Call, LLVMValueRef F, unsigned Kind) {
  if (LLVMValueRef Node = LLVMGetMetadata(Call, Kind)) {
    LLVMValueRef Op = nullptr;
    if (LLVMGetMDNodeNumOperands(Node) == 1) LLVMGetMDNodeOperands(Node, &Op);
    unsigned Len = 0;
    const char *S = Op ? LLVMGetMDString(Op, &Len) : nullptr;
    if (S && Len) return std::string(S, Len);
  }
  return symbolName(F);
}

unsigned redirectAllocations(LLVMModuleRef M) {
  LLVMContextRef C = LLVMGetModuleContext(M);
  unsigned Kind = LLVMGetMDKindIDInContext(C, SiteFunctionKind, sizeof(SiteFunctionKind) - 1);
  // Collect first: redirecting erases instructions.
  struct Found {
    LLVMValueRef Call;
    const char *Name;
    std::string Function;
  };
  std::vector<Found> Calls;
  for (LLVMValueRef F = LLVMGetFirstFunction(M); F; F = LLVMGetNextFunction(F)) {
    if (!isProgramFunction(F)) continue;
    for (LLVMBasicBlockRef BB = LLVMGetFirstBasicBlock(F); BB; BB = LLVMGetNextBasicBlock(BB))
      for (LLVMValueRef I = LLVMGetFirstInstruction(BB); I; I = LLVMGetNextInstruction(I))
        if (LLVMIsACallInst(I) && !LLVMIsAIntrinsicInst(I))
          if (const char *Name = allocationFunction(I)) Calls.push_back({I, Name, siteFunction(I, F, Kind)});
  }
  if (Calls.empty()) return 0;
  RecordEmitter Records(M);
  LLVMBuilderRef B = LLVMCreateBuilderInContext(C);
  for (Found &Fd : Calls) redirect(Fd.Call, Fd.Name, Records.siteRecord(Fd.Function, Fd.Call), M, B);
  LLVMDisposeBuilder(B);
  Records.finish();
  return static_cast<unsigned>(Calls.size());
}

} // namespace tprof
