#include "Records.h"
#include "Compat.h"
#include "Guards.h"
#include "IRUtil.h"

#include "tprof/abi.h"

#include "llvm-c/DebugInfo.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/Module.h"
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <vector>

namespace tprof {

std::string symbolName(LLVMValueRef F) {
  std::string Name = nameOf(F);
  if (!Name.empty() && Name[0] == '\1') Name.erase(0, 1);
  return Name;
}

LLVMMetadataRef functionDebugLoc(LLVMValueRef F) {
  LLVMMetadataRef SP = LLVMGetSubprogram(F);
  if (!SP) return nullptr;
  return LLVMDIBuilderCreateDebugLocation(LLVMGetModuleContext(LLVMGetGlobalParent(F)), LLVMDISubprogramGetLine(SP), 0,
                                          SP, nullptr);
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
  if (!Env || !*Env) return Path;
  std::string List(Env);
  for (size_t B = 0; B <= List.size();) {
    size_t E = List.find(':', B);
    if (E == std::string::npos) E = List.size();
    std::string Prefix = List.substr(B, E - B);
    while (Prefix.size() > 1 && Prefix.back() == '/') Prefix.pop_back();
    B = E + 1;
    // Whole directories only: "/src" strips "/src/a.c", not "/srcs/a.c".
    if (Prefix.empty() || Path.compare(0, Prefix.size(), Prefix) != 0) continue;
    if (Path.size() > Prefix.size() && Path[Prefix.size()] != '/' && Prefix != "/") continue;
    size_t Rest = Prefix.size();
    while (Rest < Path.size() && Path[Rest] == '/') ++Rest;
    if (Rest < Path.size()) return Path.substr(Rest);
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
    if (E == std::string::npos) E = Path.size();
    std::string Part = Path.substr(B, E - B);
    B = E + 1;
    if (Part.empty() || Part == ".") continue;
    if (Part == ".." && !Parts.empty() && Parts.back() != "..")
      Parts.pop_back();
    else if (Part != ".." || !Absolute) // "/.." is "/"
      Parts.push_back(Part);
  }
  std::string Out = Absolute ? "/" : "";
  for (size_t I = 0; I < Parts.size(); ++I) Out += (I ? "/" : "") + Parts[I];
  return Out.empty() ? Path : Out;
}

static std::string joinPath(const char *Dir, unsigned DirLen, const char *File, unsigned FileLen) {
  std::string F(File ? File : "", File ? FileLen : 0), D(Dir ? Dir : "", Dir ? DirLen : 0);
  if (F.empty()) return F;
  if (F[0] != '/' && !D.empty() && D != ".") F = D + "/" + F;
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
// without one (no -g), the module's source file, as for a function.
static std::string callSiteFile(LLVMValueRef Call) {
  unsigned Len = 0, DirLen = 0;
  const char *File = LLVMGetDebugLocFilename(Call, &Len);
  if (!File || !Len)
    return moduleSourcePath(LLVMGetGlobalParent(LLVMGetBasicBlockParent(LLVMGetInstructionParent(Call))));
  const char *Dir = LLVMGetDebugLocDirectory(Call, &DirLen);
  return joinPath(Dir, DirLen, File, Len);
}

// Field numbers and IR types of the records, from the lists in
// <tprof/records.def> that abi.h declares the C structs from.
#define TPROF_FIELD_INDEX(kind, ctype, name) name,
namespace FuncField {
enum : unsigned { TPROF_FUNC_RECORD_FIELDS(TPROF_FIELD_INDEX) Count };
}
namespace CallsiteField {
enum : unsigned { TPROF_CALLSITE_RECORD_FIELDS(TPROF_FIELD_INDEX) Count };
}
namespace SiteField {
enum : unsigned { TPROF_SITE_RECORD_FIELDS(TPROF_FIELD_INDEX) Count };
}
namespace ModuleField {
enum : unsigned { TPROF_MODULE_RECORD_FIELDS(TPROF_FIELD_INDEX) Count };
}
#undef TPROF_FIELD_INDEX

RecordEmitter::RecordEmitter(LLVMModuleRef M) : M(M), C(LLVMGetModuleContext(M)) {
  I32 = LLVMInt32TypeInContext(C);
  I64 = LLVMInt64TypeInContext(C);
  Ptr = bytePtrType(C);
  LLVMTypeRef U32 = I32, U64 = I64, PTR = Ptr;
#define TPROF_FIELD_TYPE(kind, ctype, name) kind,
  LLVMTypeRef Func[] = {TPROF_FUNC_RECORD_FIELDS(TPROF_FIELD_TYPE)};
  LLVMTypeRef Site[] = {TPROF_SITE_RECORD_FIELDS(TPROF_FIELD_TYPE)};
  LLVMTypeRef Callsite[] = {TPROF_CALLSITE_RECORD_FIELDS(TPROF_FIELD_TYPE)};
  LLVMTypeRef Module[] = {TPROF_MODULE_RECORD_FIELDS(TPROF_FIELD_TYPE)};
#undef TPROF_FIELD_TYPE
  FuncTy = LLVMStructTypeInContext(C, Func, FuncField::Count, /*Packed=*/0);
  SiteTy = LLVMStructTypeInContext(C, Site, SiteField::Count, /*Packed=*/0);
  CallsiteTy = LLVMStructTypeInContext(C, Callsite, CallsiteField::Count, /*Packed=*/0);
  ModuleTy = LLVMStructTypeInContext(C, Module, ModuleField::Count, /*Packed=*/0);
}

// One private constant per distinct string in the module.
LLVMValueRef RecordEmitter::string(const std::string &S) {
  auto It = Strings.find(S);
  if (It != Strings.end()) return It->second;
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
LLVMValueRef RecordEmitter::emit(LLVMTypeRef Ty, LLVMValueRef *Fields, unsigned N, const char *Section,
                                 const std::string &Name) {
  LLVMValueRef GV = LLVMAddGlobal(M, Ty, Name.c_str());
  LLVMSetInitializer(GV, LLVMConstStructInContext(C, Fields, N, /*Packed=*/0));
  LLVMSetGlobalConstant(GV, 0);
  LLVMSetLinkage(GV, LLVMPrivateLinkage);
  LLVMSetSection(GV, Section);
  LLVMSetAlignment(GV, 8);
  Used.push_back(GV);
  return LLVMConstPointerCast(GV, Ptr);
}

// A pointer to the counter field Index (an i64) of the record GV (of type
// Ty): a private alias of the field, not the field's address as a constant
// expression. InstCombine folds every constant-expression operand of every
// instruction again at each of its runs (about ten per function at -O2),
// and each fold of a record's field address rebuilt and looked up the
// expression. With the aliases, the -O2 compile of bench/gen_big_tu.py's
// 6,000 functions runs 2.2% fewer instructions (callgrind: 34.12 -> 33.38
// billion, plain 26.38). An alias is a global value, which nothing folds;
// the code generator emits `.set alias, record+offset`, and the counter is
// addressed as directly as the expression would be.
static LLVMValueRef counterPointer(LLVMModuleRef M, LLVMTypeRef Ty, LLVMValueRef GV, unsigned Index, LLVMTypeRef I32) {
  LLVMValueRef Indices[] = {LLVMConstInt(I32, 0, 0), LLVMConstInt(I32, Index, 0)};
  using namespace llvm;
  auto *Field = cast<Constant>(unwrap(LLVMConstInBoundsGEP2(Ty, GV, Indices, 2)));
  // named after its record: @__tprof_func.f.calls, @__tprof_callsite.3.calls
  return wrap(GlobalAlias::create(Type::getInt64Ty(Field->getContext()), 0, GlobalValue::PrivateLinkage,
                                  unwrap(GV)->getName() + ".calls", Field, unwrap(M)));
}

FunctionRecord RecordEmitter::functionRecord(LLVMValueRef F, const std::string &OpName, unsigned Flags) {
  unsigned Line;
  std::string File;
  definitionOf(F, Line, File);
  std::string Name = symbolName(F);
  LLVMValueRef Fields[FuncField::Count];
  Fields[FuncField::abi_version] = LLVMConstInt(I32, TPROF_ABI_VERSION, 0);
  Fields[FuncField::flags] = LLVMConstInt(I32, Flags | (OpName.empty() ? 0 : TPROF_FUNC_OPERATION), 0);
  Fields[FuncField::line] = LLVMConstInt(I32, Line, 0);
  Fields[FuncField::id] = LLVMConstInt(I32, 0, 0);
  Fields[FuncField::calls] = LLVMConstInt(I64, 0, 0);
  Fields[FuncField::name] = string(Name);
  Fields[FuncField::op_name] = OpName.empty() ? LLVMConstPointerNull(Ptr) : string(OpName);
  Fields[FuncField::file] = string(File);
  FunctionRecord R;
  R.Ptr = emit(FuncTy, Fields, FuncField::Count, "tprof_funcs", "__tprof_func." + Name);
  R.Counter = counterPointer(M, FuncTy, Used.back(), FuncField::calls, I32);
  Functions.push_back(R.Ptr);
  return R;
}

LLVMValueRef RecordEmitter::callsiteCounter(const FunctionRecord &Caller, const FunctionRecord &Callee,
                                            LLVMValueRef Call) {
  LLVMValueRef Fields[CallsiteField::Count];
  Fields[CallsiteField::abi_version] = LLVMConstInt(I32, TPROF_ABI_VERSION, 0);
  Fields[CallsiteField::line] = LLVMConstInt(I32, LLVMGetDebugLocLine(Call), 0);
  Fields[CallsiteField::calls] = LLVMConstInt(I64, 0, 0);
  Fields[CallsiteField::caller] = Caller.Ptr;
  Fields[CallsiteField::callee] = Callee.Ptr;
  Callsites.push_back(emit(CallsiteTy, Fields, CallsiteField::Count, "tprof_callsites", "__tprof_callsite"));
  return counterPointer(M, CallsiteTy, Used.back(), CallsiteField::calls, I32);
}

// An array of pointers to the records, private and constant.
static LLVMValueRef pointerArray(LLVMModuleRef M, LLVMTypeRef Ptr, std::vector<LLVMValueRef> &Elems, const char *Name) {
  if (Elems.empty()) return LLVMConstPointerNull(Ptr);
  LLVMValueRef Init = constArray(Ptr, Elems.data(), Elems.size());
  LLVMValueRef GV = LLVMAddGlobal(M, LLVMTypeOf(Init), Name);
  LLVMSetInitializer(GV, Init);
  LLVMSetGlobalConstant(GV, 1);
  LLVMSetLinkage(GV, LLVMPrivateLinkage);
  return LLVMConstPointerCast(GV, Ptr);
}

// void Name(void) { Hook(&module); }, internal.
static LLVMValueRef moduleHookCaller(LLVMModuleRef M, const char *Name, const char *Hook, LLVMValueRef Module,
                                     LLVMTypeRef Ptr) {
  LLVMContextRef C = LLVMGetModuleContext(M);
  LLVMTypeRef VoidFn = LLVMFunctionType(LLVMVoidTypeInContext(C), nullptr, 0, 0);
  LLVMTypeRef HookTy = LLVMFunctionType(LLVMVoidTypeInContext(C), &Ptr, 1, 0);
  LLVMValueRef F = LLVMAddFunction(M, Name, VoidFn);
  LLVMSetLinkage(F, LLVMInternalLinkage);
  LLVMAddAttributeAtIndex(F, LLVMAttributeFunctionIndex,
                          LLVMCreateEnumAttribute(C, LLVMGetEnumAttributeKindForName("nounwind", 8), 0));
  LLVMBuilderRef B = LLVMCreateBuilderInContext(C);
  LLVMPositionBuilderAtEnd(B, LLVMAppendBasicBlockInContext(C, F, "entry"));
  LLVMBuildCall2(B, HookTy, declareFunction(M, Hook, HookTy), &Module, 1, "");
  LLVMBuildRetVoid(B);
  LLVMDisposeBuilder(B);
  return F;
}

void RecordEmitter::emitModuleRecord() {
  LLVMValueRef Fields[ModuleField::Count];
  Fields[ModuleField::abi_version] = LLVMConstInt(I32, TPROF_ABI_VERSION, 0);
  Fields[ModuleField::nfuncs] = LLVMConstInt(I32, Functions.size(), 0);
  Fields[ModuleField::ncallsites] = LLVMConstInt(I32, Callsites.size(), 0);
  Fields[ModuleField::state] = LLVMConstInt(I32, 0, 0);
  Fields[ModuleField::funcs] = pointerArray(M, Ptr, Functions, "__tprof_module_funcs");
  Fields[ModuleField::callsites] = pointerArray(M, Ptr, Callsites, "__tprof_module_callsites");
  Fields[ModuleField::next] = LLVMConstPointerNull(Ptr);
  LLVMValueRef Module = emit(ModuleTy, Fields, ModuleField::Count, "tprof_modules", "__tprof_module");
  addModuleCtorDtor(M, moduleHookCaller(M, "__tprof_module_ctor", "__tprof_register_module", Module, Ptr),
                    moduleHookCaller(M, "__tprof_module_dtor", "__tprof_unregister_module", Module, Ptr));
}

LLVMValueRef RecordEmitter::siteRecord(const std::string &Function, LLVMValueRef Call) {
  // Line and column 0 when the call has no debug location (no -g): the
  // function's allocations then share one site.
  unsigned Line = LLVMGetDebugLocLine(Call), Column = LLVMGetDebugLocColumn(Call);
  std::string File = callSiteFile(Call);
  LLVMValueRef &Site = Sites[std::make_tuple(Function, Line, Column, File)];
  if (Site) return Site;
  LLVMValueRef Fields[SiteField::Count];
  Fields[SiteField::abi_version] = LLVMConstInt(I32, TPROF_ABI_VERSION, 0);
  Fields[SiteField::line] = LLVMConstInt(I32, Line, 0);
  Fields[SiteField::column] = LLVMConstInt(I32, Column, 0);
  Fields[SiteField::id] = LLVMConstInt(I32, 0, 0);
  Fields[SiteField::function] = string(Function);
  Fields[SiteField::file] = string(File);
  return Site = emit(SiteTy, Fields, SiteField::Count, "tprof_sites", "__tprof_site." + Function);
}

// llvm.compiler.used is an appending array of i8*/ptr; LLVM-C has no
// "append", so the array is rebuilt with the old entries first.
void RecordEmitter::finish() {
  if (!Functions.empty()) emitModuleRecord();
  if (Used.empty()) return;
  std::vector<LLVMValueRef> Elems;
  if (LLVMValueRef Old = LLVMGetNamedGlobal(M, "llvm.compiler.used")) {
    if (LLVMValueRef Init = LLVMGetInitializer(Old))
      for (int I = 0, N = LLVMGetNumOperands(Init); I < N; ++I)
        Elems.push_back(LLVMConstPointerCast(LLVMGetOperand(Init, I), Ptr));
    LLVMDeleteGlobal(Old);
  }
  for (LLVMValueRef GV : Used) Elems.push_back(LLVMConstPointerCast(GV, Ptr));
  Used.clear();

  LLVMValueRef Init = constArray(Ptr, Elems.data(), Elems.size());
  LLVMValueRef GV = LLVMAddGlobal(M, LLVMTypeOf(Init), "llvm.compiler.used");
  LLVMSetInitializer(GV, Init);
  LLVMSetLinkage(GV, LLVMAppendingLinkage);
  LLVMSetSection(GV, "llvm.metadata");
}

} // namespace tprof
