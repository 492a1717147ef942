// SPDX-License-Identifier: Apache-2.0
#include "revgan/TrainerOptions.h"

#include "TrainerOptionFields.h"
#include "revgan/EnumNames.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <type_traits>

namespace revgan
{

namespace
{

constexpr EnumName<Objective> kObjectives[]{ { Objective::Paired, "paired" }, { Objective::Unpaired, "unpaired" } };
constexpr EnumName<torch::ScalarType> kPrecisions[]{ { torch::kFloat, "float" }, { torch::kDouble, "double" } };

/// A number as a message shows it: whole numbers without exponent or decimals (1, 1000000),
/// others as the stream writes them (0.5, nan).
std::string
numberText(double value)
{
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
    return std::to_string(static_cast<int64_t>(value));
  std::ostringstream text;
  text << value;
  return text.str();
}

} // namespace

Objective
parseObjective(const std::string & name)
{
  return parseEnumName(kObjectives, name, "objective");
}

std::string
toString(Objective objective)
{
  return enumName(kObjectives, objective);
}

torch::ScalarType
parsePrecision(const std::string & name)
{
  return parseEnumName(kPrecisions, name, "precision");
}

std::string
precisionName(torch::ScalarType precision)
{
  return enumName(kPrecisions, precision);
}

std::vector<std::string>
TrainerOptions::recordNames()
{
  std::vector<std::string> names;
  TrainerOptions           options;
  visitTrainerOptions(options, [&](const TrainerOptionField & field, const auto &) { names.emplace_back(field.name); });
  return names;
}

std::string
TrainerOptionField::requirement() const
{
  std::string label = name;
  std::replace(label.begin(), label.end(), '_', ' ');
  const bool bounded = maximum != std::numeric_limits<double>::infinity();
  if (bounded)
    return label + " must lie in " + (minimumExcluded ? "(" : "[") + numberText(minimum) + ", " + numberText(maximum) +
           (maximumExcluded ? ")" : "]");
  if (minimum == 0.0)
    return label + (minimumExcluded ? " must be positive" : " must not be negative");
  return label + " must be at least " + numberText(minimum);
}

TrainerOptions
TrainerOptions::forObjective(Objective objective)
{
  TrainerOptions options;
  options.objective = objective;
  options.ganLoss = objective == Objective::Paired ? GanLoss::Vanilla : GanLoss::LeastSquares;
  options.lambda = objective == Objective::Paired ? 100.0 : 10.0;
  return options;
}

void
TrainerOptions::validate() const
{
  visitTrainerOptions(*this,
                      [](const TrainerOptionField & field, const auto & value)
                      {
                        if constexpr (std::is_arithmetic_v<std::decay_t<decltype(value)>>)
                        {
                          const auto number = static_cast<double>(value);
                          if (!field.accepts(number))
                            throw std::invalid_argument(field.requirement() + ", got " + numberText(number));
                        }
                      });
  if (epochs == 0 && decayEpochs == 0)
    throw std::invalid_argument("at least one epoch must be scheduled (constant epochs + decay epochs)");
  if (spikeFactor != 0.0 && spikeFactor <= 1.0)
    throw std::invalid_argument("spike factor must be 0 (off) or above 1, got " + numberText(spikeFactor));
  if (precision != torch::kFloat && precision != torch::kDouble)
    throw std::invalid_argument("training precision must be float or double");
}

} // namespace revgan
