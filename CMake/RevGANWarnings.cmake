# SPDX-License-Identifier: Apache-2.0
# Compiler warnings for the project's own targets (third-party headers come in as system headers).
# REVGAN_WERROR=ON (used by CI through README.md's test command) makes them errors, so that a
# warning cannot land unnoticed.
option(REVGAN_WERROR "Treat compiler warnings in the project's own code as errors" OFF)

function(revgan_enable_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra)
    if(REVGAN_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
