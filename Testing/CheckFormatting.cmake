# SPDX-License-Identifier: Apache-2.0
# Fails, listing the files, if clang-format (with the repository's .clang-format) would change any
# C or C++ source of the project. Run by the ctest `style.clang-format`:
#   cmake -DCLANG_FORMAT=... -DSOURCE_DIR=... -P CheckFormatting.cmake
set(folders Applications CMake Examples Modules Testing Wrapping)
set(sources)
foreach(folder ${folders})
  file(GLOB_RECURSE found LIST_DIRECTORIES false "${SOURCE_DIR}/${folder}/*.c" "${SOURCE_DIR}/${folder}/*.cpp"
    "${SOURCE_DIR}/${folder}/*.cxx" "${SOURCE_DIR}/${folder}/*.h" "${SOURCE_DIR}/${folder}/*.hxx")
  list(APPEND sources ${found})
endforeach()
list(LENGTH sources count)
if(count EQUAL 0)
  message(FATAL_ERROR "no sources found under ${SOURCE_DIR}")
endif()
set(unformatted)
foreach(source ${sources})
  execute_process(COMMAND "${CLANG_FORMAT}" --style=file --dry-run -Werror "${source}"
    RESULT_VARIABLE status OUTPUT_QUIET ERROR_QUIET)
  if(NOT status EQUAL 0)
    file(RELATIVE_PATH relative "${SOURCE_DIR}" "${source}")
    list(APPEND unformatted "${relative}")
  endif()
endforeach()
if(unformatted)
  list(JOIN unformatted "\n  " listed)
  message(FATAL_ERROR "clang-format would change these files (run clang-format -i on them):\n  ${listed}")
endif()
message(STATUS "${count} sources are formatted as .clang-format says")
