// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

namespace revgan
{

/// \brief One flat JSON object, written on one line (the `--json` output of the applications).
///
/// Keys keep the order in which they were added. Non-finite doubles are written as null, since
/// JSON has no NaN or infinity.
class JsonLine
{
public:
  JsonLine &
  add(const std::string & key, const std::string & value);
  JsonLine &
  add(const std::string & key, const char * value);
  JsonLine &
  add(const std::string & key, int64_t value);
  JsonLine &
  add(const std::string & key, int value);
  JsonLine &
  add(const std::string & key, double value);
  JsonLine &
  add(const std::string & key, bool value);

  /// The object, e.g. {"mode":"naive","depth":6}
  std::string
  str() const;

private:
  void
  addRaw(const std::string & key, const std::string & literal);

  std::string m_Body;
};

/// `text` as a JSON string literal, quotes included.
std::string
jsonQuote(const std::string & text);

} // namespace revgan
