#pragma once

#include <boost/program_options.hpp>

#include <functional>
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

  /// Long flag without dashes ("input"); also the Slicer parameter name.
  std::string name;
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
  /// For images: scalar, vector or tensor.
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

  /// Parses the command line. Returns false when --help or --xml was handled (the caller exits 0).
  /// Throws std::invalid_argument with a one-line message for anything wrong.
  bool
  parse(int argc, char ** argv);

  bool
  has(const std::string & name) const;
  std::string
  text(const std::string & name) const;
  /// The value as a number, checked against the parameter's bounds.
  double
  number(const std::string & name) const;
  int64_t
  integer(const std::string & name) const;
  bool
  flag(const std::string & name) const;
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

/// \brief Progress for people and for 3D Slicer: Slicer reads `<filter-progress>` lines from
/// stdout, a terminal gets a line on stderr that is rewritten in place.
class ProgressPrinter
{
public:
  ProgressPrinter(std::string name, std::string comment);
  ~ProgressPrinter();
  /// `fraction` in [0, 1]; `detail` is shown on the terminal line.
  void
  update(double fraction, const std::string & detail = {});

private:
  std::string name_;
  bool        forSlicer_;
  bool        toTerminal_;
  int         lastPercent_{ -1 };
};

/// Runs `body`, turning any exception into one line "EXECUTABLE: error: MESSAGE" on stderr and exit
/// status 1.
int
runApplication(const std::string & executable, const std::function<int()> & body);

} // namespace revgan
