// SPDX-License-Identifier: Apache-2.0
// Included before every C++ file when the project is built with clang. Debian's ITK 5.2 was
// configured with GCC, and its itk_compiler_detection.h stops with "Unsupported compiler" for any
// other. clang implements what ITK asks of GCC 12 (the compiler Debian built ITK with), so the
// detection runs once here as if for GCC 12; its include guard keeps it from running again.
#if defined(__clang__) && __has_include(<itk_compiler_detection.h>)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wbuiltin-macro-redefined"
#pragma push_macro("__clang__")
#pragma push_macro("__GNUC__")
#pragma push_macro("__GNUC_MINOR__")
#undef __clang__
#undef __GNUC__
#undef __GNUC_MINOR__
#define __GNUC__ 12
#define __GNUC_MINOR__ 2
#include <itk_compiler_detection.h>
#pragma pop_macro("__GNUC_MINOR__")
#pragma pop_macro("__GNUC__")
#pragma pop_macro("__clang__")
#pragma clang diagnostic pop
#endif
