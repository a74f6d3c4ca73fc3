// Why a stack slot. The checked entry's value lives from the entry to every
// exit: left in a register, the allocator keeps it in a callee-saved one
// across the whole body, which the body's own loops then miss (the grid
// bench's grid_extract_objects spilled its loop's label: +5.6% instructions
// with the profile off). In a slot it costs one store at the entry and one
// load at each exit, and holds no register.
//
// Why this late. Done by the pass at the start of the pipeline, the slot
// had to be volatile to survive mem2reg, and the volatile accesses cost
// the -O2 compile 2% more instructions (bench/gen_fair_tu.py, callgrind).
// Here no pass that promotes allocas runs after it (an LTO link that
// optimises again may put the value back in a register: only the cost
// changes, never what is counted).
#include "EnteredSlots.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"

#include <vector>

using namespace llvm;

namespace tprof {

static bool isCheckedEntry(const Instruction &I) {
  const auto *Call = dyn_cast<CallInst>(&I);
  const Function *Callee = Call ? Call->getCalledFunction() : nullptr;
  if (!Callee || Callee->getName() != "__tprof_func_enter_checked" || Call->use_empty()) return false;
  // Its only use the store into its slot: done already (a second run).
  return !(Call->hasOneUse() && isa<StoreInst>(*Call->user_begin()));
}

bool keepEnteredOnStack(Function &F) {
  std::vector<CallInst *> Entries;
  for (BasicBlock &BB : F)
    for (Instruction &I : BB)
      if (isCheckedEntry(I)) Entries.push_back(cast<CallInst>(&I));
  if (Entries.empty()) return false;

  IRBuilder<> AtEntry(&F.getEntryBlock(), F.getEntryBlock().getFirstInsertionPt());
  IRBuilder<> Here(F.getContext());
  for (CallInst *Entry : Entries) {
    AllocaInst *Slot = AtEntry.CreateAlloca(Entry->getType(), nullptr, "tprof.entered.slot");
    std::vector<Use *> Uses;
    for (Use &U : Entry->uses()) Uses.push_back(&U);
    for (Use *U : Uses) {
      // A phi's value is read on the edge: the load goes at the end of the
      // block it comes from.
      auto *User = cast<Instruction>(U->getUser());
      auto *Phi = dyn_cast<PHINode>(User);
      Here.SetInsertPoint(Phi ? Phi->getIncomingBlock(*U)->getTerminator() : User);
      U->set(Here.CreateLoad(Entry->getType(), Slot, "tprof.entered.reload"));
    }
    Here.SetInsertPoint(Entry->getNextNode());
    Here.CreateStore(Entry, Slot);
  }
  return true;
}

} // namespace tprof
