// SPDX-License-Identifier: Apache-2.0
#include "BenchmarkOptions.h"

#include <algorithm>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <stdexcept>

namespace revgan
{

namespace
{

template<typename T>
T
convert(const std::string & option, const std::string & text)
{
  if constexpr (std::is_same_v<T, std::string>)
  {
    return text;
  }
  else
  {
    std::istringstream stream(text);
    T                  value{};
    // Unsigned extraction would accept "-1" and wrap around.
    const bool negativeUnsigned = std::is_unsigned_v<T> && text.find('-') != std::string::npos;
    if (text.empty() || negativeUnsigned || !(stream >> value) || !stream.eof())
    {
      throw std::invalid_argument(
        "--" + option + ": '" + text + "' is not " +
        (std::is_integral_v<T> ? (std::is_unsigned_v<T> ? "a non-negative integer" : "an integer") : "a number"));
    }
    return value;
  }
}

template<typename T>
std::string
textOf(const T & value)
{
  std::ostringstream stream;
  stream << value;
  return stream.str();
}

template<typename T>
std::string
textOf(const std::vector<T> & values)
{
  std::string text;
  for (const auto & value : values)
    text += (text.empty() ? "" : " ") + textOf(value);
  return text;
}

bool
isOptionName(const std::string & argument)
{
  return argument.size() > 2 && argument.compare(0, 2, "--") == 0;
}

} // namespace

BenchmarkOptions::BenchmarkOptions(std::string usage)
  : m_Usage(std::move(usage))
{
}

template<typename T>
BenchmarkOptions &
BenchmarkOptions::addSingle(const std::string & name, T & target, const std::string & help)
{
  Option option;
  option.name = name;
  option.help = help;
  option.defaultText = textOf(target);
  option.assign = [&target, name](const std::vector<std::string> & values) { target = convert<T>(name, values[0]); };
  m_Options.push_back(std::move(option));
  return *this;
}

template<typename T>
BenchmarkOptions &
BenchmarkOptions::addList(const std::string & name, std::vector<T> & target, const std::string & help)
{
  Option option;
  option.name = name;
  option.help = help;
  option.defaultText = textOf(target);
  option.multiple = true;
  option.assign = [&target, name](const std::vector<std::string> & values)
  {
    target.clear();
    for (const auto & text : values)
      target.push_back(convert<T>(name, text));
  };
  m_Options.push_back(std::move(option));
  return *this;
}

BenchmarkOptions &
BenchmarkOptions::add(const std::string & name, int & target, const std::string & help)
{
  return addSingle(name, target, help);
}
BenchmarkOptions &
BenchmarkOptions::add(const std::string & name, int64_t & target, const std::string & help)
{
  return addSingle(name, target, help);
}
BenchmarkOptions &
BenchmarkOptions::add(const std::string & name, uint64_t & target, const std::string & help)
{
  return addSingle(name, target, help);
}
BenchmarkOptions &
BenchmarkOptions::add(const std::string & name, double & target, const std::string & help)
{
  return addSingle(name, target, help);
}
BenchmarkOptions &
BenchmarkOptions::add(const std::string & name, std::string & target, const std::string & help)
{
  return addSingle(name, target, help);
}
BenchmarkOptions &
BenchmarkOptions::add(const std::string & name, std::vector<int64_t> & target, const std::string & help)
{
  return addList(name, target, help);
}
BenchmarkOptions &
BenchmarkOptions::add(const std::string & name, std::vector<std::string> & target, const std::string & help)
{
  return addList(name, target, help);
}

BenchmarkOptions &
BenchmarkOptions::addFlag(const std::string & name, bool & target, const std::string & help)
{
  Option option;
  option.name = name;
  option.help = help;
  option.takesValue = false;
  option.assign = [&target](const std::vector<std::string> &) { target = true; };
  m_Options.push_back(std::move(option));
  return *this;
}

const BenchmarkOptions::Option &
BenchmarkOptions::find(const std::string & name) const
{
  for (const auto & option : m_Options)
  {
    if (option.name == name)
      return option;
  }
  throw std::invalid_argument("unknown option '--" + name + "' (see --help)");
}

bool
BenchmarkOptions::parse(const std::vector<std::string> & arguments, std::ostream & out)
{
  if (std::find(arguments.begin(), arguments.end(), "--help") != arguments.end() ||
      std::find(arguments.begin(), arguments.end(), "-h") != arguments.end())
  {
    out << m_Usage << "\n\nOptions:\n";
    for (const auto & option : m_Options)
    {
      std::string synopsis = "  --" + option.name + (option.takesValue ? (option.multiple ? " V..." : " V") : "");
      out << std::left << std::setw(26) << synopsis << ' ' << option.help;
      if (option.takesValue && !option.defaultText.empty())
        out << " (default: " << option.defaultText << ')';
      out << '\n';
    }
    return false;
  }
  for (size_t i = 0; i < arguments.size();)
  {
    const std::string & argument = arguments[i++];
    if (!isOptionName(argument))
      throw std::invalid_argument("unexpected argument '" + argument + "' (options start with --)");
    const size_t             equals = argument.find('=');
    const std::string        name = argument.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
    const Option &           option = find(name);
    std::vector<std::string> values;
    if (equals != std::string::npos)
    {
      if (!option.takesValue)
        throw std::invalid_argument("--" + name + " takes no value");
      values.push_back(argument.substr(equals + 1));
    }
    else if (option.takesValue)
    {
      // Negative numbers are values, not options.
      while (i < arguments.size() && !isOptionName(arguments[i]) && (values.empty() || option.multiple))
        values.push_back(arguments[i++]);
      if (values.empty())
        throw std::invalid_argument("--" + name + " needs a value");
    }
    option.assign(values);
    m_Given.push_back(name);
  }
  return true;
}

bool
BenchmarkOptions::given(const std::string & name) const
{
  return std::find(m_Given.begin(), m_Given.end(), name) != m_Given.end();
}

} // namespace revgan
