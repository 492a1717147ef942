// SPDX-License-Identifier: Apache-2.0
#include "CommandLineModule.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace po = boost::program_options;

namespace revgan
{

std::string
escapeXml(const std::string & text)
{
  std::string out;
  for (const char c : text)
  {
    switch (c)
    {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace
{

std::string
withUnderscores(std::string name)
{
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

} // namespace

std::string
Parameter::identifier() const
{
  return withUnderscores(name);
}

CommandLineModule::CommandLineModule(std::string executable,
                                     std::string title,
                                     std::string category,
                                     std::string description)
  : executable_(std::move(executable))
  , title_(std::move(title))
  , category_(std::move(category))
  , description_(std::move(description))
{
}

CommandLineModule &
CommandLineModule::add(Parameter parameter)
{
  parameters_.push_back(std::move(parameter));
  return *this;
}

CommandLineModule
CommandLineModule::variant(std::string                                              executable,
                           std::string                                              title,
                           std::string                                              description,
                           const std::vector<std::string> &                         keep,
                           const std::vector<std::pair<std::string, std::string>> & imageTypes) const
{
  CommandLineModule result(std::move(executable), std::move(title), category_, std::move(description));
  for (const auto & parameter : parameters_)
  {
    if (std::find(keep.begin(), keep.end(), parameter.name) == keep.end())
      continue;
    Parameter copy = parameter;
    for (const auto & [name, type] : imageTypes)
      copy.imageType = name == parameter.name ? type : copy.imageType;
    result.add(copy);
  }
  for (const auto & name : keep)
    result.find(name);
  return result;
}

const Parameter &
CommandLineModule::find(const std::string & name) const
{
  for (const auto & parameter : parameters_)
  {
    if (parameter.name == name)
      return parameter;
  }
  throw std::logic_error("no parameter --" + name);
}

bool
CommandLineModule::parse(int argc, char ** argv)
{
  return parse(std::vector<std::string>(argv + 1, argv + argc));
}

bool
CommandLineModule::parse(std::vector<std::string> arguments)
{
  po::options_description options;
  options.add_options()("help,h", "print this help")("xml", "print the 3D Slicer module description")(
    "version", "print the toolkit's version");
  for (const auto & parameter : parameters_)
  {
    const std::string spelling =
      parameter.shortFlag ? parameter.name + "," + std::string(1, parameter.shortFlag) : parameter.name;
    if (parameter.type == "boolean")
      options.add_options()(spelling.c_str(), po::bool_switch(), parameter.description.c_str());
    else
      options.add_options()(spelling.c_str(), po::value<std::string>(), parameter.description.c_str());
  }
  try
  {
    po::positional_options_description positional;
    for (int position = 0;; ++position)
    {
      const auto found =
        std::find_if(parameters_.begin(), parameters_.end(), [&](const Parameter & p) { return p.index == position; });
      if (found == parameters_.end())
        break;
      positional.add(found->name.c_str(), 1);
    }
    // Slicer passes the underscore spellings of its description ("--patch_size"); shell users
    // write "--patch-size". Both name the same option.
    for (auto & argument : arguments)
    {
      if (argument.rfind("--", 0) != 0)
        continue;
      const size_t      equals = argument.find('=');
      const std::string spelled = argument.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
      for (const auto & parameter : parameters_)
      {
        if (parameter.identifier() == spelled)
          argument = "--" + parameter.name + (equals == std::string::npos ? "" : argument.substr(equals));
      }
    }
    po::store(po::command_line_parser(arguments).options(options).positional(positional).run(), values_);
  }
  catch (const po::error & error)
  {
    throw std::invalid_argument(error.what());
  }
  if (values_.count("help"))
  {
    std::cout << help();
    return false;
  }
  if (values_.count("xml"))
  {
    std::cout << xml();
    return false;
  }
  if (values_.count("version"))
  {
    std::cout << executable_ << " " << REVGAN_VERSION << '\n';
    return false;
  }
  for (const auto & parameter : parameters_)
  {
    if (parameter.type != "boolean" && !parameter.optional && parameter.defaultValue.empty() && !has(parameter.name))
      throw std::invalid_argument("--" + parameter.name + " is required (" + parameter.description + ")");
    if (!has(parameter.name) && parameter.defaultValue.empty())
      continue;
    if (parameter.type == "string-enumeration")
    {
      const std::string value = text(parameter.name);
      bool              known = false;
      std::string       list;
      for (const auto & choice : parameter.choices)
      {
        known = known || choice == value;
        list += (list.empty() ? "" : ", ") + choice;
      }
      if (!known)
        throw std::invalid_argument("--" + parameter.name + " must be one of " + list + ", got '" + value + "'");
    }
    if (parameter.type == "integer" || parameter.type == "double")
      number(parameter.name);
    if (parameter.type == "integer-vector")
      integers(parameter.name);
  }
  return true;
}

bool
CommandLineModule::has(const std::string & name) const
{
  const auto it = values_.find(name);
  if (it == values_.end())
    return false;
  if (find(name).type == "boolean")
    return it->second.as<bool>();
  return true;
}

std::string
CommandLineModule::text(const std::string & name) const
{
  const Parameter & parameter = find(name);
  const auto        it = values_.find(name);
  if (it != values_.end() && parameter.type != "boolean")
    return it->second.as<std::string>();
  return parameter.defaultValue;
}

double
CommandLineModule::number(const std::string & name) const
{
  const Parameter & parameter = find(name);
  const std::string value = text(name);
  char *            end = nullptr;
  const double      result = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || !std::isfinite(result))
    throw std::invalid_argument("--" + name + " must be a number, got '" + value + "'");
  if (parameter.type == "integer" && std::floor(result) != result)
    throw std::invalid_argument("--" + name + " must be an integer, got '" + value + "'");
  if ((parameter.minimum && result < *parameter.minimum) || (parameter.maximum && result > *parameter.maximum))
  {
    std::ostringstream range;
    range << "--" << name << " must lie in [" << (parameter.minimum ? std::to_string(*parameter.minimum) : "-inf")
          << ", " << (parameter.maximum ? std::to_string(*parameter.maximum) : "inf") << "], got " << value;
    throw std::invalid_argument(range.str());
  }
  return result;
}

int64_t
CommandLineModule::integer(const std::string & name) const
{
  return static_cast<int64_t>(number(name));
}

std::vector<int64_t>
CommandLineModule::integers(const std::string & name) const
{
  const Parameter &    parameter = find(name);
  std::vector<int64_t> result;
  std::stringstream    stream(text(name));
  for (std::string item; std::getline(stream, item, ',');)
  {
    char *     end = nullptr;
    const long value = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0')
      throw std::invalid_argument("--" + name + " must be integers separated by commas, got '" + text(name) + "'");
    if ((parameter.minimum && value < *parameter.minimum) || (parameter.maximum && value > *parameter.maximum))
      throw std::invalid_argument("--" + name + " has a value out of range: " + item);
    result.push_back(value);
  }
  if (result.empty())
    throw std::invalid_argument("--" + name + " is empty");
  return result;
}

std::vector<int64_t>
CommandLineModule::integersPerAxis(const std::string & name, unsigned int axes) const
{
  std::vector<int64_t> values = integers(name);
  if (values.size() == 1)
    values.assign(axes, values[0]);
  if (values.size() != axes)
    throw std::invalid_argument("--" + name + " needs 1 or " + std::to_string(axes) + " values");
  return values;
}

std::string
CommandLineModule::help() const
{
  std::ostringstream out;
  out << "Usage: " << executable_;
  for (int position = 0;; ++position)
  {
    const auto found =
      std::find_if(parameters_.begin(), parameters_.end(), [&](const Parameter & p) { return p.index == position; });
    if (found == parameters_.end())
      break;
    out << " [" << found->name << "]";
  }
  out << " [options]\n\n" << title_ << ": " << description_ << "\n\nOptions:\n";
  out << "  --help                 print this help\n  --xml                  print the 3D Slicer module description\n"
      << "  --version              print the toolkit's version\n";
  for (const auto & parameter : parameters_)
  {
    std::string flag = (parameter.shortFlag ? "  -" + std::string(1, parameter.shortFlag) + ", --" : "  --") +
                       parameter.name + (parameter.type == "boolean" ? "" : " VALUE");
    if (flag.size() < 25)
      flag.resize(25, ' ');
    else
      flag += "\n" + std::string(25, ' ');
    out << flag << parameter.description;
    if (!parameter.choices.empty())
    {
      out << " (";
      for (size_t i = 0; i < parameter.choices.size(); ++i)
        out << (i ? ", " : "") << parameter.choices[i];
      out << ")";
    }
    if (!parameter.defaultValue.empty())
      out << " [default: " << parameter.defaultValue << "]";
    else if (!parameter.optional && parameter.type != "boolean")
      out << " [required]";
    out << '\n';
  }
  return out.str();
}

std::string
CommandLineModule::xml() const
{
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<executable>\n";
  out << "  <category>" << escapeXml(category_) << "</category>\n";
  out << "  <title>" << escapeXml(title_) << "</title>\n";
  out << "  <description>" << escapeXml(description_) << "</description>\n";
  out << "  <version>" << REVGAN_VERSION << "</version>\n";
  out << "  <documentation-url></documentation-url>\n  <license>Apache 2.0</license>\n";
  out << "  <contributor>RevGAN toolkit developers</contributor>\n";
  out << "  <parameters>\n    <label>Parameters</label>\n    <description>All parameters of " << escapeXml(executable_)
      << "</description>\n";
  for (const auto & parameter : parameters_)
  {
    out << "    <" << parameter.type;
    if (parameter.type == "image" && !parameter.imageType.empty())
      out << " type=\"" << parameter.imageType << "\"";
    out << ">\n      <name>" << parameter.identifier() << "</name>\n      <label>" << escapeXml(parameter.label)
        << "</label>\n";
    out << "      <description>" << escapeXml(parameter.description) << "</description>\n";
    // Slicer passes a parameter either at a position or after its flags, not both.
    if (parameter.index >= 0)
    {
      out << "      <index>" << parameter.index << "</index>\n";
    }
    else
    {
      if (parameter.shortFlag)
        out << "      <flag>-" << parameter.shortFlag << "</flag>\n";
      out << "      <longflag>--" << parameter.identifier() << "</longflag>\n";
    }
    if (!parameter.channel.empty())
      out << "      <channel>" << parameter.channel << "</channel>\n";
    if (!parameter.defaultValue.empty())
      out << "      <default>" << escapeXml(parameter.defaultValue) << "</default>\n";
    else if (parameter.type == "boolean")
      out << "      <default>false</default>\n";
    else if (!parameter.choices.empty()) // required from a shell; Slicer needs a preselected element
      out << "      <default>" << escapeXml(parameter.choices.front()) << "</default>\n";
    for (const auto & choice : parameter.choices)
      out << "      <element>" << escapeXml(choice) << "</element>\n";
    // SlicerExecutionModel's schema wants all three bounds; Slicer sets its spin boxes from them.
    if (parameter.minimum || parameter.maximum)
    {
      const bool   integral = parameter.type == "integer" || parameter.type == "integer-vector";
      const double unbounded = integral ? 2147483647.0 : 1e12;
      double       step = 1.0;
      if (!integral)
      {
        const double typical = std::abs(std::strtod(parameter.defaultValue.c_str(), nullptr));
        step = typical > 0.0 ? std::pow(10.0, std::floor(std::log10(typical)) - 1.0) : 0.1;
      }
      auto number = [&](double value)
      {
        std::ostringstream text;
        if (integral)
          text << static_cast<long long>(value);
        else
          text << std::setprecision(10) << value;
        return text.str();
      };
      out << "      <constraints>\n        <minimum>" << number(parameter.minimum.value_or(-unbounded))
          << "</minimum>\n        <maximum>" << number(parameter.maximum.value_or(unbounded))
          << "</maximum>\n        <step>" << number(step) << "</step>\n      </constraints>\n";
    }
    out << "    </" << parameter.type << ">\n";
  }
  out << "  </parameters>\n</executable>\n";
  return out.str();
}

} // namespace revgan
