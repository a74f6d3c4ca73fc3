#include "Records.h"
#include "Compat.h"
#include "IRUtil.h"

#include "tprof/abi.h"

#include "llvm-c/DebugInfo.h"
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <vector>

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

// Source paths as valgrind and llvm-cov show them: the debug-info directory
// joined with the file name, so that viewers find the file and one source
// compiled from two directories has one name. Paths that -ffile-prefix-map
// (or -fdebug-prefix-map) mapped are joined as mapped, and a directory
// mapped to "." leaves the file name as clang wrote it: the user chose those
// names. Then TPROF_PATH_PREFIX_STRIP (read at
// compile time: prefixes separated by ':') removes a leading directory, for
// outputs that do not depend on where the tree was checked out.
static std::string stripPrefix(std::string Path) {
  static const char *Env = getenv("TPROF_PATH_PREFIX_STRIP");
  if (!Env || !*Env)
    return Path;
  std::string List(Env);
  for (size_t B = 0; B <= List.size();) {
    size_t E = List.find(':', B);
    if (E == std::string::npos)
      E = List.size();
    std::string Prefix = List.substr(B, E - B);
    while (Prefix.size() > 1 && Prefix.back() == '/')
      Prefix.pop_back();
    B = E + 1;
    // Whole directories only: "/src" strips "/src/a.c", not "/srcs/a.c".
    if (Prefix.empty() || Path.compare(0, Prefix.size(), Prefix) != 0)
      continue;
    if (Path.size() > Prefix.size() && Path[Prefix.size()] != '/' && Prefix != "/")
      continue;
    size_t Rest = Prefix.size();
    while (Rest < Path.size() && Path[Rest] == '/')
      ++Rest;
    if (Rest < Path.size())
      return Path.substr(Rest);
  }
  return Path;
}

// "a/./b" is "a/b" and "a/x/../b" is "a/b" (lexically, as llvm-cov does):
// "clang ../src/f.c" and "clang f.c" from src/ give one name.
static std::string normalize(const std::string &Path) {
  std::vector<std::string> Parts;
  size_t B = 0;
  bool Absolute = !Path.empty() && Path[0] == '/';
  while (B <= Path.size()) {
    size_t E = Path.find('/', B);
    if (E == std::string::npos)
      E = Path.size();
    std::string Part = Path.substr(B, E - B);
    B = E + 1;
    if (Part.empty() || Part == ".")
      continue;
    if (Part == ".." && !Parts.empty() && Parts.back() != "..")
      Parts.pop_back();
    else if (Part != ".." || !Absolute) // "/.." is "/"
      Parts.push_back(Part);
  }
  std::string Out = Absolute ? "/" : "";
  for (size_t I = 0; I < Parts.size(); ++I)
    Out += (I ? "/" : "") + Parts[I];
  return Out.empty() ? Path : Out;
}

static std::string joinPath(const char *Dir, unsigned DirLen, const char *File, unsigned FileLen) {
  std::string F(File ? File : "", File ? FileLen : 0), D(Dir ? Dir : "", Dir ? DirLen : 0);
  if (F.empty())
    return F;
  if (F[0] != '/' && !D.empty() && D != ".")
    F = D + "/" + F;
  return stripPrefix(normalize(F));
}

// Without debug info there is no directory: the module's source file name
// is the one on clang's command line, relative to the directory clang runs
// in, which is this process's.
static std::string moduleSourcePath(LLVMModuleRef M) {
  size_t Len = 0;
  const char *S = LLVMGetSourceFileName(M, &Len);
  std::string F(S ? S : "", S ? Len : 0);
  char Cwd[4096];
  if (!F.empty() && F[0] != '/' && F != "-" && getcwd(Cwd, sizeof Cwd))
    return joinPath(Cwd, strlen(Cwd), F.data(), F.size());
  return stripPrefix(F);
}

// Line and file of F's definition: its DISubprogram when compiled with -g,
// else line 0 and the module's source file.
static void definitionOf(LLVMValueRef F, unsigned &Line, std::string &File) {
  Line = 0;
  if (LLVMMetadataRef SP = LLVMGetSubprogram(F)) {
    Line = LLVMDISubprogramGetLine(SP);
    if (LLVMMetadataRef DIFile = LLVMDIScopeGetFile(SP)) {
      unsigned Len = 0, DirLen = 0;
      const char *S = LLVMDIFileGetFilename(DIFile, &Len);
      const char *D = LLVMDIFileGetDirectory(DIFile, &DirLen);
      File = joinPath(D, DirLen, S, Len);
      return;
    }
  }
  File = moduleSourcePath(LLVMGetGlobalParent(F));
}

// File of a call's debug location (its scope's file, with its directory);
// "" when the call has none (no -g).
static std::string callSiteFile(LLVMValueRef Call) {
  unsigned Len = 0, DirLen = 0;
  const char *File = LLVMGetDebugLocFilename(Call, &Len);
  if (!File || !Len)
    return std::string();
  const char *Dir = LLVMGetDebugLocDirectory(Call, &DirLen);
  return joinPath(Dir, DirLen, File, Len);
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
  // 0, 0 and "" when the call has no debug location (no -g).
  std::string Name = symbolName(F);
  LLVMValueRef Fields[] = {
      LLVMConstInt(I32, TPROF_ABI_VERSION, 0),
      LLVMConstInt(I32, LLVMGetDebugLocLine(Call), 0),
      LLVMConstInt(I32, LLVMGetDebugLocColumn(Call), 0),
      LLVMConstInt(I32, 0, 0),
      string(Name),
      string(callSiteFile(Call)),
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
