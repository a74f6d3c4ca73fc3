// Registration of the tprof pass with the new pass manager:
//   clang -fpass-plugin=tprof.so        (pipeline start: before inlining, at every -O level)
//   opt -load-pass-plugin=tprof.so -passes=tprof   (both module passes below, one after the other)
//   opt -load-pass-plugin=tprof.so -passes=tprof-allocations
//   opt -load-pass-plugin=tprof.so -passes='function(tprof-lower-counters)'
//   opt -load-pass-plugin=tprof.so -passes='function(tprof-entered-slots)'
// Allocation redirection (Allocations.h) and counter lowering
// (CounterLowering.cpp) run at the end of the pipeline.
#include "Compat.h"
#include "CounterLowering.h"
#include "EnteredSlots.h"
#include "Guards.h"
#include "TprofPass.h"
#include "Allocations.h"

#include TPROF_PASS_PLUGIN_H
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Scalar/EarlyCSE.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include <cstdio>
#include <dlfcn.h>
#include <string>

using namespace llvm;

namespace {

struct TprofPass : PassInfoMixin<TprofPass> {
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    return tprof::instrumentModule(wrap(&M)) ? PreservedAnalyses::none() : PreservedAnalyses::all();
  }
  // Without this, -O0's optnone functions would be skipped.
  static bool isRequired() { return true; }
};

// After the optimiser has removed or merged what allocation calls it would
// without tprof (Allocations.h).
struct TprofRedirectAllocations : PassInfoMixin<TprofRedirectAllocations> {
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    return tprof::redirectAllocations(wrap(&M)) ? PreservedAnalyses::none() : PreservedAnalyses::all();
  }
  static bool isRequired() { return true; }
};

struct TprofLowerCounters : PassInfoMixin<TprofLowerCounters> {
  bool CleanUp; // -O1 and above: EarlyCSE then reads glibc's flag once between calls (branch form)
  explicit TprofLowerCounters(bool CleanUp = false) : CleanUp(CleanUp) {}
  PreservedAnalyses run(Function &F, FunctionAnalysisManager &AM) {
    if (!tprof::hasCounterUpdates(F)) // most functions of a module without loops pay one scan
      return PreservedAnalyses::all();
    if (tprof::mayHaveLoop(F)) {
      DominatorTree &DT = AM.getResult<DominatorTreeAnalysis>(F);
      tprof::promoteLoopCounters(F, DT, AM.getResult<LoopAnalysis>(F),
                                 [&]() -> ScalarEvolution & { return AM.getResult<ScalarEvolutionAnalysis>(F); });
    }
    tprof::lowerCounterUpdates(F);
    AM.invalidate(F, PreservedAnalyses::none());
    if (CleanUp && !F.hasOptNone() && !tprof::lowersToAsm(*F.getParent()))
      EarlyCSEPass(/*UseMemorySSA=*/true).run(F, AM);
    return PreservedAnalyses::none();
  }
  // -O0's optnone functions get plain adds too.
  static bool isRequired() { return true; }
};

// After the counter lowering, whose EarlyCSE would forward a slot's store
// to its loads (EnteredSlots.h).
struct TprofEnteredSlots : PassInfoMixin<TprofEnteredSlots> {
  PreservedAnalyses run(Function &F, FunctionAnalysisManager &) {
    return tprof::keepEnteredOnStack(F) ? PreservedAnalyses::none() : PreservedAnalyses::all();
  }
  static bool isRequired() { return true; }
};

// A plugin loaded into a clang or opt of another major version fails in
// obscure ways (symbol errors, aborts, crashes). LLVMGetVersion exists from
// LLVM 16; its absence means the host is older.
bool hostMatchesBuild(unsigned &HostMajor) {
  using GetVersionFn = void (*)(unsigned *, unsigned *, unsigned *);
  auto GetVersion = reinterpret_cast<GetVersionFn>(dlsym(RTLD_DEFAULT, "LLVMGetVersion"));
  if (!GetVersion) {
    HostMajor = 0;
    return LLVM_VERSION_MAJOR < 16;
  }
  unsigned Minor = 0, Patch = 0;
  GetVersion(&HostMajor, &Minor, &Patch);
  return HostMajor == LLVM_VERSION_MAJOR;
}

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  unsigned HostMajor = 0;
  if (!hostMatchesBuild(HostMajor)) {
    std::string Host = HostMajor ? std::to_string(HostMajor) : "older than 16";
    std::fprintf(stderr,
                 "tprof: this tprof.so was built for LLVM %d but is loaded into LLVM %s; "
                 "use /usr/lib/llvm-%d/bin/clang (or opt), or rebuild tprof with "
                 "-DTPROF_LLVM_VERSION=<your clang's major version>\n",
                 LLVM_VERSION_MAJOR, Host.c_str(), LLVM_VERSION_MAJOR);
    // API version 0 makes the host refuse the plugin with its own error.
    return {0, "tprof", "version-mismatch", nullptr};
  }
  return {LLVM_PLUGIN_API_VERSION, "tprof", TPROF_VERSION, [](PassBuilder &PB) {
            PB.registerPipelineStartEPCallback([](ModulePassManager &MPM, auto) { MPM.addPass(TprofPass()); });
            // After inlining and loop optimisation: counters of loops whose
            // calls were all inlined, then plain adds without threads; the
            // checked entries' values put in stack slots (EnteredSlots.h).
            PB.registerOptimizerLastEPCallback([](ModulePassManager &MPM, auto Level, auto...) {
              MPM.addPass(TprofRedirectAllocations());
              FunctionPassManager FPM;
              FPM.addPass(TprofLowerCounters(Level != OptimizationLevel::O0));
              FPM.addPass(TprofEnteredSlots());
              MPM.addPass(createModuleToFunctionPassAdaptor(std::move(FPM)));
            });
            PB.registerPipelineParsingCallback(
                [](StringRef Name, ModulePassManager &MPM, ArrayRef<PassBuilder::PipelineElement>) {
                  if (Name == "tprof") {
                    MPM.addPass(TprofPass());
                    MPM.addPass(TprofRedirectAllocations());
                  } else if (Name == "tprof-allocations") {
                    MPM.addPass(TprofRedirectAllocations());
                  } else {
                    return false;
                  }
                  return true;
                });
            PB.registerPipelineParsingCallback(
                [](StringRef Name, FunctionPassManager &FPM, ArrayRef<PassBuilder::PipelineElement>) {
                  if (Name == "tprof-lower-counters")
                    FPM.addPass(TprofLowerCounters());
                  else if (Name == "tprof-entered-slots")
                    FPM.addPass(TprofEnteredSlots());
                  else
                    return false;
                  return true;
                });
          }};
}
