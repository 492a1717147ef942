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

} // namespace

std::string
describeFrameDifference(const DomainFrame & trained, const DomainFrame & input)
{
  std::vector<std::string> differences;
  if (trained.tensors && !input.tensors)
    differences.push_back("the model was trained on DTI tensors but the input is not a tensor file (its 6 components "
                          "are taken as xx, xy, xz, yy, yz, zz in the image axes)");
  if (!trained.tensors && input.tensors)
    differences.push_back("the input holds DTI tensors but the model was trained on images that do not");
  const auto dimensions = static_cast<size_t>(std::lround(std::sqrt(static_cast<double>(trained.direction.size()))));
  if (!trained.direction.empty() && trained.direction.size() == input.direction.size() &&
      dimensions * dimensions == trained.direction.size())
  {
    const double aligned = std::cos(M_PI / 180.0); // within 1 degree
    for (size_t axis = 0; axis < dimensions; ++axis)
    {
      const std::vector<double> direction = axisDirection(input.direction, dimensions, axis);
      size_t                    nearest = 0;
      double                    cosine = 0.0;
      for (size_t other = 0; other < dimensions; ++other)
      {
        const std::vector<double> reference = axisDirection(trained.direction, dimensions, other);
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
  }
  std::string sentence;
  for (const std::string & difference : differences)
    sentence += (sentence.empty() ? "" : "; ") + difference;
  return sentence;
}

} // namespace revgan
