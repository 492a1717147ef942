// SPDX-License-Identifier: Apache-2.0
#pragma once

// What 3D Slicer does with a CLI module, written from Slicer's own sources so that tests follow
// the host's rules rather than ours: SlicerExecutionModel's ModuleDescriptionParser.cxx and
// ModuleDescription.xsd (what a description may hold), Slicer's qSlicerCLIExecutableModuleFactory
// (the --xml probe) and vtkSlicerCLIModuleLogic::ApplyTask (how the command line is built).

#include <map>
#include <string>
#include <vector>

namespace slicer_host
{

/// One parameter of a module description, as the parser keeps it.
struct Parameter
{
  std::string              tag; // image, integer, boolean, string-enumeration, …
  std::string              name;
  std::string              flag;     // without its dash
  std::string              longflag; // without its dashes
  std::string              index;
  std::string              defaultValue;
  std::string              channel;
  std::string              type; // the image's type attribute
  std::vector<std::string> elements;
};

struct Description
{
  std::string            title;
  std::vector<Parameter> parameters;
  /// Everything Slicer's parser (or the schema it documents) would refuse, one line each.
  std::vector<std::string> problems;
};

/// Parses the text a module prints for `--xml` by SlicerExecutionModel's rules.
Description
parseDescription(const std::string & xml);

/// The argument vector Slicer runs for `description` with `values` (parameter name → value; a
/// parameter not named takes its default): parameters with a flag in the order of the
/// description, --longflag preferred to -flag, booleans as a bare flag when "true", numbers and
/// enumerations always, strings, files and vectors only when not empty; then the index
/// parameters in index order. Throws std::invalid_argument where Slicer refuses to start.
std::vector<std::string>
commandLine(const std::string &                        executable,
            const Description &                        description,
            const std::map<std::string, std::string> & values);

struct Result
{
  int         status{ -1 };
  std::string output;
  std::string errors;
  double      seconds{ 0.0 };
};

/// Runs `arguments` (no shell) in `folder` (empty: the current one), collecting standard output and
/// standard error; standard output is a pipe, as under Slicer.
Result
run(const std::vector<std::string> & arguments, const std::string & folder = {});

} // namespace slicer_host
