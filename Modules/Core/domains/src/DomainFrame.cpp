// SPDX-License-Identifier: Apache-2.0
#include "revgan/DomainFrame.h"

#include <cmath>
#include <sstream>

namespace revgan
{

namespace
{

/// Column `axis` of a row-major `dimensions`×`dimensions` matrix, normalized.
std::vector<double>
axisDirection(const std::vector<double> & matrix, size_t dimensions, size_t axis)
{
  std::vector<double> column(dimensions);
  double              squares = 0.0;
  for (size_t row = 0; row < dimensions; ++row)
  {
    column[row] = matrix[row * dimensions + axis];
    squares += column[row] * column[row];
  }
  for (double & value : column)
    value /= std::sqrt(squares);
  return column;
}

/// The non-empty parts joined by "; ".
std::string
joinClauses(const std::vector<std::string> & clauses)
{
  std::string sentence;
  for (const std::string & clause : clauses)
    if (!clause.empty())
      sentence += (sentence.empty() ? "" : "; ") + clause;
  return sentence;
}

} // namespace

bool
isInputInterpolation(const std::string & name)
{
  return name == "nearest" || name == "linear" || name == "bspline";
}

std::string
describeTensorKindDifference(bool trainedOnTensors, bool inputHasTensors)
{
  if (trainedOnTensors && !inputHasTensors)
    return "the model was trained on DTI tensors but the input is not a tensor file (its 6 components are taken as "
           "xx, xy, xz, yy, yz, zz in the image axes)";
  if (!trainedOnTensors && inputHasTensors)
    return "the input holds DTI tensors but the model was trained on images that do not";
  return {};
}

std::string
describeAxisDifference(const std::vector<double> & trained, const std::vector<double> & input)
{
  const auto dimensions = static_cast<size_t>(std::lround(std::sqrt(static_cast<double>(trained.size()))));
  if (trained.empty() || trained.size() != input.size() || dimensions * dimensions != trained.size())
    return {};
  const double             aligned = std::cos(M_PI / 180.0); // within 1 degree
  std::vector<std::string> differences;
  for (size_t axis = 0; axis < dimensions; ++axis)
  {
    const std::vector<double> direction = axisDirection(input, dimensions, axis);
    size_t                    nearest = 0;
    double                    cosine = 0.0;
    for (size_t other = 0; other < dimensions; ++other)
    {
      const std::vector<double> reference = axisDirection(trained, dimensions, other);
      double                    dot = 0.0;
      for (size_t row = 0; row < dimensions; ++row)
        dot += direction[row] * reference[row];
      if (std::abs(dot) > std::abs(cosine))
      {
        cosine = dot;
        nearest = other;
      }
    }
    std::ostringstream text;
    text << "its axis " << axis;
    if (std::abs(cosine) < aligned)
      text << " is " << std::lround(std::acos(std::min(1.0, std::abs(cosine))) * 180.0 / M_PI)
           << " degrees from the nearest axis of the training images (axis " << nearest << ")";
    else if (cosine < 0.0)
      text << " runs opposite to the training images' axis " << nearest;
    else if (nearest != axis)
      text << " runs along the training images' axis " << nearest;
    else
      continue;
    differences.push_back(text.str());
  }
  return joinClauses(differences);
}

std::string
describeFrameDifference(const DomainFrame & trained, const DomainFrame & input)
{
  return joinClauses({ describeTensorKindDifference(trained.tensors, input.tensors),
                       describeAxisDifference(trained.direction, input.direction) });
}

} // namespace revgan
