// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace revgan
{

/// \brief The options of one `revgan-bench` subcommand: declaration, parsing, help.
///
/// revgan-bench's training benchmarks must build on a GPU machine that has LibTorch but not
/// Boost, so they cannot use Boost.Program_options like the other applications; LibTorch's c10
/// flags are global, know no subcommands and parse switches differently depending on whether
/// LibTorch was built with gflags. This covers what the benchmarks need: `--name value`,
/// `--name=value`, lists (`--depths 6 9 12`) and switches (`--json`), with clear errors.
class BenchmarkOptions
{
public:
  explicit BenchmarkOptions(std::string usage);

  /// Options taking one value; the target's value on declaration is the default.
  BenchmarkOptions &
  add(const std::string & name, int & target, const std::string & help);
  BenchmarkOptions &
  add(const std::string & name, int64_t & target, const std::string & help);
  BenchmarkOptions &
  add(const std::string & name, uint64_t & target, const std::string & help);
  BenchmarkOptions &
  add(const std::string & name, double & target, const std::string & help);
  BenchmarkOptions &
  add(const std::string & name, std::string & target, const std::string & help);
  /// Options taking one or more values.
  BenchmarkOptions &
  add(const std::string & name, std::vector<int64_t> & target, const std::string & help);
  BenchmarkOptions &
  add(const std::string & name, std::vector<std::string> & target, const std::string & help);
  /// A switch: true when given.
  BenchmarkOptions &
  addFlag(const std::string & name, bool & target, const std::string & help);

  /// Assigns the options found in `arguments`. Returns false, after printing the usage and the
  /// options with their defaults to `out`, when --help is among them. Throws std::invalid_argument
  /// naming the option for an unknown option, a missing value or a value of the wrong type.
  bool
  parse(const std::vector<std::string> & arguments, std::ostream & out);

  /// Whether `name` was given on the command line.
  bool
  given(const std::string & name) const;

private:
  struct Option
  {
    std::string                                           name;
    std::string                                           help;
    std::string                                           defaultText;
    bool                                                  multiple{ false };
    bool                                                  takesValue{ true };
    std::function<void(const std::vector<std::string> &)> assign;
  };
  template<typename T>
  BenchmarkOptions &
  addSingle(const std::string & name, T & target, const std::string & help);
  template<typename T>
  BenchmarkOptions &
  addList(const std::string & name, std::vector<T> & target, const std::string & help);
  const Option &
  find(const std::string & name) const;

  std::string              m_Usage;
  std::vector<Option>      m_Options;
  std::vector<std::string> m_Given;
};

} // namespace revgan
