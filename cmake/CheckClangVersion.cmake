# tprof_check_clang_version(<clang path> <variable name>)
# Stops configuration when a clang that will compile instrumented code has a
# major version other than the LLVM the plugin is built against: such a clang
# rejects or crashes on the plugin.
function(tprof_check_clang_version clang var)
  if(NOT EXISTS "${clang}")
    message(FATAL_ERROR
      "tprof: ${var}=${clang} does not exist. Install clang-${LLVM_VERSION_MAJOR} "
      "(apt-get install clang-${LLVM_VERSION_MAJOR}) or set -D${var}=<path to clang ${LLVM_VERSION_MAJOR}>.")
  endif()
  execute_process(COMMAND "${clang}" --version OUTPUT_VARIABLE out ERROR_QUIET)
  string(REGEX MATCH "clang version ([0-9]+)" _m "${out}")
  set(major "${CMAKE_MATCH_1}")
  if(NOT major STREQUAL "${LLVM_VERSION_MAJOR}")
    message(FATAL_ERROR
      "tprof: ${var}=${clang} is clang ${major}, but the pass plugin is built against LLVM ${LLVM_VERSION_MAJOR}; "
      "a plugin loads only into a clang of its own major version.\n"
      "Use ${LLVM_TOOLS_BINARY_DIR}/clang (for example -DCMAKE_C_COMPILER=${LLVM_TOOLS_BINARY_DIR}/clang), "
      "or build against LLVM ${major} with -DTPROF_LLVM_VERSION=${major}.")
  endif()
endfunction()
