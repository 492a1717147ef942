// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "CommandLineModule.h"

#include <string>
#include <vector>

namespace revgan
{

/// \brief One 3D Slicer CLI module: a description for one kind of data, and the program that does
/// the work.
///
/// Slicer offers a volume selector by an image parameter's type (scalar, vector, tensor,
/// diffusion-weighted, label), so a program that handles every kind is offered as one module per
/// kind. A module is a small executable that answers `--xml` at once (it links neither ITK nor
/// LibTorch) and otherwise runs `program` with `fixedArguments` first, then Slicer's arguments.
struct SlicerModule
{
  std::string              executable;
  std::string              program;
  std::vector<std::string> fixedArguments;
  CommandLineModule        description;
};

/// Every module the toolkit installs for Slicer.
std::vector<SlicerModule>
slicerModules();

/// The module named `executable`; throws std::invalid_argument for an unknown name.
SlicerModule
findSlicerModule(const std::string & executable);

/// The whole of a module executable: `--xml` and `--help` answered from the description, other
/// command lines checked against it and handed to the program (execv, so Slicer sees the program's
/// progress, output and exit status). Errors are one line on stderr and exit status 1.
int
runSlicerModule(const std::string & executable, int argc, char ** argv);

} // namespace revgan
