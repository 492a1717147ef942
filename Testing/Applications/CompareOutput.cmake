# Runs a command and fails unless its standard output equals the content of EXPECTED_FILE.
#   cmake -DEXPECTED_FILE=<file> -P CompareOutput.cmake -- <command> <args...>
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
execute_process(COMMAND ${command} RESULT_VARIABLE status OUTPUT_VARIABLE output)
file(READ "${EXPECTED_FILE}" expected)
if(NOT status EQUAL 0 OR NOT output STREQUAL expected)
  message(FATAL_ERROR "output of '${command}' differs from ${EXPECTED_FILE}: regenerate it with "
                      "'<application> --xml > ${EXPECTED_FILE}'")
endif()
