# cmake --install: the plugin, the runtime, the headers, a CMake package
# (find_package(tprof CONFIG) + tprof_instrument) and a pkg-config file.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS tprof_pass LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/tprof)
set_target_properties(tprof_rt_static PROPERTIES EXPORT_NAME rt)
set_target_properties(tprof_rt_shared PROPERTIES EXPORT_NAME rt_shared)
install(TARGETS tprof_rt_static tprof_rt_shared EXPORT tprofTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tprof DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT tprofTargets NAMESPACE tprof:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tprof)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/tprofConfig.cmake.in
  ${CMAKE_BINARY_DIR}/tprofConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tprof)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/tprofConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/tprofConfig.cmake ${CMAKE_BINARY_DIR}/tprofConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tprof)

# pkg-config has no relocation: the prefix is fixed at install time.
install(CODE "
  set(CMAKE_INSTALL_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(CMAKE_INSTALL_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
  set(TPROF_CLANG \"${TPROF_CLANG}\")
  set(LLVM_VERSION_MAJOR \"${LLVM_VERSION_MAJOR}\")
  set(PROJECT_VERSION \"${PROJECT_VERSION}\")
  configure_file(\"${PROJECT_SOURCE_DIR}/cmake/tprof.pc.in\" \"${CMAKE_BINARY_DIR}/tprof.pc\" @ONLY)
  file(INSTALL \"${CMAKE_BINARY_DIR}/tprof.pc\" DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig\")
")
