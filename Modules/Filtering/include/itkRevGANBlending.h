// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANBlending_h
#define itkRevGANBlending_h

// The blending of itk::RevGANImageFilter and its names, written once: the filter's PrintSelf,
// revgan-translate's option (and its 3D Slicer enumeration) and the Python package read this
// table. No ITK headers, so that the programs' descriptions compile without ITK.

#include <array>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace itk
{

/** How the predictions of overlapping patches are weighted where their valid parts meet. */
enum class RevGANBlending
{
  Constant,
  /** Weights fall off from each patch's centre (σ = patch size / 8), as in MONAI. */
  Gaussian
};

/** The blendings and their names, the default (Gaussian) first. */
inline const std::array<std::pair<RevGANBlending, const char *>, 2> &
RevGANBlendingNames()
{
  static const std::array<std::pair<RevGANBlending, const char *>, 2> names{
    { { RevGANBlending::Gaussian, "gaussian" }, { RevGANBlending::Constant, "constant" } }
  };
  return names;
}

/** The names alone, in the table's order ("gaussian", "constant"). */
inline std::vector<std::string>
RevGANBlendingNameList()
{
  std::vector<std::string> list;
  for (const auto & entry : RevGANBlendingNames())
    list.emplace_back(entry.second);
  return list;
}

/** The blending named `name`; throws std::invalid_argument naming the choices otherwise. */
inline RevGANBlending
RevGANBlendingFromName(const std::string & name)
{
  std::string choices;
  for (const auto & [blending, known] : RevGANBlendingNames())
  {
    if (name == known)
      return blending;
    choices += (choices.empty() ? "" : " or ") + std::string(known);
  }
  throw std::invalid_argument("unknown blending '" + name + "' (expected " + choices + ")");
}

/** Prints the blending's name, as ITK prints its enumerations. */
inline std::ostream &
operator<<(std::ostream & out, RevGANBlending blending)
{
  for (const auto & [value, name] : RevGANBlendingNames())
    if (value == blending)
      return out << name;
  return out << "RevGANBlending(" << static_cast<int>(blending) << ")";
}

} // namespace itk

#endif
