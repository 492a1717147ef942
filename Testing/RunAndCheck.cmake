# SPDX-License-Identifier: Apache-2.0
# Runs a command and checks what it did.
#   cmake [-DEXPECT_EXIT=<status>] [-DEXPECT_OUTPUT=<regex>] [-DEXPECTED_FILE=<file>]
#         -P RunAndCheck.cmake -- <command> <args...>
# EXPECT_EXIT: the exit status; EXPECT_OUTPUT: a regular expression that stdout and stderr together
# must match; EXPECTED_FILE: a file whose content stdout must equal exactly.
set(command)
set(collect OFF)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(collect)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif("${CMAKE_ARGV${i}}" STREQUAL "--")
    set(collect ON)
  endif()
endforeach()
if(NOT command)
  message(FATAL_ERROR "RunAndCheck: no command given after --")
endif()

execute_process(COMMAND ${command} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(output "${out}${err}")
if(DEFINED EXPECTED_FILE)
  file(READ "${EXPECTED_FILE}" expected)
  if(NOT out STREQUAL expected)
    message(FATAL_ERROR "RunAndCheck: output of '${command}' differs from ${EXPECTED_FILE}; regenerate it")
  endif()
else()
  message("${output}")
endif()
if(DEFINED EXPECT_EXIT AND NOT "${status}" STREQUAL "${EXPECT_EXIT}")
  message(FATAL_ERROR "RunAndCheck: exit status ${status}, expected ${EXPECT_EXIT}")
endif()
if(DEFINED EXPECT_OUTPUT AND NOT output MATCHES "${EXPECT_OUTPUT}")
  message(FATAL_ERROR "RunAndCheck: output does not match '${EXPECT_OUTPUT}'")
endif()
