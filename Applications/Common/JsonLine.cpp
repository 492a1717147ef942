// SPDX-License-Identifier: Apache-2.0
#include "JsonLine.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace revgan
{

std::string
jsonQuote(const std::string & text)
{
  std::string quoted = "\"";
  for (const char c : text)
  {
    switch (c)
    {
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\r':
        quoted += "\\r";
        break;
      case '\t':
        quoted += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
        {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(c));
          quoted += escaped;
        }
        else
        {
          quoted += c;
        }
    }
  }
  return quoted + "\"";
}

void
JsonLine::addRaw(const std::string & key, const std::string & literal)
{
  if (!m_Body.empty())
  {
    m_Body += ',';
  }
  m_Body += jsonQuote(key) + ':' + literal;
}

JsonLine &
JsonLine::add(const std::string & key, const std::string & value)
{
  addRaw(key, jsonQuote(value));
  return *this;
}

JsonLine &
JsonLine::add(const std::string & key, const char * value)
{
  return add(key, std::string(value));
}

JsonLine &
JsonLine::add(const std::string & key, int64_t value)
{
  addRaw(key, std::to_string(value));
  return *this;
}

JsonLine &
JsonLine::add(const std::string & key, int value)
{
  return add(key, static_cast<int64_t>(value));
}

JsonLine &
JsonLine::add(const std::string & key, double value)
{
  if (!std::isfinite(value))
  {
    addRaw(key, "null");
    return *this;
  }
  std::ostringstream stream;
  stream.precision(9);
  stream << value;
  addRaw(key, stream.str());
  return *this;
}

JsonLine &
JsonLine::add(const std::string & key, bool value)
{
  addRaw(key, value ? "true" : "false");
  return *this;
}

std::string
JsonLine::str() const
{
  return '{' + m_Body + '}';
}

} // namespace revgan
