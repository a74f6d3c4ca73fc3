# lit configuration of the tprof suite. Loaded from the build tree's
# lit.site.cfg.py, which sets the paths below.
import os
import sys

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

# Test features. Each is a fact that CMake found when configuring the build
# (test/CMakeLists.txt, written into lit.site.cfg.py as config.tprof_facts)
# or a property of the process running lit (root); nothing here probes the
# machine, runs or mounts anything. test/README.md lists the features.
facts = config.tprof_facts


def have(fact):
    value = facts[fact]
    return value not in ("", "0") and not value.endswith("-NOTFOUND")


def effective_capability(bit):
    # CAP_SYS_ADMIN lets root mount; a container's root often lacks it.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("CapEff:"):
                    return bool(int(line.split()[1], 16) >> bit & 1)
    except OSError:
        pass
    return False


CAP_SYS_ADMIN = 21
root = os.geteuid() == 0
# feature: (present, what provides it: named when TPROF_REQUIRE_FEATURES wants it)
test_features = {
    "strace": (have("strace"), "strace (apt-get install strace)"),
    "valgrind": (have("valgrind"), "valgrind (apt-get install valgrind)"),
    "callgrind_annotate": (have("callgrind_annotate"), "callgrind_annotate (apt-get install valgrind)"),
    "node": (have("node"), "node (apt-get install nodejs)"),
    "gcc": (have("gcc"), "gcc (apt-get install gcc)"),
    "csmith": (have("csmith") and have("csmith_include"), "csmith and its csmith.h (apt-get install csmith)"),
    "clang-format": (have("clang_format"), "clang-format-14 (apt-get install clang-format-14)"),
    "pandas": (have("pandas_python"), "pandas for %s or /usr/bin/python3 (apt-get install python3-pandas)"
               % config.python_executable),
    "speedscope": (have("speedscope"), "node, and npm's speedscope and jsdom in %s (apt-get install nodejs npm; "
                   "scripts/test.sh installs them)" % facts["npm_modules"]),
    "seed-guide": (have("seed_dir"), "the guide's seed files in %s"
                   % os.path.normpath(os.path.join(config.tprof_src_root, "..", "shared", "seed"))),
    "other-clang": (have("other_clang"), "a clang of another major version than %s (apt-get install clang-22)"
                    % config.llvm_version_major),
    "tprof-cli": (have("cli"), "the tprof command (configure with -DTPROF_BUILD_CLI=ON)"),
    "tprof-dsl": (have("dsl"), "tprof-dsl (configure with -DTPROF_BUILD_EXAMPLES=ON)"),
    "fuzzer": (have("fuzzer"), "the libFuzzer targets (configure with clang and -DTPROF_FUZZ=ON)"),
    # Tests that run a program as another user, or mount a small tmpfs to fill up.
    "root": (root and have("setpriv"), "running lit as root, and setpriv (apt-get install util-linux)"),
    "tmpfs-mount": (root and effective_capability(CAP_SYS_ADMIN) and have("mount") and have("umount"),
                    "running lit as root with CAP_SYS_ADMIN, and mount and umount (apt-get install mount)"),
    # lit can stop a test's processes (a per-test time limit, below) only
    # when the Python running it imports psutil.
    "test-time-limit": (lit_config.maxIndividualTestTimeIsSupported[0],
                        "psutil for the Python that runs lit, %s (apt-get install python3-psutil for "
                        "/usr/bin/python3, then configure again: test/CMakeLists.txt picks that Python)"
                        % sys.executable),
}
for feature, (present, _) in test_features.items():
    if present:
        config.available_features.add(feature)
# A test that hangs fails on its own, as TIMEOUT with what it printed,
# instead of stalling the whole run (CI gives it 90 minutes). The limit is a
# guard against a hang, not a deadline for slow progress: ten times the
# slowest test (pass/hard_corpus.test, ~2 minutes on 2 cores; lit keeps the
# times in test/.lit_test_times.txt of the build). TPROF_TEST_TIME_LIMIT
# (seconds) changes it, 0 turns it off; lit's --timeout overrides both.
try:
    time_limit = int(os.environ.get("TPROF_TEST_TIME_LIMIT", "1200"))
    if time_limit < 0:
        raise ValueError
except ValueError:
    lit_config.fatal("TPROF_TEST_TIME_LIMIT=%r: expected whole seconds (0: no limit)"
                     % os.environ["TPROF_TEST_TIME_LIMIT"])
if time_limit > 0 and lit_config.maxIndividualTestTime == 0:
    if "test-time-limit" in config.available_features:
        lit_config.maxIndividualTestTime = time_limit
    else:
        lit_config.note("no per-test time limit: a test that hangs stalls the run (%s)"
                        % test_features["test-time-limit"][1])
if have("seed_dir"):
    config.environment["TPROF_SEED_DIR"] = facts["seed_dir"]
if have("pandas_python"):
    config.substitutions.append(("%pandas_python", facts["pandas_python"]))
if have("csmith") and have("csmith_include"):
    config.substitutions.append(("%csmith_include", facts["csmith_include"]))
    config.substitutions.append(("%csmith", facts["csmith"]))
if have("other_clang"):
    config.substitutions.append(("%other_clang", facts["other_clang"]))
config.available_features.add("llvm-%s" % config.llvm_version_major)
config.substitutions.append(("%fuzz_seconds", os.environ.get("TPROF_FUZZ_SECONDS", "20")))
# runs of the signal stress tests (test/e2e/*_while_allocating.c); 500 is the stress acceptance
config.substitutions.append(("%stress_runs", os.environ.get("TPROF_STRESS_RUNS", "20")))

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
config.substitutions.insert(0, ("%tprof_cli", tprof_cli))
# speedscope's own import code (npm, installed by scripts/lib/deps.sh into
# build/npm): the tests that load converted files into the viewer.
config.substitutions.insert(0, ("%speedscope_import", "node %s %s" % (
    os.path.join(config.tprof_src_root, "test", "tools", "speedscope_import.js"), facts["npm_modules"])))

# A feature that a test needs and the machine lacks skips that test
# silently. TPROF_REQUIRE_FEATURES (space-separated; .ci/run sets it to the
# tools it installs) makes a missing one an error instead, so that a missing
# install step fails CI rather than hiding tests.
missing = [f for f in os.environ.get("TPROF_REQUIRE_FEATURES", "").split() if f not in config.available_features]
if missing:
    lit_config.fatal("required test features missing: %s (TPROF_REQUIRE_FEATURES; install the tools "
                     "that provide them, see .ci/run, then configure %s again: CMake finds them)\n%s"
                     % (" ".join(missing), config.tprof_obj_root, "\n".join(
                         "  %s: needs %s" % (f, test_features[f][1] if f in test_features else "nothing: not a feature of this configuration")
                         for f in missing)))
