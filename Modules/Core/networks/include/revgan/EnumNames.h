// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <ostream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace revgan
{

/// \brief One value of an enumeration with the lower-case name command lines and files use for it.
/// An enumeration's names are written once, in a table of these; parsing, printing and the list of
/// accepted names all read it.
template<typename E>
struct EnumName
{
  /// The enumerator.
  E value;
  /// Its lower-case name, e.g. "reflect" or "reversible".
  const char * name;
};

/// Names as a choice in a message: "a, b or c".
inline std::string
choiceList(const std::vector<std::string> & names)
{
  std::string list;
  for (size_t i = 0; i < names.size(); ++i)
    list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return list;
}

/// The names of a table as text: "a, b or c".
template<typename E, size_t N>
std::string
enumNameList(const EnumName<E> (&table)[N])
{
  std::vector<std::string> names;
  for (const EnumName<E> & entry : table)
    names.emplace_back(entry.name);
  return choiceList(names);
}

/// The value named `name`; throws std::invalid_argument "unknown WHAT 'name' (expected a, b or c)".
template<typename E, size_t N>
E
parseEnumName(const EnumName<E> (&table)[N], const std::string & name, const char * what)
{
  for (const EnumName<E> & entry : table)
    if (name == entry.name)
      return entry.value;
  throw std::invalid_argument("unknown " + std::string(what) + " '" + name + "' (expected " + enumNameList(table) +
                              ")");
}

/// The name of `value` ("unknown" for a value outside the table, which a cast can make).
template<typename E, size_t N>
std::string
enumName(const EnumName<E> (&table)[N], E value)
{
  for (const EnumName<E> & entry : table)
    if (entry.value == value)
      return entry.name;
  return "unknown";
}

/// Prints any of the toolkit's enumerations by its name, as its `toString` gives it from its table:
/// `std::cout << GradientMode::Reversible` writes "reversible". (Found by argument-dependent lookup
/// for the enumerations of namespace revgan that have a toString.)
template<typename E,
         typename = std::enable_if_t<std::is_enum_v<E>>,
         typename = decltype(std::string(toString(std::declval<E>())))>
std::ostream &
operator<<(std::ostream & out, E value)
{
  return out << toString(value);
}

} // namespace revgan
