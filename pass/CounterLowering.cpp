// The late half of tprof's counters. The pass emits each counter update
// as one relaxed atomic add (Guards.cpp) at the start of the pipeline, so
// that inlining sees a counted function about as small as its plain self.
// At the end of the pipeline (after inlining, loop optimisation and
// vectorisation) this file
//   1. keeps the counters of loops that call nothing in registers and adds
//      them to memory once, on every edge that leaves the loop; an update
//      that runs once per iteration of a loop with a known trip count is
//      instead added as that count, on the loop's exit (foldTripCounts;
//      where the count is not known in advance, the iterations that an
//      induction variable counted),
//      as are the updates of a counter that together add the same amount
//      in every iteration, chosen by branches on values from outside the
//      loop (foldInvariantBranches), and a loop left with nothing to do is
//      deleted (isDeadAfterFolding);
//   2. turns the remaining updates into `if (__libc_single_threaded) plain
//      add; else atomic add`, one check per run of adjacent updates (on
//      x86-64 one inline-assembly statement per run, Guards.cpp).
//
// Why (1) is exact. Every way out of such a loop is a CFG edge: exit(),
// longjmp, raise() and every other call sit outside it (a block that never
// returns to the header is not part of the loop), so the flush runs before
// them. What cannot see the in-flight counts is code that runs *during* the
// loop without the loop's cooperation: a signal handler or another thread.
// Neither can tell how far the loop got unless the loop writes something
// they may read (a volatile or atomic object: C allows a handler nothing
// else), and a loop with a volatile or atomic access is left alone. So an
// export from a handler or another thread sees the counts of a moment that
// the program cannot tell from the real one, as LLVM itself may keep the
// program's own stores in registers.
//
// Why it pays. The grid DSL's loops call 2-line accessors (`at`, `set`) on
// every cell; after inlining, each iteration paid a branch on
// __libc_single_threaded and a read-modify-write of memory per call, which
// was most of the "compiled in but off" cost.
#include "CounterLowering.h"
#include "Compat.h"
#include "Guards.h"

#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ScalarEvolutionExpressions.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/LoopSimplify.h"
#include "llvm/Transforms/Utils/LoopUtils.h"
#include "llvm/Transforms/Utils/PromoteMemToReg.h"
#include "llvm/Transforms/Utils/ScalarEvolutionExpander.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

using namespace llvm;

namespace tprof {

namespace {

// Intrinsics that neither run the program's code nor let another thread or
// handler synchronise with the loop.
bool isHarmlessIntrinsic(const IntrinsicInst &II) {
  if (isa<DbgInfoIntrinsic>(II)) return true;
  if (auto *MI = dyn_cast<MemIntrinsic>(&II)) return !MI->isVolatile();
  switch (II.getIntrinsicID()) {
  case Intrinsic::lifetime_start:
  case Intrinsic::lifetime_end:
  case Intrinsic::assume:
  case Intrinsic::experimental_noalias_scope_decl:
  case Intrinsic::prefetch:
    return true;
  default:
    return II.doesNotAccessMemory() && !II.mayHaveSideEffects();
  }
}

// Whether a counter update may move from before I to after it: I neither
// runs other code (a call: it may export, exit, longjmp or count) nor lets
// another thread or a signal handler synchronise with this one (a volatile
// or atomic access of the program, a fence). As for a promoted loop (top of
// this file), nothing else can tell where between two such points the
// counter was bumped; and by the IR's rules nothing in between traps in a
// program without undefined behaviour. The one rule for both: a promoted
// loop holds only such instructions, and a run of updates ends at the
// first other one.
bool countersMayCross(const Instruction &I) {
  if (auto *Call = dyn_cast<CallBase>(&I)) {
    auto *II = dyn_cast<IntrinsicInst>(Call);
    return II && isHarmlessIntrinsic(*II);
  }
  if (auto *LI = dyn_cast<LoadInst>(&I))
    return (LI->isUnordered() && !LI->isVolatile()) || isTprofAccess(I); // or a flag's
  if (auto *SI = dyn_cast<StoreInst>(&I)) return SI->isUnordered() && !SI->isVolatile();
  return !I.mayHaveSideEffects();
}

// The loop's counter updates, or false when the loop must keep its
// counters in memory: something in it may not be crossed (a call, a
// volatile or atomic access of the program, a fence).
bool collectUpdates(const Loop &L, std::vector<AtomicRMWInst *> &Updates) {
  for (BasicBlock *BB : L.blocks())
    for (Instruction &I : *BB) {
      // The counter's address (its record, or a select of two records) is
      // computed before the loop: the flush at the exits needs it there.
      if (isCounterUpdate(I) && L.isLoopInvariant(cast<AtomicRMWInst>(I).getPointerOperand())) {
        Updates.push_back(cast<AtomicRMWInst>(&I));
        continue;
      }
      if (!countersMayCross(I)) return false;
    }
  return true;
}

struct Candidate {
  Loop *L;
  std::vector<AtomicRMWInst *> Updates;
};

// The outermost loops that can be promoted: a loop that calls nothing has
// inner loops that call nothing, and flushing once per entry of the outer
// loop is cheapest.
// At the end of the pipeline loops have lost their simplified form (a
// preheader, exits reached only from the loop): a candidate gets it back.
void findCandidates(Loop *L, std::vector<Candidate> &Out, DominatorTree &DT, LoopInfo &LI) {
  std::vector<AtomicRMWInst *> Updates;
  if (collectUpdates(*L, Updates)) {
    if (Updates.empty()) return;
    // the whole nest: an inner loop's exit block is where its trip count
    // is added (foldTripCounts); a no-op on a simplified nest
    simplifyLoop(L, &DT, &LI, nullptr, nullptr, nullptr, /*PreserveLCSSA=*/false);
    if (L->getLoopPreheader() && L->hasDedicatedExits()) {
      Out.push_back({L, std::move(Updates)});
      return;
    }
  }
  // Copy: simplifying an inner loop must not disturb this iteration.
  std::vector<Loop *> Inner(L->getSubLoops().begin(), L->getSubLoops().end());
  for (Loop *In : Inner) findCandidates(In, Out, DT, LI);
}

// Whether block B runs exactly once in each iteration of Li, its
// innermost loop: every iteration ends at the latch, which is Li's only
// exiting block and which B dominates, and no cycle passes through B but
// through the header (an irreducible one would make it run twice; LoopInfo
// does not show those).
bool runsOncePerIteration(BasicBlock *B, Loop *Li, DominatorTree &DT) {
  BasicBlock *Latch = Li->getLoopLatch();
  if (!Latch || Li->getExitingBlock() != Latch || !DT.dominates(B, Latch)) return false;
  BasicBlock *Header = Li->getHeader();
  if (B == Header) return true;
  std::vector<BasicBlock *> Work(succ_begin(B), succ_end(B));
  std::map<BasicBlock *, bool> Seen;
  while (!Work.empty()) {
    BasicBlock *X = Work.back();
    Work.pop_back();
    if (X == B) return false;
    if (X == Header || !Li->contains(X) || Seen[X]) continue;
    Seen[X] = true;
    if (Seen.size() > 256) return false; /* a large body: not worth the search */
    Work.insert(Work.end(), succ_begin(X), succ_end(X));
  }
  return true;
}

// How often the latch of Li branches back, when the trip count can be
// added on Li's way out: its one exit block is reached from its latch
// alone, and ScalarEvolution knows the count without a division by a
// variable (a hardware divide, ~25 cycles, once per run of the loop, can
// cost more than the adds it saves; by a constant, an unrolled loop's
// count / 2, it is a shift or a multiply). Null otherwise.
const SCEV *foldableTakenCount(Loop *Li, ScalarEvolution &SE) {
  BasicBlock *Exit = Li->getUniqueExitBlock();
  if (!Exit || !Exit->getSinglePredecessor()) return nullptr;
  const SCEV *Taken = SE.getBackedgeTakenCount(Li);
  if (isa<SCEVCouldNotCompute>(Taken) || !Taken->getType()->isIntegerTy() ||
      Taken->getType()->getIntegerBitWidth() > 64 || SCEVExprContains(Taken, [](const SCEV *S) {
        auto *D = dyn_cast<SCEVUDivExpr>(S);
        return D && !isa<SCEVConstant>(D->getRHS());
      }))
    return nullptr;
  return Taken;
}

// A header phi of Li that counts its iterations, for a loop whose trip
// count ScalarEvolution cannot tell (its bound is loaded in every
// iteration: a store through an `unsigned char *`, such as a grid cell,
// may change it): an affine recurrence of Li by 1 or -1 that does not
// wrap (a 64-bit one cannot in practice), with its loop left only from
// the latch to an exit block of its own. On that exit, its value from the
// latch minus its start is the number of iterations run (iterationsOf).
struct CountingPhi {
  PHINode *Phi = nullptr;
  Loop *L = nullptr;
  bool Down = false; /* steps by -1 */
};
CountingPhi countingPhi(Loop *Li, ScalarEvolution &SE) {
  BasicBlock *Pre = Li->getLoopPreheader(), *Latch = Li->getLoopLatch(), *Exit = Li->getUniqueExitBlock();
  if (!Pre || !Latch || Li->getExitingBlock() != Latch || !Exit || Exit->getSinglePredecessor() != Latch) return {};
  for (PHINode &P : Li->getHeader()->phis()) {
    if (!P.getType()->isIntegerTy() || P.getType()->getIntegerBitWidth() > 64) continue;
    auto *AR = dyn_cast<SCEVAddRecExpr>(SE.getSCEV(&P));
    if (!AR || AR->getLoop() != Li || !AR->isAffine()) continue;
    auto *Step = dyn_cast<SCEVConstant>(AR->getStepRecurrence(SE));
    if (!Step || !(Step->getAPInt().isOne() || (-Step->getAPInt()).isOne())) continue;
    if (P.getType()->getIntegerBitWidth() < 64 && !AR->hasNoUnsignedWrap() && !AR->hasNoSignedWrap()) continue;
    return {&P, Li, !Step->getAPInt().isOne()};
  }
  return {};
}

// The iterations that the loop of C ran, as an i64, computed with B on
// the loop's exit (reached from the latch alone, which the phi's value
// from the latch dominates): the difference fits the phi's width, which
// it does not wrap. Passed through a one-element vector, which
// ScalarEvolution does not model and instruction selection removes: seen
// as the induction variable's value times the amount, it was made into a
// new induction variable by the code generator's loop strength reduction,
// an add per iteration again (spilled, in the grid bench's `rotate`: its
// instructions +27%). A freeze does not hide it (code generation moves
// freezes of induction variables to their start).
Value *iterationsOf(const CountingPhi &C, IRBuilder<> &B) {
  Value *Start = C.Phi->getIncomingValueForBlock(C.L->getLoopPreheader());
  Value *Next = C.Phi->getIncomingValueForBlock(C.L->getLoopLatch());
  Value *Run = B.CreateZExtOrBitCast(C.Down ? B.CreateSub(Start, Next) : B.CreateSub(Next, Start), B.getInt64Ty());
  Value *Hidden = B.CreateBitCast(Run, FixedVectorType::get(B.getInt64Ty(), 1));
  return B.CreateBitCast(Hidden, B.getInt64Ty(), "tprof.iterations");
}

// An update that runs once per iteration of a loop whose trip count
// ScalarEvolution knows is replaced by one update of (amount x trips) on
// the loop's exit, and so on outwards while the sum itself runs once per
// iteration of the enclosing loop: a loop over a grid's cells that calls
// `at` and `set` adds rows x cols once, where it added 1 per call (in a
// register, but that register and its add are an induction variable the
// loop did not have: the grid bench's "compiled in but off" cost was
// mostly these). Where ScalarEvolution knows no trip count but the loop
// counts its iterations with an induction variable (countingPhi), the
// iterations it ran are taken from that on the exit; as that is a value of
// the loop's, nothing folds further out. Exact: the loop calls nothing (a
// candidate's), so every way out is the exit edge, as for a promoted
// counter (top of this file). Returns the update that replaces U (U itself
// when nothing folds); it lies in L (promoted with the others) or on L's
// exit.
AtomicRMWInst *foldTripCounts(AtomicRMWInst *U, Loop *L, ScalarEvolution &SE, SCEVExpander &Expander, DominatorTree &DT,
                              LoopInfo &LI) {
  Type *I64 = Type::getInt64Ty(U->getContext());
  if (!U->getValOperand()->getType()->isIntegerTy(64)) return U;
  const SCEV *Amount = SE.getSCEV(U->getValOperand());
  BasicBlock *At = U->getParent(); /* where the sum is known: U's block until a fold moves it out */
  CountingPhi Counting; /* the last fold's trips when ScalarEvolution knew no count: its loop's counting phi */
  for (Loop *Li = LI.getLoopFor(At); Li && (Li == L || L->contains(Li)); Li = LI.getLoopFor(At)) {
    const SCEV *Taken = foldableTakenCount(Li, SE);
    CountingPhi Phi = Taken ? CountingPhi() : countingPhi(Li, SE);
    if ((!Taken && !Phi.Phi) || !runsOncePerIteration(At, Li, DT) || !SE.isLoopInvariant(Amount, Li)) break;
    At = Li->getUniqueExitBlock();
    if (Phi.Phi) { /* a value of this loop's: nothing folds further out */
      Counting = Phi;
      break;
    }
    Amount = SE.getMulExpr(Amount, SE.getAddExpr(SE.getZeroExtendExpr(Taken, I64), SE.getOne(I64)));
    if (!L->contains(At)) break;
  }
  if (At == U->getParent()) return U; /* nothing folded */
  Instruction *Where = &*At->getFirstInsertionPt();
  Value *Sum = Expander.expandCodeFor(Amount, I64, Where);
  if (Counting.Phi) {
    IRBuilder<> B(Where);
    Sum = B.CreateMul(Sum, iterationsOf(Counting, B), "tprof.trips");
  }
  AtomicRMWInst *Moved = emitAtomicAdd(Where, U->getPointerOperand(), Sum);
  U->eraseFromParent();
  return Moved;
}

// What one iteration of a loop adds to a counter, as a tree of selects on
// values from outside the loop over constant leaves (the updates' amounts
// are constants: a call's 1, or a block's sum of them). Nodes are shared by
// structure: equal amounts are the same node.
class IterationAmount {
  struct Node {
    uint64_t Leaf; // when Cond is null; else a select on Cond (on Cond == Case, a switch's):
    Value *Cond;
    ConstantInt *Case;
    unsigned True, False;
  };
  std::vector<Node> Nodes;
  std::map<uint64_t, unsigned> Leaves;
  std::map<std::tuple<Value *, ConstantInt *, unsigned, unsigned>, unsigned> Selects;

public:
  static constexpr unsigned MaxNodes = 64; /* more: a loop of many invariant branches, left alone */
  bool full() const { return Nodes.size() > MaxNodes; }
  unsigned leaf(uint64_t Amount) {
    auto [It, New] = Leaves.emplace(Amount, static_cast<unsigned>(Nodes.size()));
    if (New) Nodes.push_back({Amount, nullptr, nullptr, 0, 0});
    return It->second;
  }
  unsigned select(Value *Cond, ConstantInt *Case, unsigned True, unsigned False) {
    if (True == False) return True;
    auto [It, New] = Selects.emplace(std::make_tuple(Cond, Case, True, False), static_cast<unsigned>(Nodes.size()));
    if (New) Nodes.push_back({0, Cond, Case, True, False});
    return It->second;
  }
  unsigned plus(unsigned N, uint64_t Amount) {
    if (full()) return N;
    Node X = Nodes[N]; /* a copy: the calls below grow Nodes */
    if (!X.Cond) return leaf(X.Leaf + Amount);
    unsigned True = plus(X.True, Amount);
    return select(X.Cond, X.Case, True, plus(X.False, Amount));
  }
  // Whether N can be computed before Before, once for every run of loop L.
  bool availableBefore(unsigned N, Loop *L, Instruction *Before, DominatorTree &DT) const {
    const Node &X = Nodes[N];
    if (!X.Cond) return true;
    auto *I = dyn_cast<Instruction>(X.Cond);
    return L->isLoopInvariant(X.Cond) && (!I || DT.dominates(I, Before)) && availableBefore(X.True, L, Before, DT) &&
           availableBefore(X.False, L, Before, DT);
  }
  // The condition is frozen: a branch on poison that the loop never
  // reaches is no undefined behaviour, a select on it would be. One freeze
  // and one compare per condition: equal ones are not merged after this
  // lowering, which runs last.
  using CondCache = std::map<std::tuple<Instruction *, Value *, ConstantInt *>, Value *>;
  Value *expand(unsigned N, Instruction *Before, CondCache &Conds) const {
    const Node &X = Nodes[N];
    IRBuilder<> B(Before);
    if (!X.Cond) return B.getInt64(X.Leaf);
    Value *True = expand(X.True, Before, Conds), *False = expand(X.False, Before, Conds);
    Value *&Frozen = Conds[{Before, X.Cond, nullptr}];
    if (!Frozen) Frozen = B.CreateFreeze(X.Cond);
    Value *Cond = Frozen;
    if (X.Case) {
      Value *&Equal = Conds[{Before, X.Cond, X.Case}];
      if (!Equal) Equal = B.CreateICmpEQ(Frozen, X.Case);
      Cond = Equal;
    }
    return B.CreateSelect(Cond, True, False, "tprof.per_iteration");
  }
};

// What one iteration of Li adds to the counter of Updates (all in Li, of
// one counter), when that is the same in every iteration; false when not
// known. A block's amount is its own updates' plus what follows it to the
// end of the iteration: its successors' amount when they agree, whatever
// the branch, or a select on the branch's condition when that comes from
// outside the loop (the branch then goes the same way in every iteration;
// a switch's, a select per case).
// Worked out from the latch back to the header; Li is an innermost loop
// whose only way out is its latch.
bool perIterationAmount(Loop *Li, const std::vector<AtomicRMWInst *> &Updates, IterationAmount &Tree, unsigned &Root) {
  BasicBlock *Header = Li->getHeader(), *Latch = Li->getLoopLatch();
  if (!Latch || Li->getExitingBlock() != Latch || !Li->getSubLoops().empty()) return false;
  std::map<BasicBlock *, uint64_t> Own;
  for (AtomicRMWInst *U : Updates) {
    auto *A = dyn_cast<ConstantInt>(U->getValOperand());
    if (!A || A->getBitWidth() != 64) return false; /* a call's 1, or the sum of a block's: nothing else is met here */
    Own[U->getParent()] += A->getZExtValue();
  }
  unsigned Zero = Tree.leaf(0);
  // Depth first from the header, without the edges back to it: a block is
  // done once all that follows it is. A block met again while its own
  // successors are being walked is a cycle that LoopInfo does not show (an
  // irreducible one): given up.
  std::map<BasicBlock *, unsigned> Amount;
  std::map<BasicBlock *, bool> Open;
  std::vector<std::pair<BasicBlock *, unsigned>> Stack{{Header, 0}};
  Open[Header] = true;
  while (!Stack.empty()) {
    auto &[B, Next] = Stack.back();
    Instruction *Term = B->getTerminator();
    if (Next < Term->getNumSuccessors()) {
      BasicBlock *S = Term->getSuccessor(Next++);
      if (S == Header || !Li->contains(S) || Amount.count(S)) continue;
      if (Open[S]) return false;
      Open[S] = true;
      Stack.push_back({S, 0});
      continue;
    }
    std::vector<unsigned> After;
    for (BasicBlock *S : successors(B)) After.push_back(S == Header || !Li->contains(S) ? Zero : Amount.at(S));
    unsigned Rest = After.empty() ? Zero : After[0];
    if (std::any_of(After.begin(), After.end(), [&](unsigned A) { return A != Rest; })) {
      auto *Br = dyn_cast<BranchInst>(Term);
      auto *Sw = dyn_cast<SwitchInst>(Term);
      Value *Cond = Br && Br->isConditional() ? Br->getCondition() : Sw ? Sw->getCondition() : nullptr;
      if (!Cond || !Li->isLoopInvariant(Cond)) return false;
      if (Br) {
        Rest = Tree.select(Cond, nullptr, After[0], After[1]);
      } else { /* successor 0 is the default destination */
        Rest = After[0];
        for (auto &Case : Sw->cases())
          Rest = Tree.select(Cond, Case.getCaseValue(), After[Case.getSuccessorIndex()], Rest);
      }
    }
    auto Mine = Own.find(B);
    Amount[B] = Mine == Own.end() ? Rest : Tree.plus(Rest, Mine->second);
    if (Tree.full()) return false;
    Open[B] = false;
    Stack.pop_back();
  }
  Root = Amount.at(Header);
  return true;
}

// The updates of a counter in an innermost loop of L that do not each run
// once per iteration, but add the same amount in every iteration
// (perIterationAmount), become one update of that amount in the loop's
// header, computed before the loop: foldTripCounts then adds it times the
// trip count on the loop's way out. The grid bench's `flip` calls `at`
// from one of two call sites, chosen by an argument; `rotate` calls one of
// four `set`s: one register add per cell each, before. Done only where
// foldTripCounts will fold (a trip count known, or an induction variable
// that counts the iterations), and the amount is computed as far
// out in L's nest as what it reads allows. Exact as foldTripCounts is: the
// loop calls nothing, so every way out is the exit edge. Returns Updates
// with those replaced, in their order.
std::vector<AtomicRMWInst *> foldInvariantBranches(const std::vector<AtomicRMWInst *> &Updates, Loop *L,
                                                   ScalarEvolution &SE, DominatorTree &DT, LoopInfo &LI) {
  // Grouped by loop and counter, in the order first met (an order by
  // address would change the output from one compile to the next).
  std::vector<std::pair<Loop *, Value *>> Keys;
  std::map<std::pair<Loop *, Value *>, std::vector<AtomicRMWInst *>> Groups;
  for (AtomicRMWInst *U : Updates) {
    std::pair<Loop *, Value *> Key{LI.getLoopFor(U->getParent()), U->getPointerOperand()};
    auto &G = Groups[Key];
    if (G.empty()) Keys.push_back(Key);
    G.push_back(U);
  }
  std::map<AtomicRMWInst *, AtomicRMWInst *> Replaced; // the group's first update -> its replacement; the rest -> null
  IterationAmount::CondCache Conds;                    // shared by the groups computed at one place
  for (auto &Key : Keys) {
    Loop *Li = Key.first;
    const std::vector<AtomicRMWInst *> &G = Groups[Key];
    if (!Li || (!foldableTakenCount(Li, SE) && !countingPhi(Li, SE).Phi) || !Li->getLoopPreheader() ||
        std::all_of(G.begin(), G.end(), [&](AtomicRMWInst *U) { return runsOncePerIteration(U->getParent(), Li, DT); }))
      continue;
    IterationAmount Tree;
    unsigned Root;
    if (!perIterationAmount(Li, G, Tree, Root)) continue;
    Loop *At = Li;
    while (
        At != L && At->getParentLoop() && At->getParentLoop()->getLoopPreheader() &&
        Tree.availableBefore(Root, At->getParentLoop(), At->getParentLoop()->getLoopPreheader()->getTerminator(), DT))
      At = At->getParentLoop();
    Instruction *Before = At->getLoopPreheader()->getTerminator();
    if (!Tree.availableBefore(Root, Li, Before, DT)) continue;
    Value *PerIteration = Tree.expand(Root, Before, Conds);
    AtomicRMWInst *New = emitAtomicAdd(&*Li->getHeader()->getFirstInsertionPt(), Key.second, PerIteration);
    Replaced[G[0]] = New;
    for (size_t I = 1; I < G.size(); I++) Replaced[G[I]] = nullptr;
  }
  std::vector<AtomicRMWInst *> Out;
  for (AtomicRMWInst *U : Updates) {
    auto R = Replaced.find(U);
    if (R == Replaced.end()) {
      Out.push_back(U);
      continue;
    }
    if (R->second) Out.push_back(R->second);
    U->eraseFromParent();
  }
  return Out;
}

// Whether loop L, whose counters all folded into trip counts, now does
// nothing: no instruction with a side effect, no value used after it, and
// every loop of the nest with a known trip count (so it ends). Without
// tprof, LLVM deletes such a loop (a loop that only called a tiny leaf
// whose result it does not keep); the counter's update kept it until this
// lowering, which runs last.
bool isDeadAfterFolding(Loop *L, ScalarEvolution &SE) {
  if (!L->getLoopPreheader() || !L->getUniqueExitBlock()) return false;
  std::vector<Loop *> Nest{L};
  for (size_t I = 0; I < Nest.size(); I++) {
    if (isa<SCEVCouldNotCompute>(SE.getBackedgeTakenCount(Nest[I]))) return false;
    Nest.insert(Nest.end(), Nest[I]->begin(), Nest[I]->end());
  }
  for (BasicBlock *BB : L->blocks())
    for (Instruction &I : *BB) {
      if (I.mayHaveSideEffects() || I.isEHPad()) return false;
      for (User *U : I.users())
        if (!L->contains(cast<Instruction>(U)->getParent())) return false;
    }
  return true;
}

} // namespace

bool promoteLoopCounters(Function &F, DominatorTree &DT, LoopInfo &LI, function_ref<ScalarEvolution &()> GetSE) {
  std::vector<Candidate> Candidates;
  std::vector<Loop *> Top(LI.begin(), LI.end());
  for (Loop *L : Top) findCandidates(L, Candidates, DT, LI);
  if (Candidates.empty()) return false;

  // Trip counts first: an update that folds out of L leaves the candidate.
  // A block's updates of one counter by constants become one (an unrolled
  // loop has a copy of the call site's update per copy of its body): the
  // block holds nothing they may not cross (collectUpdates).
  ScalarEvolution &SE = GetSE();
  SCEVExpander Expander = makeSCEVExpander<SCEVExpander>(SE, F.getParent()->getDataLayout(), "tprof.trips");
  for (Candidate &C : Candidates) {
    std::map<std::pair<BasicBlock *, Value *>, AtomicRMWInst *> First;
    std::vector<AtomicRMWInst *> Merged;
    for (AtomicRMWInst *U : C.Updates) {
      AtomicRMWInst *&Into = First[{U->getParent(), U->getPointerOperand()}];
      auto *Add = dyn_cast<ConstantInt>(U->getValOperand());
      auto *Sum = Into ? dyn_cast<ConstantInt>(Into->getValOperand()) : nullptr;
      if (Add && Sum) {
        Into->setOperand(1, ConstantInt::get(Sum->getType(), Sum->getValue() + Add->getValue()));
        U->eraseFromParent();
        continue;
      }
      if (!Into) Into = U;
      Merged.push_back(U);
    }
    Merged = foldInvariantBranches(Merged, C.L, SE, DT, LI);
    std::vector<AtomicRMWInst *> Kept;
    for (AtomicRMWInst *U : Merged)
      if (AtomicRMWInst *Now = foldTripCounts(U, C.L, SE, Expander, DT, LI); C.L->contains(Now->getParent()))
        Kept.push_back(Now);
    C.Updates = std::move(Kept);
    if (C.Updates.empty() && isDeadAfterFolding(C.L, SE)) {
      deleteDeadLoop(C.L, &DT, &SE, &LI);
      C.L = nullptr; /* gone: no update left to promote */
    }
  }

  // The function's block order: a candidate's updates are listed by the
  // loop's blocks, which LoopInfo keeps in an order of its own (an inner
  // loop's before its parent's header).
  std::map<const BasicBlock *, unsigned> Layout;
  for (BasicBlock &BB : F) Layout.emplace(&BB, static_cast<unsigned>(Layout.size()));

  Type *I64 = Type::getInt64Ty(F.getContext());
  IRBuilder<> Entry(&*F.getEntryBlock().getFirstInsertionPt());
  std::vector<AllocaInst *> Slots;
  struct Flush {
    Instruction *Before; // the exit's first instruction before any flush: they keep the order they are listed in
    Value *Counter;
    AllocaInst *Slot;
  };
  std::vector<Flush> Flushes;
  for (Candidate &C : Candidates) {
    if (C.Updates.empty()) continue; /* all folded into trip counts */
    // Looked up by counter, flushed in the order of their first updates in
    // the function: an order by address changed the object file from one
    // compile of the same source to the next.
    std::stable_sort(C.Updates.begin(), C.Updates.end(), [&](AtomicRMWInst *X, AtomicRMWInst *Y) {
      return Layout[X->getParent()] < Layout[Y->getParent()];
    });
    std::map<Value *, AllocaInst *> Slot;
    std::vector<std::pair<Value *, AllocaInst *>> InOrder;
    for (AtomicRMWInst *U : C.Updates) {
      AllocaInst *&A = Slot[U->getPointerOperand()];
      if (!A) {
        A = Entry.CreateAlloca(I64, nullptr, "tprof.pending");
        Slots.push_back(A);
        InOrder.emplace_back(U->getPointerOperand(), A);
        IRBuilder<> Pre(C.L->getLoopPreheader()->getTerminator());
        Pre.CreateStore(ConstantInt::get(I64, 0), A);
      }
      IRBuilder<> B(U);
      B.CreateStore(B.CreateAdd(B.CreateLoad(I64, A), U->getValOperand()), A);
      U->eraseFromParent();
    }
    SmallVector<BasicBlock *, 4> Exits;
    C.L->getUniqueExitBlocks(Exits);
    for (BasicBlock *Exit : Exits)
      for (auto &[Counter, A] : InOrder) Flushes.push_back({&*Exit->getFirstInsertionPt(), Counter, A});
  }
  for (Flush &Fl : Flushes) {
    IRBuilder<> B(Fl.Before);
    emitAtomicAdd(Fl.Before, Fl.Counter, B.CreateLoad(I64, Fl.Slot));
  }
  DominatorTree Now(F); // the flushes split blocks
  PromoteMemToReg(Slots, Now);
  return true;
}

// The updates of a block between two points that counters may not cross
// make one run, lowered at its last update (the updates before it move
// down to it: their counters and amounts are defined by then). One check of
// glibc's flag per run instead of one per group of adjacent updates: a
// function whose inlined callees each began with their count paid a check
// for each, and every check is an inline-assembly statement to compile.
bool lowerCounterUpdates(Function &F) {
  std::vector<std::vector<AtomicRMWInst *>> Runs;
  for (BasicBlock &BB : F) {
    std::vector<AtomicRMWInst *> Run;
    for (Instruction &I : BB) {
      if (isCounterUpdate(I)) {
        Run.push_back(cast<AtomicRMWInst>(&I));
      } else if (!countersMayCross(I) && !Run.empty()) {
        Runs.push_back(std::move(Run));
        Run.clear();
      }
    }
    if (!Run.empty()) Runs.push_back(std::move(Run));
  }
  for (auto &Run : Runs) lowerCounterUpdates(Run);
  return !Runs.empty();
}

bool hasCounterUpdates(const Function &F) {
  for (const BasicBlock &BB : F)
    for (const Instruction &I : BB)
      if (isCounterUpdate(I)) return true;
  return false;
}

bool mayHaveLoop(const Function &F) {
  std::map<const BasicBlock *, unsigned> Position;
  for (const BasicBlock &BB : F) Position.emplace(&BB, Position.size());
  for (const BasicBlock &BB : F)
    for (const BasicBlock *Succ : successors(&BB))
      if (Position[Succ] <= Position[&BB]) return true;
  return false;
}

} // namespace tprof
