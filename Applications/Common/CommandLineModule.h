// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <boost/program_options.hpp>

#include <optional>
#include <string>
#include <vector>

namespace revgan
{

/// One parameter of an application: its command-line flag, and what 3D Slicer needs to know of it.
/// Built fluently: Parameter("image", "input", "Input", "image to translate").in("input").ofImageType("vector").
struct Parameter
{
  Parameter(std::string type_, std::string name_, std::string label_, std::string description_)
    : name(std::move(name_))
    , type(std::move(type_))
    , label(std::move(label_))
    , description(std::move(description_))
  {
  }
  Parameter &
  byDefault(std::string value)
  {
    defaultValue = std::move(value);
    return *this;
  }
  /// Also accepted as the `position`-th bare argument (0-based); Slicer then passes it that way.
  Parameter &
  atIndex(int position)
  {
    index = position;
    return *this;
  }
  /// A one-letter flag besides the long one ('i' for -i).
  Parameter &
  withFlag(char letter)
  {
    shortFlag = letter;
    return *this;
  }
  Parameter &
  isOptional()
  {
    optional = true;
    return *this;
  }
  Parameter &
  in(std::string direction)
  {
    channel = std::move(direction);
    return *this;
  }
  Parameter &
  ofImageType(std::string kind)
  {
    imageType = std::move(kind);
    return *this;
  }
  Parameter &
  among(std::vector<std::string> values)
  {
    choices = std::move(values);
    return *this;
  }
  Parameter &
  within(std::optional<double> low, std::optional<double> high = std::nullopt)
  {
    minimum = low;
    maximum = high;
    return *this;
  }

  /// Long flag without dashes, as shell users write it ("patch-size"). Slicer's parser allows
  /// only letters, digits and underscores, so the module description and Slicer use identifier()
  /// ("patch_size"); parse() accepts both spellings.
  std::string name;
  std::string
  identifier() const;
  /// SlicerExecutionModel element: image, file, directory, integer, double, string,
  /// string-enumeration, boolean, integer-vector.
  std::string type;
  std::string label;
  std::string description;
  /// Default value as text; empty for none. A parameter without default is required unless
  /// `optional` is set.
  std::string defaultValue;
  bool        optional{ false };
  /// For images and files: "input" or "output".
  std::string channel;
  /// For images: a value of SlicerExecutionModel's `type` attribute (scalar, label, vector, tensor,
  /// diffusion-weighted, any), which decides the volume nodes Slicer offers.
  std::string imageType;
  /// Allowed values of a string-enumeration.
  std::vector<std::string> choices;
  /// Position among the bare arguments, or −1.
  int index{ -1 };
  /// One-letter flag, or 0 for none.
  char shortFlag{ 0 };
  /// Bounds of a number (inclusive), when given.
  std::optional<double> minimum;
  std::optional<double> maximum;
};

/// \brief An application's parameters, declared once and used for Boost.Program_options parsing,
/// `--help`, and the SlicerExecutionModel XML printed by `--xml`.
class CommandLineModule
{
public:
  CommandLineModule(std::string executable, std::string title, std::string category, std::string description);

  CommandLineModule &
  add(Parameter parameter);

  /// A description of the same program for one kind of data: only the named parameters (in this
  /// module's order), with image types replaced where `imageTypes` names them. 3D Slicer picks
  /// node types from an image's type, so one program that takes scalar, vector or tensor volumes is
  /// offered to Slicer as one module per kind.
  CommandLineModule
  variant(std::string                                              executable,
          std::string                                              title,
          std::string                                              description,
          const std::vector<std::string> &                         keep,
          const std::vector<std::pair<std::string, std::string>> & imageTypes = {}) const;

  /// Parses the command line. Returns false when --help, --xml or --version was handled (the caller
  /// exits 0).
  /// Throws std::invalid_argument with a one-line message for anything wrong.
  bool
  parse(int argc, char ** argv);
  /// parse() of the arguments after the program's name (how the Python package passes keyword
  /// arguments: "--gan_weight", "0.5").
  bool
  parse(std::vector<std::string> arguments);

  bool
  has(const std::string & name) const;
  std::string
  text(const std::string & name) const;
  /// The value as a number, checked against the parameter's bounds.
  double
  number(const std::string & name) const;
  int64_t
  integer(const std::string & name) const;
  /// A comma-separated list of integers ("24,24,24").
  std::vector<int64_t>
  integers(const std::string & name) const;
  /// integers(name) for an image of `axes` axes: one value per axis (x, y[, z]), or one for all.
  std::vector<int64_t>
  integersPerAxis(const std::string & name, unsigned int axes) const;

  std::string
  xml() const;
  std::string
  help() const;

  const std::string &
  executable() const
  {
    return executable_;
  }
  const std::vector<Parameter> &
  parameters() const
  {
    return parameters_;
  }

private:
  const Parameter &
  find(const std::string & name) const;

  std::string                           executable_;
  std::string                           title_;
  std::string                           category_;
  std::string                           description_;
  std::vector<Parameter>                parameters_;
  boost::program_options::variables_map values_;
};

/// Text with XML's five special characters escaped, for element content and attribute values.
std::string
escapeXml(const std::string & text);

} // namespace revgan
