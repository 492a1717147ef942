# SPDX-License-Identifier: Apache-2.0
# Fails, listing the files, if a source file of the project lacks the SPDX line of its licence
# ("SPDX-License-Identifier: Apache-2.0", LICENSE) in its first three lines. Run by the ctest
# `style.license-lines`:
#   cmake -DSOURCE_DIR=... -P CheckLicenseLines.cmake
set(folders .ci Applications CMake Data Examples Modules Testing Utilities Wrapping)
set(patterns *.c *.cpp *.cxx *.h *.hxx *.py *.sh *.cmake *.cmake.in CMakeLists.txt)
set(sources "${SOURCE_DIR}/CMakeLists.txt" "${SOURCE_DIR}/.ci/run")
foreach(folder ${folders})
  set(globs)
  foreach(pattern ${patterns})
    list(APPEND globs "${SOURCE_DIR}/${folder}/${pattern}")
  endforeach()
  file(GLOB_RECURSE found LIST_DIRECTORIES false ${globs})
  list(APPEND sources ${found})
endforeach()
# Data, not sources: the fuzzers' inputs.
list(FILTER sources EXCLUDE REGEX "/Testing/Fuzz/corpus/")
list(REMOVE_DUPLICATES sources)
list(LENGTH sources count)
if(count LESS 100)
  message(FATAL_ERROR "only ${count} sources found under ${SOURCE_DIR}")
endif()
set(missing)
foreach(source ${sources})
  file(STRINGS "${source}" head LIMIT_COUNT 3)
  if(NOT head MATCHES "SPDX-License-Identifier: Apache-2.0")
    file(RELATIVE_PATH relative "${SOURCE_DIR}" "${source}")
    list(APPEND missing "${relative}")
  endif()
endforeach()
if(missing)
  list(JOIN missing "\n  " listed)
  message(FATAL_ERROR "these sources lack the line 'SPDX-License-Identifier: Apache-2.0' in their first three "
                      "lines (after a #! line, as a comment):\n  ${listed}")
endif()
message(STATUS "${count} sources carry the SPDX line of the licence")
