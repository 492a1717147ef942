# SPDX-License-Identifier: Apache-2.0
# REVGAN_SANITIZE: AddressSanitizer and UndefinedBehaviorSanitizer on everything the project
# compiles (LibTorch and ITK themselves are not instrumented). REVGAN_FUZZERS adds libFuzzer's
# coverage instrumentation and the fuzz targets of Testing/Fuzz; it needs clang.
option(REVGAN_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(REVGAN_FUZZERS "Build the libFuzzer targets (clang; implies REVGAN_SANITIZE)" OFF)

if(REVGAN_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "REVGAN_FUZZERS needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  set(REVGAN_SANITIZE ON)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
if(REVGAN_SANITIZE)
  # Undefined behaviour stops the program, like an ASan report, so that a test cannot pass with it.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:SHELL:-include ${CMAKE_CURRENT_LIST_DIR}/ITKCompilerDetectionForClang.h>")
endif()
