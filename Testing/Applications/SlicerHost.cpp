// SPDX-License-Identifier: Apache-2.0
#include "SlicerHost.h"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <set>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char ** environ;

namespace slicer_host
{

namespace
{

using Tree = boost::property_tree::ptree;

/// The parser's validVariable: letters, digits and underscores, not starting with a digit.
bool
validVariable(const std::string & text)
{
  static const std::string letters = "_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  return !text.empty() && letters.find(text[0]) != std::string::npos &&
         text.find_first_not_of(letters + "0123456789") == std::string::npos;
}

std::string
trimmed(const std::string & text)
{
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos)
    return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string
withoutLeadingDashes(std::string text)
{
  text = trimmed(text);
  return text.substr(std::min(text.find_first_not_of('-'), text.size()));
}

bool
isNumber(const std::string & text, bool integral)
{
  char * end = nullptr;
  if (integral)
    std::strtoll(text.c_str(), &end, 10);
  else
    std::strtod(text.c_str(), &end);
  return !text.empty() && *end == '\0';
}

/// Parameter elements of ModuleDescription.xsd, with the attributes the parser accepts on each.
const std::map<std::string, std::set<std::string>> &
parameterTags()
{
  static const std::set<std::string>                        scalar{ "hidden" };
  static const std::map<std::string, std::set<std::string>> tags{
    { "integer", scalar },
    { "integer-vector", scalar },
    { "boolean", scalar },
    { "boolean-vector", scalar },
    { "float", scalar },
    { "float-vector", scalar },
    { "double", scalar },
    { "double-vector", scalar },
    { "string", { "hidden", "multiple" } },
    { "string-vector", scalar },
    { "string-enumeration", scalar },
    { "integer-enumeration", scalar },
    { "float-enumeration", scalar },
    { "double-enumeration", scalar },
    { "file", { "multiple", "fileExtensions" } },
    { "directory", { "multiple" } },
    { "image", { "multiple", "type", "fileExtensions", "hidden", "reference" } },
  };
  return tags;
}

} // namespace

Description
parseDescription(const std::string & xml)
{
  Description description;
  auto        problem = [&](const std::string & text) { description.problems.push_back(text); };
  if (xml.rfind("<?xml ", 0) != 0)
    problem("the description must begin with '<?xml ' (ModuleDescriptionParser::Parse)");
  Tree tree;
  try
  {
    std::istringstream stream(xml);
    boost::property_tree::read_xml(stream, tree);
  }
  catch (const std::exception & error)
  {
    problem(std::string("not well-formed XML: ") + error.what());
    return description;
  }
  if (tree.size() != 1 || tree.begin()->first != "executable")
  {
    problem("<executable> must be the outermost and only element");
    return description;
  }
  const Tree & executable = tree.begin()->second;
  // ModuleDescription.xsd: a sequence in this order, then one or more <parameters>.
  const std::vector<std::string> header{ "category",          "title",   "description", "version",
                                         "documentation-url", "license", "contributor" };
  size_t                         position = 0, groups = 0;
  for (const auto & [tag, child] : executable)
  {
    if (tag == "<xmlattr>" || tag == "<xmlcomment>")
      continue;
    if (tag == "parameters")
    {
      ++groups;
      continue;
    }
    if (groups > 0 || position >= header.size() || header[position] != tag)
      problem("<" + tag +
              "> is out of the schema's order (category, title, description, version, "
              "documentation-url, license, contributor, parameters)");
    ++position;
  }
  if (position != header.size())
    problem("the module lacks some of category, title, description, version, documentation-url, license, contributor");
  if (groups == 0)
    problem("the module has no <parameters>");
  description.title = trimmed(executable.get<std::string>("title", ""));

  std::set<std::string> names, flags, longflags, indices;
  for (const auto & [groupTag, group] : executable)
  {
    if (groupTag != "parameters")
      continue;
    for (const auto & [tag, element] : group)
    {
      if (tag == "label" || tag == "description" || tag == "<xmlattr>" || tag == "<xmlcomment>")
        continue;
      const auto known = parameterTags().find(tag);
      if (known == parameterTags().end())
      {
        problem("<" + tag + "> is not a parameter element this toolkit's descriptions may use");
        continue;
      }
      Parameter parameter;
      parameter.tag = tag;
      const Tree attributes = element.get_child("<xmlattr>", Tree());
      for (const auto & [attribute, value] : attributes)
      {
        if (known->second.count(attribute) == 0)
          problem(attribute + " is not a valid attribute for the tag " + tag);
        if (attribute == "type")
          parameter.type = value.data();
      }
      if (tag == "image")
      {
        static const std::set<std::string> types{ "scalar", "label",  "tensor",       "diffusion-weighted",
                                                  "vector", "signal", "multichannel", "dynamic-contrast-enhanced",
                                                  "any" };
        if (types.count(parameter.type.empty() ? "scalar" : parameter.type) == 0)
          problem("\"" + parameter.type + "\" is not a valid image type");
      }
      const bool hasFlag = element.count("flag") > 0, hasLongflag = element.count("longflag") > 0,
                 hasIndex = element.count("index") > 0;
      parameter.name = trimmed(element.get<std::string>("name", ""));
      parameter.flag = withoutLeadingDashes(element.get<std::string>("flag", ""));
      parameter.longflag = withoutLeadingDashes(element.get<std::string>("longflag", ""));
      parameter.index = trimmed(element.get<std::string>("index", ""));
      parameter.defaultValue = trimmed(element.get<std::string>("default", ""));
      parameter.channel = trimmed(element.get<std::string>("channel", ""));
      if (parameter.name.empty())
        parameter.name = parameter.longflag;
      for (const auto & [child, value] : element)
      {
        if (child == "element")
          parameter.elements.push_back(trimmed(value.data()));
      }
      const std::string label = "parameter '" + parameter.name + "' (<" + tag + ">): ";
      if (!validVariable(parameter.name))
        problem(label + "<name> can only contain letters, numbers and underscores and must start with an _ or "
                        "letter");
      if (hasLongflag && !validVariable(parameter.longflag))
        problem(label +
                "<longflag> can only contain letters, numbers and underscores and must start with a _ or "
                "letter. The offending name is \"" +
                parameter.longflag + "\"");
      if (hasFlag && parameter.flag.size() != 1)
        problem(label + "<flag> can only contain one character");
      if (hasIndex && (hasFlag || hasLongflag))
        problem(label + "<index> cannot be specified because a <longflag> and/or <flag> has been specified");
      if (hasIndex && !isNumber(parameter.index, true))
        problem(label + "<index> must be a non-negative integer");
      if (!hasFlag && !hasLongflag && !hasIndex)
        problem(label + "reachable neither by a flag, a longflag nor an index");
      if ((tag == "image" || tag == "file") && parameter.channel != "input" && parameter.channel != "output")
        problem(label + "<channel> must be input or output");
      if (!names.insert(parameter.name).second)
        problem(label + "another parameter has this name");
      if (hasFlag && !flags.insert(parameter.flag).second)
        problem(label + "another parameter has the flag -" + parameter.flag);
      if (hasLongflag && !longflags.insert(parameter.longflag).second)
        problem(label + "another parameter has the longflag --" + parameter.longflag);
      if (hasIndex && !indices.insert(parameter.index).second)
        problem(label + "another parameter has the index " + parameter.index + " (Slicer keeps only the last)");
      if (tag == "boolean" && parameter.defaultValue != "true" && parameter.defaultValue != "false")
        problem(label + "a boolean's default must be true or false (Slicer passes the flag only for \"true\")");
      if (tag.find("enumeration") != std::string::npos)
      {
        if (parameter.elements.empty())
          problem(label + "an enumeration needs <element>s");
        if (std::find(parameter.elements.begin(), parameter.elements.end(), parameter.defaultValue) ==
            parameter.elements.end())
          problem(label + "the default is not one of the elements (Slicer would pass an empty value)");
      }
      const bool integral = tag == "integer";
      if ((integral || tag == "double" || tag == "float") && !isNumber(parameter.defaultValue, integral))
        problem(label + "a number needs a numeric default (Slicer always passes numbers)");
      if (element.count("constraints"))
      {
        const Tree &        constraints = element.get_child("constraints");
        std::vector<double> bounds;
        for (const char * bound : { "minimum", "maximum", "step" })
        {
          const std::string text = trimmed(constraints.get<std::string>(bound, ""));
          if (!isNumber(text, integral))
            problem(label + "<constraints> needs a numeric <" + bound + "> (ModuleDescription.xsd)");
          bounds.push_back(std::strtod(text.c_str(), nullptr));
        }
        if ((integral || tag == "double") && !parameter.defaultValue.empty())
        {
          const double value = std::strtod(parameter.defaultValue.c_str(), nullptr);
          if (value < bounds[0] || value > bounds[1])
            problem(label + "the default lies outside the constraints");
        }
      }
      description.parameters.push_back(parameter);
    }
  }
  return description;
}

std::vector<std::string>
commandLine(const std::string &                        executable,
            const Description &                        description,
            const std::map<std::string, std::string> & values)
{
  auto valueOf = [&](const Parameter & parameter)
  {
    const auto given = values.find(parameter.name);
    return given != values.end() ? given->second : parameter.defaultValue;
  };
  std::vector<std::string> arguments{ executable };
  for (const auto & parameter : description.parameters)
  {
    if (parameter.longflag.empty() && parameter.flag.empty())
      continue;
    const std::string   flag = parameter.longflag.empty() ? "-" + parameter.flag : "--" + parameter.longflag;
    const std::string   value = valueOf(parameter);
    const std::string & tag = parameter.tag;
    if (tag == "boolean")
    {
      if (value == "true")
        arguments.push_back(flag);
    }
    else if (tag == "integer" || tag == "float" || tag == "double" || tag.find("enumeration") != std::string::npos)
    {
      arguments.push_back(flag);
      arguments.push_back(value);
    }
    else if (!value.empty())
    {
      arguments.push_back(flag);
      arguments.push_back(value);
    }
  }
  std::map<long, const Parameter *> indexed;
  for (const auto & parameter : description.parameters)
  {
    if (!parameter.index.empty())
      indexed[std::strtol(parameter.index.c_str(), nullptr, 10)] = &parameter;
  }
  for (const auto & [index, parameter] : indexed)
  {
    const std::string value = valueOf(*parameter);
    if (value.empty())
      throw std::invalid_argument("No value assigned to \"" + parameter->name + "\"");
    arguments.push_back(value);
  }
  return arguments;
}

Result
run(const std::vector<std::string> & arguments, const std::string & folder)
{
  char      errorName[] = "/tmp/slicer-host-err-XXXXXX";
  const int errors = mkstemp(errorName);
  if (errors < 0)
    throw std::runtime_error("cannot make a temporary file");
  // A pipe for standard output, as Slicer's QProcess gives: the module must not see a terminal.
  int pipeEnds[2];
  if (pipe(pipeEnds) != 0)
    throw std::runtime_error("cannot make a pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, errors, STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipeEnds[0]);
  const std::string        command = arguments.at(0);
  std::vector<std::string> copies = arguments;
  std::vector<char *>      pointers;
  for (auto & argument : copies)
    pointers.push_back(argument.data());
  pointers.push_back(nullptr);
  const std::string previous = folder.empty() ? std::string() : std::string(getcwd(nullptr, 0));
  if (!folder.empty() && chdir(folder.c_str()) != 0)
    throw std::runtime_error("cannot enter " + folder);
  const auto start = std::chrono::steady_clock::now();
  pid_t      child = 0;
  const int  spawned = posix_spawn(&child, command.c_str(), &actions, nullptr, pointers.data(), environ);
  if (!previous.empty() && chdir(previous.c_str()) != 0)
    throw std::runtime_error("cannot return to " + previous);
  posix_spawn_file_actions_destroy(&actions);
  close(pipeEnds[1]);
  Result result;
  char   buffer[4096];
  for (ssize_t n; (n = read(pipeEnds[0], buffer, sizeof(buffer))) > 0;)
    result.output.append(buffer, static_cast<size_t>(n));
  close(pipeEnds[0]);
  if (spawned == 0)
  {
    int status = 0;
    waitpid(child, &status, 0);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  lseek(errors, 0, SEEK_SET);
  for (ssize_t n; (n = read(errors, buffer, sizeof(buffer))) > 0;)
    result.errors.append(buffer, static_cast<size_t>(n));
  close(errors);
  unlink(errorName);
  return result;
}

} // namespace slicer_host
