#include "Records.h"
#include "Compat.h"

#include "tprof/abi.h"

#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Instruction.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace llvm;

namespace tprof {

RecordEmitter::RecordEmitter(Module &M) : M(M) {
  LLVMContext &C = M.getContext();
  Type *I32 = Type::getInt32Ty(C), *P = bytePtrTy(C);
  FuncTy = StructType::get(C, {I32, I32, I32, I32, P, P, P});
  SiteTy = StructType::get(C, {I32, I32, I32, I32, P, P});
}

Constant *RecordEmitter::string(StringRef S) {
  auto It = Strings.find(S);
  if (It != Strings.end())
    return It->second;
  Constant *Init = ConstantDataArray::getString(M.getContext(), S);
  auto *GV = new GlobalVariable(M, Init->getType(), /*isConstant=*/true, GlobalValue::PrivateLinkage,
                                Init, "__tprof_str");
  GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  GV->setAlignment(Align(1));
  Constant *Ptr = ConstantExpr::getPointerCast(GV, bytePtrTy(M.getContext()));
  Strings[S] = Ptr;
  return Ptr;
}

// The record must stay writable (the runtime stores the id in it) and must
// survive optimisation even though nothing in IR reads it.
static GlobalVariable *emitRecord(Module &M, StructType *Ty, ArrayRef<Constant *> Fields,
                                  StringRef Section, const Twine &Name) {
  auto *GV = new GlobalVariable(M, Ty, /*isConstant=*/false, GlobalValue::PrivateLinkage,
                                ConstantStruct::get(Ty, Fields), Name);
  GV->setSection(Section);
  GV->setAlignment(Align(8));
  return GV;
}

Constant *RecordEmitter::functionRecord(Function &F, StringRef OpName) {
  LLVMContext &C = M.getContext();
  Type *I32 = Type::getInt32Ty(C);
  unsigned Line = 0;
  std::string File = M.getSourceFileName();
  if (DISubprogram *SP = F.getSubprogram()) {
    Line = SP->getLine();
    File = SP->getFilename().str();
  }
  Constant *Op = OpName.empty() ? ConstantPointerNull::get(bytePtrTy(C)) : string(OpName);
  uint32_t Flags = OpName.empty() ? 0 : TPROF_FUNC_OPERATION;
  GlobalVariable *GV = emitRecord(
      M, FuncTy,
      {ConstantInt::get(I32, TPROF_ABI_VERSION), ConstantInt::get(I32, Flags), ConstantInt::get(I32, Line),
       ConstantInt::get(I32, 0), string(F.getName()), Op, string(File)},
      "tprof_funcs", "__tprof_func." + F.getName());
  Used.push_back(GV);
  return ConstantExpr::getPointerCast(GV, bytePtrTy(C));
}

Constant *RecordEmitter::siteRecord(Function &F, Instruction &Call) {
  LLVMContext &C = M.getContext();
  Type *I32 = Type::getInt32Ty(C);
  unsigned Line = 0, Column = 0;
  std::string File;
  if (const DebugLoc &DL = Call.getDebugLoc()) {
    Line = DL.getLine();
    Column = DL.getCol();
    if (auto *Scope = dyn_cast<DIScope>(DL.getScope()))
      File = Scope->getFilename().str();
  }
  GlobalVariable *GV = emitRecord(
      M, SiteTy,
      {ConstantInt::get(I32, TPROF_ABI_VERSION), ConstantInt::get(I32, Line), ConstantInt::get(I32, Column),
       ConstantInt::get(I32, 0), string(F.getName()), string(File)},
      "tprof_sites", "__tprof_site." + F.getName());
  Used.push_back(GV);
  return ConstantExpr::getPointerCast(GV, bytePtrTy(C));
}

void RecordEmitter::finish() {
  if (!Used.empty())
    appendToCompilerUsed(M, Used);
  Used.clear();
}

} // namespace tprof
