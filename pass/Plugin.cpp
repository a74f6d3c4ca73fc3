// Registration of the tprof pass with the new pass manager:
//   clang -fpass-plugin=tprof.so        (pipeline start: before inlining, at every -O level)
//   opt -load-pass-plugin=tprof.so -passes=tprof
#include "Compat.h"
#include "TprofPass.h"

#include "llvm/Passes/PassBuilder.h"
#include <cstdio>
#include <dlfcn.h>

using namespace llvm;

// A plugin loaded into a clang or opt of another major version fails in
// obscure ways (symbol errors, aborts). LLVMGetVersion exists from LLVM 16;
// its absence means the host is older.
static bool hostMatchesBuild(unsigned &HostMajor) {
  using GetVersionFn = void (*)(unsigned *, unsigned *, unsigned *);
  auto GetVersion = reinterpret_cast<GetVersionFn>(dlsym(RTLD_DEFAULT, "LLVMGetVersion"));
  if (!GetVersion) {
    HostMajor = 0; // older than 16
    return LLVM_VERSION_MAJOR < 16;
  }
  unsigned Minor = 0, Patch = 0;
  GetVersion(&HostMajor, &Minor, &Patch);
  return HostMajor == LLVM_VERSION_MAJOR;
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  unsigned HostMajor = 0;
  if (!hostMatchesBuild(HostMajor)) {
    std::fprintf(stderr,
                 "tprof: this tprof.so was built for LLVM %d but is loaded into LLVM %s; "
                 "use /usr/lib/llvm-%d/bin/clang (or opt), or rebuild tprof with "
                 "-DTPROF_LLVM_VERSION=<your clang's major version>\n",
                 LLVM_VERSION_MAJOR, HostMajor ? std::to_string(HostMajor).c_str() : "older than 16",
                 LLVM_VERSION_MAJOR);
    return {0, "tprof", "version-mismatch", nullptr};
  }
  return {LLVM_PLUGIN_API_VERSION, "tprof", "0.1.0", [](PassBuilder &PB) {
            PB.registerPipelineStartEPCallback(
                [](ModulePassManager &MPM, auto) { MPM.addPass(tprof::TprofPass()); });
            PB.registerPipelineParsingCallback(
                [](StringRef Name, ModulePassManager &MPM, ArrayRef<PassBuilder::PipelineElement>) {
                  if (Name != "tprof")
                    return false;
                  MPM.addPass(tprof::TprofPass());
                  return true;
                });
          }};
}
