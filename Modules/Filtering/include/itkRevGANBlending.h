// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANBlending_h
#define itkRevGANBlending_h

// The blending of itk::RevGANImageFilter and its names, written once (the toolkit's EnumName
// table): the filter's PrintSelf, revgan-translate's option (and its 3D Slicer enumeration) and the
// Python package read it. No ITK headers, so that the programs' descriptions compile without ITK.

#include "revgan/EnumNames.h"

#include <ostream>
#include <string>
#include <vector>

namespace itk
{

/** How the predictions of overlapping patches are weighted where their valid parts meet. */
enum class RevGANBlending
{
  Constant,
  /** Weights fall off from each patch's centre (σ = max(1, patch size / 8)), as in MONAI. */
  Gaussian
};

/** The blendings and their names, the default (Gaussian) first. */
inline constexpr revgan::EnumName<RevGANBlending> RevGANBlendingNames[]{ { RevGANBlending::Gaussian, "gaussian" },
                                                                         { RevGANBlending::Constant, "constant" } };

/** The names alone, in the table's order ("gaussian", "constant"). */
inline std::vector<std::string>
RevGANBlendingNameList()
{
  std::vector<std::string> list;
  for (const auto & entry : RevGANBlendingNames)
    list.emplace_back(entry.name);
  return list;
}

/** The blending named `name`; throws std::invalid_argument naming the choices otherwise. */
inline RevGANBlending
RevGANBlendingFromName(const std::string & name)
{
  return revgan::parseEnumName(RevGANBlendingNames, name, "blending");
}

/** Prints the blending's name, as ITK prints its enumerations. */
inline std::ostream &
operator<<(std::ostream & out, RevGANBlending blending)
{
  return out << revgan::enumName(RevGANBlendingNames, blending);
}

} // namespace itk

#endif
