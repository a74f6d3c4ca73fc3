#include "Operations.h"
#include "Compat.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include <cstdlib>

using namespace llvm;

namespace tprof {

static const char AnnotationTag[] = "tprof.operation";

static StringRef stringOf(const Value *V) {
  auto *GV = dyn_cast<GlobalVariable>(V->stripPointerCasts());
  if (!GV || !GV->hasInitializer())
    return "";
  auto *Data = dyn_cast<ConstantDataArray>(GV->getInitializer());
  return Data && Data->isCString() ? Data->getAsCString() : "";
}

OperationFinder::OperationFinder(Module &M) {
  const char *Env = std::getenv("TPROF_OP_PREFIX");
  Prefix = Env ? Env : "op_";

  // llvm.global.annotations = [ {ptr fn, ptr text, ptr file, i32 line, ptr args}, ... ]
  GlobalVariable *Annotations = M.getNamedGlobal("llvm.global.annotations");
  if (!Annotations || !Annotations->hasInitializer())
    return;
  auto *Entries = dyn_cast<ConstantArray>(Annotations->getInitializer());
  if (!Entries)
    return;
  for (const Use &U : Entries->operands()) {
    auto *Entry = dyn_cast<ConstantStruct>(U.get());
    if (!Entry || Entry->getNumOperands() < 2)
      continue;
    auto *F = dyn_cast<Function>(Entry->getOperand(0)->stripPointerCasts());
    StringRef Text = stringOf(Entry->getOperand(1));
    if (!F || !hasPrefix(Text, AnnotationTag))
      continue;
    StringRef Rest = Text.drop_front(sizeof(AnnotationTag) - 1);
    if (Rest.empty()) {
      StringRef Name = F->getName();
      if (!Prefix.empty() && hasPrefix(Name, Prefix) && Name.size() > Prefix.size())
        Name = Name.drop_front(Prefix.size());
      Annotated[F] = Name.str();
    } else if (hasPrefix(Rest, "=") && Rest.size() > 1) {
      Annotated[F] = Rest.drop_front(1).str();
    }
  }
}

std::string OperationFinder::operationName(const Function &F) const {
  auto It = Annotated.find(&F);
  if (It != Annotated.end())
    return It->second;
  StringRef Name = F.getName();
  if (!Prefix.empty() && hasPrefix(Name, Prefix) && Name.size() > Prefix.size())
    return Name.drop_front(Prefix.size()).str();
  return "";
}

} // namespace tprof
