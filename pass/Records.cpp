#include "Records.h"
#include "Compat.h"
#include "IRUtil.h"

#include "tprof/abi.h"

#include "llvm-c/DebugInfo.h"
#include <cstring>

namespace tprof {

std::string symbolName(LLVMValueRef F) {
  std::string Name = nameOf(F);
  if (!Name.empty() && Name[0] == '\1')
    Name.erase(0, 1);
  return Name;
}

LLVMMetadataRef functionDebugLoc(LLVMValueRef F) {
  LLVMMetadataRef SP = LLVMGetSubprogram(F);
  if (!SP)
    return nullptr;
  return LLVMDIBuilderCreateDebugLocation(LLVMGetModuleContext(LLVMGetGlobalParent(F)),
                                          LLVMDISubprogramGetLine(SP), 0, SP, nullptr);
}

// Line and file of F's definition: its DISubprogram when compiled with -g,
// else line 0 and the module's source file name.
static void definitionOf(LLVMValueRef F, unsigned &Line, std::string &File) {
  Line = 0;
  if (LLVMMetadataRef SP = LLVMGetSubprogram(F)) {
    Line = LLVMDISubprogramGetLine(SP);
    if (LLVMMetadataRef DIFile = LLVMDIScopeGetFile(SP)) {
      unsigned Len = 0;
      const char *S = LLVMDIFileGetFilename(DIFile, &Len);
      File.assign(S ? S : "", S ? Len : 0);
      return;
    }
  }
  size_t Len = 0;
  const char *S = LLVMGetSourceFileName(LLVMGetGlobalParent(F), &Len);
  File.assign(S ? S : "", S ? Len : 0);
}

RecordEmitter::RecordEmitter(LLVMModuleRef M) : M(M), C(LLVMGetModuleContext(M)) {
  I32 = LLVMInt32TypeInContext(C);
  Ptr = bytePtrType(C);
  LLVMTypeRef Func[] = {I32, I32, I32, I32, Ptr, Ptr, Ptr};
  LLVMTypeRef Site[] = {I32, I32, I32, I32, Ptr, Ptr};
  FuncTy = LLVMStructTypeInContext(C, Func, 7, /*Packed=*/0);
  SiteTy = LLVMStructTypeInContext(C, Site, 6, /*Packed=*/0);
}

// One private constant per distinct string in the module.
LLVMValueRef RecordEmitter::string(const std::string &S) {
  auto It = Strings.find(S);
  if (It != Strings.end())
    return It->second;
  LLVMValueRef Init = constString(C, S.data(), S.size());
  LLVMValueRef GV = LLVMAddGlobal(M, LLVMTypeOf(Init), "__tprof_str");
  LLVMSetInitializer(GV, Init);
  LLVMSetGlobalConstant(GV, 1);
  LLVMSetLinkage(GV, LLVMPrivateLinkage);
  LLVMSetUnnamedAddress(GV, LLVMGlobalUnnamedAddr);
  LLVMSetAlignment(GV, 1);
  LLVMValueRef P = LLVMConstPointerCast(GV, Ptr);
  Strings.emplace(S, P);
  return P;
}

// Records stay writable: the runtime stores the id in them. They are kept by
// llvm.compiler.used so that optimisation never drops one, even when every
// hook call that refers to it is removed with dead code.
LLVMValueRef RecordEmitter::emit(LLVMTypeRef Ty, LLVMValueRef *Fields, unsigned N,
                                 const char *Section, const std::string &Name) {
  LLVMValueRef GV = LLVMAddGlobal(M, Ty, Name.c_str());
  LLVMSetInitializer(GV, LLVMConstStructInContext(C, Fields, N, /*Packed=*/0));
  LLVMSetGlobalConstant(GV, 0);
  LLVMSetLinkage(GV, LLVMPrivateLinkage);
  LLVMSetSection(GV, Section);
  LLVMSetAlignment(GV, 8);
  Used.push_back(GV);
  return LLVMConstPointerCast(GV, Ptr);
}

LLVMValueRef RecordEmitter::functionRecord(LLVMValueRef F, const std::string &OpName) {
  unsigned Line;
  std::string File;
  definitionOf(F, Line, File);
  std::string Name = symbolName(F);
  LLVMValueRef Fields[] = {
      LLVMConstInt(I32, TPROF_ABI_VERSION, 0),
      LLVMConstInt(I32, OpName.empty() ? 0 : TPROF_FUNC_OPERATION, 0),
      LLVMConstInt(I32, Line, 0),
      LLVMConstInt(I32, 0, 0),
      string(Name),
      OpName.empty() ? LLVMConstPointerNull(Ptr) : string(OpName),
      string(File),
  };
  return emit(FuncTy, Fields, 7, "tprof_funcs", "__tprof_func." + Name);
}

LLVMValueRef RecordEmitter::siteRecord(LLVMValueRef F, LLVMValueRef Call) {
  // 0, 0 and "" when the call has no debug location (no -g). The file is
  // the one of the location's scope, as the user named it to clang.
  unsigned Len = 0;
  const char *File = LLVMGetDebugLocFilename(Call, &Len);
  std::string Name = symbolName(F);
  LLVMValueRef Fields[] = {
      LLVMConstInt(I32, TPROF_ABI_VERSION, 0),
      LLVMConstInt(I32, LLVMGetDebugLocLine(Call), 0),
      LLVMConstInt(I32, LLVMGetDebugLocColumn(Call), 0),
      LLVMConstInt(I32, 0, 0),
      string(Name),
      string(File ? std::string(File, Len) : std::string()),
  };
  return emit(SiteTy, Fields, 6, "tprof_sites", "__tprof_site." + Name);
}

// llvm.compiler.used is an appending array of i8*/ptr; LLVM-C has no
// "append", so the array is rebuilt with the old entries first.
void RecordEmitter::finish() {
  if (Used.empty())
    return;
  std::vector<LLVMValueRef> Elems;
  if (LLVMValueRef Old = LLVMGetNamedGlobal(M, "llvm.compiler.used")) {
    if (LLVMValueRef Init = LLVMGetInitializer(Old))
      for (int I = 0, N = LLVMGetNumOperands(Init); I < N; ++I)
        Elems.push_back(LLVMConstPointerCast(LLVMGetOperand(Init, I), Ptr));
    LLVMDeleteGlobal(Old);
  }
  for (LLVMValueRef GV : Used)
    Elems.push_back(LLVMConstPointerCast(GV, Ptr));
  Used.clear();

  LLVMValueRef Init = constArray(Ptr, Elems.data(), Elems.size());
  LLVMValueRef GV = LLVMAddGlobal(M, LLVMTypeOf(Init), "llvm.compiler.used");
  LLVMSetInitializer(GV, Init);
  LLVMSetLinkage(GV, LLVMAppendingLinkage);
  LLVMSetSection(GV, "llvm.metadata");
}

} // namespace tprof
