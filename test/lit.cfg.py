# lit configuration of the tprof suite. Loaded from the build tree's
# lit.site.cfg.py, which sets the paths below.
import os
import shutil
import subprocess

import lit.formats

config.name = "tprof (LLVM %s)" % config.llvm_version_major
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".ll", ".c", ".test"]
config.excludes = ["Inputs", "tools", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tprof_obj_root, "test")

lib_dir = os.path.join(config.tprof_obj_root, "lib")
plugin = os.path.join(lib_dir, "tprof.so")
include_dir = os.path.join(config.tprof_src_root, "include")
tools_dir = os.path.join(config.tprof_src_root, "test", "tools")

# LLVM's test tools (not, FileCheck, count) come first on PATH.
config.environment["PATH"] = os.pathsep.join([config.llvm_tools_dir, config.environment.get("PATH", os.environ.get("PATH", ""))])

# A profiled program must not pick up the caller's settings.
config.environment.pop("TPROF_OPTIONS", None)
config.environment.pop("TPROF_OP_PREFIX", None)
config.environment["PYTHONDONTWRITEBYTECODE"] = "1"

seed_dir = os.path.normpath(os.path.join(config.tprof_src_root, "..", "shared", "seed"))
if os.path.isdir(seed_dir):
    config.available_features.add("seed-guide")
    config.environment["TPROF_SEED_DIR"] = seed_dir
if shutil.which("strace"):
    config.available_features.add("strace")
# pandas for the fleet-analysis test: the test's Python, or Debian's
# python3-pandas (for /usr/bin/python3).
for candidate in (config.python_executable, "/usr/bin/python3"):
    if candidate and os.path.exists(candidate) and subprocess.call(
            [candidate, "-c", "import pandas"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
        config.available_features.add("pandas")
        config.substitutions.append(("%pandas_python", candidate))
        break
if shutil.which("node"):
    config.available_features.add("node")
if shutil.which("gcc"):
    config.available_features.add("gcc")
if shutil.which("valgrind"):
    config.available_features.add("valgrind")
config.available_features.add("llvm-%s" % config.llvm_version_major)
# libFuzzer targets, built with -DTPROF_FUZZ=ON
if all(os.path.exists(os.path.join(config.tprof_obj_root, "bin", t))
       for t in ("tprof_fuzz_options", "tprof_fuzz_metrics_reader")):
    config.available_features.add("fuzzer")
config.substitutions.append(("%fuzz_seconds", os.environ.get("TPROF_FUZZ_SECONDS", "20")))
# runs of the signal stress tests (test/e2e/*_while_allocating.c); 500 is the stress acceptance
config.substitutions.append(("%stress_runs", os.environ.get("TPROF_STRESS_RUNS", "20")))
# Tests that run a program as another user, or mount a small tmpfs to fill up.
if os.geteuid() == 0 and shutil.which("setpriv"):
    config.available_features.add("root")
    import subprocess, tempfile
    probe = tempfile.mkdtemp(prefix="tprof_tmpfs_probe")
    if subprocess.call(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
        subprocess.call(["umount", probe])
        config.available_features.add("tmpfs-mount")
    os.rmdir(probe)
if os.path.exists(os.path.join(config.tprof_obj_root, "bin", "tprof-dsl")):
    config.available_features.add("tprof-dsl")
# A clang of another major version, for the configure-time mismatch check.
for other in ("22", "19", "14"):
    other_clang = "/usr/lib/llvm-%s/bin/clang" % other
    if other != config.llvm_version_major and os.path.exists(other_clang):
        config.available_features.add("other-clang")
        config.substitutions.append(("%other_clang", other_clang))
        break

clang = config.tprof_clang
# A sanitized runtime needs the sanitizer runtime in every program that links it.
sanitize = getattr(config, "sanitize", "")
cc_flags = ""
if sanitize:
    cc_flags = " -fsanitize=%s -fno-sanitize-recover=all -fno-omit-frame-pointer" % sanitize
    config.name += " [%s]" % sanitize
    for s in sanitize.split(","):
        config.available_features.add("sanitizer-" + s)
    # Some tests leak on purpose; the programs' own leaks are not what we test here.
    config.environment["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=0"
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    config.environment["TSAN_OPTIONS"] = "halt_on_error=1:second_deadlock_stack=1:suppressions=%s" % os.path.join(
        config.tprof_src_root, "test", "tsan.supp")
opt = os.path.join(config.llvm_tools_dir, "opt")
py = config.python_executable

# Longest names first: lit substitutes in order and some names share prefixes.
config.substitutions += [
    # clang that loads the plugin, with the public header on the include path.
    ("%tprof_cc", "%s -fpass-plugin=%s -I%s%s" % (clang, plugin, include_dir, cc_flags)),
    # the runtime, static and shared.
    ("%tprof_rt_static", os.path.join(lib_dir, "libtprof_rt.a") + " -lpthread"),
    ("%tprof_rt_shared", "-L%s -ltprof_rt -Wl,-rpath,%s -lpthread" % (lib_dir, lib_dir)),
    ("%tprof_plugin", plugin),
    # clang without the plugin, with the sanitizers of the build: an
    # uninstrumented host that loads instrumented (sanitized) libraries.
    ("%host_cc", "%s%s" % (clang, cc_flags)),
    ("%tprof_include", include_dir),
    ("%unit_bin_dir", os.path.join(config.tprof_obj_root, "test", "unit")),
    # reads a file set with Python's json and csv modules (independent of tprof)
    ("%tpq", "%s %s" % (py, os.path.join(tools_dir, "tpq.py"))),
    ("%tpexpect", "%s %s" % (py, os.path.join(tools_dir, "tpexpect.py"))),
    # the call sections of a metrics file by name (call_graph, call_stacks, timeline)
    ("%calls_reader", "%s %s" % (py, os.path.join(tools_dir, "calls_reader.py"))),
    ("%run_signals_default", "%s %s" % (py, os.path.join(tools_dir, "run_signals_default.py"))),
    ("%guide_analysis", "%s %s" % (py, os.path.join(tools_dir, "guide_analysis.py"))),
    ("%tprof_src", config.tprof_src_root),
    ("%tprof_obj", config.tprof_obj_root),
    ("%llvm_major", config.llvm_version_major),
    ("%tprof_dsl", os.path.join(config.tprof_obj_root, "bin", "tprof-dsl")),
    ("%examples", os.path.join(config.tprof_src_root, "examples")),
    ("%python", py),
    # a value longer than any option accepts (output_dir holds 4095 bytes)
    ("%{LONG}", "output_dir=" + "x" * 4200),
    ("%opt_bin", opt),
    ("%opt", "%s -load-pass-plugin=%s" % (opt, plugin)),
    ("%clang", clang),
    ("%FileCheck", config.filecheck),
]

# The tprof command-line tool (tools/tprof) and what its tests check it with.
tprof_cli = os.path.join(config.tprof_obj_root, "bin", "tprof")
if os.path.exists(tprof_cli):
    config.available_features.add("tprof-cli")
config.substitutions.insert(0, ("%tprof_cli", tprof_cli))
# speedscope's own import code (npm, installed by scripts/lib/deps.sh into
# build/npm): the tests that load converted files into the viewer.
npm_modules = os.environ.get("TPROF_NPM_MODULES") or os.path.join(config.tprof_src_root, "build", "npm", "node_modules")
if shutil.which("node") and all(os.path.exists(os.path.join(npm_modules, p, "package.json")) for p in ("speedscope", "jsdom")):
    config.available_features.add("speedscope")
config.substitutions.insert(0, ("%speedscope_import", "node %s %s" % (
    os.path.join(config.tprof_src_root, "test", "tools", "speedscope_import.js"), npm_modules)))
if shutil.which("callgrind_annotate"):
    config.available_features.add("callgrind_annotate")
if shutil.which("clang-format-14"):
    config.available_features.add("clang-format")

# A feature that a test needs and the machine lacks skips that test
# silently. TPROF_REQUIRE_FEATURES (space-separated; .ci/run sets it to the
# tools it installs) makes a missing one an error instead, so that a missing
# install step fails CI rather than hiding tests.
missing = [f for f in os.environ.get("TPROF_REQUIRE_FEATURES", "").split() if f not in config.available_features]
if missing:
    lit_config.fatal("required test features missing: %s (TPROF_REQUIRE_FEATURES; install the tools "
                     "that provide them, see .ci/run)" % " ".join(missing))
