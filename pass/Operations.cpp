#include "Operations.h"
#include "IRUtil.h"
#include "Records.h"

#include <cstdlib>

namespace tprof {

static const char AnnotationTag[] = "tprof.operation";

// Through the casts and GEPs that typed-pointer IR wraps around globals.
static LLVMValueRef stripConstantExprs(LLVMValueRef V) {
  while (V && LLVMIsAConstantExpr(V)) V = LLVMGetOperand(V, 0);
  return V;
}

// The C string a constant points at, or "" when it is not one.
static std::string cStringAt(LLVMValueRef V) {
  LLVMValueRef GV = stripConstantExprs(V);
  if (!GV || !LLVMIsAGlobalVariable(GV)) return "";
  LLVMValueRef Init = LLVMGetInitializer(GV);
  if (!Init || !LLVMIsConstantString(Init)) return "";
  size_t Len = 0;
  const char *S = LLVMGetAsString(Init, &Len);
  std::string Str(S, Len);
  return Str.substr(0, Str.find('\0'));
}

OperationFinder::OperationFinder(LLVMModuleRef M) {
  const char *Env = std::getenv("TPROF_OP_PREFIX");
  Prefix = Env ? Env : "op_";

  // clang puts annotate("...") of functions in
  // llvm.global.annotations = [ {fn, text, file, line[, args]}, ... ]
  LLVMValueRef Annotations = LLVMGetNamedGlobal(M, "llvm.global.annotations");
  LLVMValueRef Entries = Annotations ? LLVMGetInitializer(Annotations) : nullptr;
  if (!Entries) return;
  const std::string Tag = AnnotationTag;
  for (int I = 0, N = LLVMGetNumOperands(Entries); I < N; ++I) {
    LLVMValueRef Entry = LLVMGetOperand(Entries, I);
    if (!LLVMIsAConstantStruct(Entry) || LLVMGetNumOperands(Entry) < 2) continue;
    LLVMValueRef F = stripConstantExprs(LLVMGetOperand(Entry, 0));
    std::string Text = cStringAt(LLVMGetOperand(Entry, 1));
    if (!F || !LLVMIsAFunction(F) || !startsWith(Text, Tag)) continue;
    std::string Rest = Text.substr(Tag.size());
    if (Rest.empty())
      Annotated[F] = withoutPrefix(symbolName(F));
    else if (Rest.size() > 1 && Rest[0] == '=')
      Annotated[F] = Rest.substr(1);
  }
}

std::string OperationFinder::withoutPrefix(const std::string &Name) const {
  if (!Prefix.empty() && startsWith(Name, Prefix) && Name.size() > Prefix.size()) return Name.substr(Prefix.size());
  return Name;
}

std::string OperationFinder::operationName(LLVMValueRef F) const {
  auto It = Annotated.find(F);
  if (It != Annotated.end()) return It->second;
  std::string Name = symbolName(F);
  if (!Prefix.empty() && startsWith(Name, Prefix) && Name.size() > Prefix.size()) return Name.substr(Prefix.size());
  return "";
}

} // namespace tprof
