// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "CommandLineModule.h"

namespace revgan
{

/// The parameters of each application, in one place for the program itself, its `--help`, and
/// the 3D Slicer modules built from it (SlicerModules.h). Compiled without ITK or LibTorch, so a
/// Slicer module answers `--xml` without loading them.
CommandLineModule
describeTranslate();
CommandLineModule
describeEvaluate();
CommandLineModule
describeTrain();
CommandLineModule
describePrepare();
CommandLineModule
describeFigure();

} // namespace revgan
