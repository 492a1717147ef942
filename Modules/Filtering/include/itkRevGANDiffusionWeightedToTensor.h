// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANDiffusionWeightedToTensor_h
#define itkRevGANDiffusionWeightedToTensor_h

#include "itkComposeImageFilter.h"
#include "itkDiffusionTensor3DReconstructionImageFilter.h"
#include "itkExtractImageFilter.h"
#include "itkImageFileReader.h"
#include "itkImageRegionIterator.h"
#include "itkMetaDataObject.h"
#include "itkVectorImage.h"
#include "vnl/algo/vnl_determinant.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace itk
{

/** b-values and unit gradient directions of a diffusion-weighted scan (one per volume). */
struct RevGANDiffusionScheme
{
  /// The b-value of each volume, in the file's units (usually s/mm²).
  std::vector<double> bValues;
  /// The unit gradient direction of each volume; a zero vector where none is given (b = 0 volumes).
  std::vector<std::array<double, 3>> directions;
};

/** Reads FSL-style .bval and .bvec files. The .bvec may hold 3 rows of N values (FSL) or N rows of
 * 3 (as dipy writes); "nan" directions (b = 0 volumes) become zero vectors. Errors name the file. */
inline RevGANDiffusionScheme
ReadRevGANDiffusionScheme(const std::string & bvalFile, const std::string & bvecFile)
{
  auto readRows = [](const std::string & file)
  {
    std::ifstream stream(file);
    if (!stream)
    {
      itkGenericExceptionMacro(<< "'" << file << "' cannot be read");
    }
    std::vector<std::vector<double>> rows;
    for (std::string line; std::getline(stream, line);)
    {
      std::istringstream  tokens(line);
      std::vector<double> row;
      for (std::string token; tokens >> token;)
      {
        char *       end = nullptr;
        const double value = std::strtod(token.c_str(), &end);
        if (end == token.c_str() || *end != '\0')
        {
          itkGenericExceptionMacro(<< "'" << file << "': '" << token << "' is not a number");
        }
        row.push_back(value);
      }
      if (!row.empty())
        rows.push_back(row);
    }
    return rows;
  };
  RevGANDiffusionScheme scheme;
  for (const auto & row : readRows(bvalFile))
    scheme.bValues.insert(scheme.bValues.end(), row.begin(), row.end());
  const size_t count = scheme.bValues.size();
  const auto   rows = readRows(bvecFile);
  const bool   threeRows =
    rows.size() == 3 && rows[0].size() == count && rows[1].size() == count && rows[2].size() == count;
  bool oneRowEach = rows.size() == count;
  for (const auto & row : rows)
    oneRowEach = oneRowEach && row.size() == 3;
  if (count == 0 || (!threeRows && !oneRowEach))
  {
    itkGenericExceptionMacro(<< "'" << bvecFile << "' must hold 3 rows of " << count << " values or " << count
                             << " rows of 3 values, matching '" << bvalFile << "'");
  }
  for (size_t i = 0; i < count; ++i)
  {
    std::array<double, 3> g{};
    for (unsigned int d = 0; d < 3; ++d)
      g[d] = threeRows ? rows[d][i] : rows[i][d];
    const double norm = std::sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
    for (auto & component : g)
      component = std::isfinite(norm) && norm > 0.0 ? component / norm : 0.0;
    scheme.directions.push_back(g);
  }
  return scheme;
}

/** The scheme of FSL's .bvec along the scan's own image axes. FSL's gradients are in the image
 * axes as its radiological convention sees them: where the voxel-to-world matrix has a positive
 * determinant (voxels stored in neurological order), the x axis is reversed. dcm2niix and FSL write
 * .bvec files so, and FSL and MRtrix read them so (dipy does not); reading them as plain image axes would
 * flip the sign of Dxy and Dxz in every such scan. `direction` is the scan's direction cosines (of
 * a 4D scan, the first three axes are the spatial ones); ITK's LPS matrix has the determinant of
 * the file's RAS matrix, as the two differ by a rotation about z. */
template<unsigned int VDimension>
RevGANDiffusionScheme
RevGANFslSchemeInImageAxes(RevGANDiffusionScheme scheme, const Matrix<double, VDimension, VDimension> & direction)
{
  static_assert(VDimension >= 3, "a diffusion-weighted scan has three spatial axes");
  if (vnl_determinant(direction.GetVnlMatrix().extract(3, 3)) > 0.0)
    for (auto & g : scheme.directions)
      g[0] = -g[0];
  return scheme;
}

/** The diffusion scheme of a diffusion-weighted NRRD as 3D Slicer and DWIConvert write it: a
 * nominal b-value in the key `DWMRI_b-value` and one gradient per volume in `DWMRI_gradient_0000`,
 * `DWMRI_gradient_0001`, …, whose squared length scales the b-value (b_i = b · |g_i|²). The
 * gradients are in the file's measurement frame, and so are the tensors fitted with them. Errors
 * name the file. */
inline RevGANDiffusionScheme
ReadRevGANDiffusionSchemeFromDictionary(const MetaDataDictionary & dictionary,
                                        unsigned int               volumes,
                                        const std::string &        fileName)
{
  auto number = [&](const std::string & key, const std::string & text)
  {
    std::istringstream  tokens(text);
    std::vector<double> values;
    for (std::string token; tokens >> token;)
    {
      char *       end = nullptr;
      const double value = std::strtod(token.c_str(), &end);
      if (end == token.c_str() || *end != '\0' || !std::isfinite(value))
      {
        itkGenericExceptionMacro(<< "'" << fileName << "': " << key << " holds '" << token << "', not a number");
      }
      values.push_back(value);
    }
    return values;
  };
  std::string bText;
  if (!ExposeMetaData(dictionary, "DWMRI_b-value", bText))
  {
    itkGenericExceptionMacro(<< "'" << fileName
                             << "' has no DWMRI_b-value: not a diffusion-weighted NRRD (give a 4D NIfTI with --bval "
                                "and --bvec instead)");
  }
  const auto b = number("DWMRI_b-value", bText);
  if (b.size() != 1 || !(b[0] > 0.0))
  {
    itkGenericExceptionMacro(<< "'" << fileName << "': DWMRI_b-value must be one positive number");
  }
  RevGANDiffusionScheme scheme;
  for (unsigned int v = 0; v < volumes; ++v)
  {
    char key[32];
    std::snprintf(key, sizeof(key), "DWMRI_gradient_%04u", v);
    std::string text;
    if (!ExposeMetaData(dictionary, key, text))
    {
      itkGenericExceptionMacro(<< "'" << fileName << "' has " << volumes << " volumes but no " << key);
    }
    const auto g = number(key, text);
    if (g.size() != 3)
    {
      itkGenericExceptionMacro(<< "'" << fileName << "': " << key << " must hold 3 numbers");
    }
    const double squared = g[0] * g[0] + g[1] * g[1] + g[2] * g[2];
    const double norm = std::sqrt(squared);
    scheme.bValues.push_back(b[0] * squared);
    scheme.directions.push_back(norm > 0.0 ? std::array<double, 3>{ g[0] / norm, g[1] / norm, g[2] / norm }
                                           : std::array<double, 3>{});
  }
  return scheme;
}

/** Fits diffusion tensors to diffusion-weighted signals (one component per gradient) with ITK's
 * DiffusionTensor3DReconstructionImageFilter (log-linear least squares). Volumes with b below
 * `b0Threshold` are the reference. The ITK filter takes a single b-value (it normalises the
 * gradient directions), so each weighted signal is first brought to b_max:
 * S' = S0 · (S / S0)^(b_max / b), with S0 the mean reference signal of the voxel — exact for the
 * log-linear fit. Tensors are in mm²/s when b is in s/mm², in the frame of the gradients. */
inline Image<DiffusionTensor3D<float>, 3>::Pointer
ReconstructRevGANTensors(const VectorImage<float, 3> * dwi,
                         const RevGANDiffusionScheme & scheme,
                         double                        b0Threshold = 50.0)
{
  using VectorType = VectorImage<float, 3>;
  if (dwi->GetNumberOfComponentsPerPixel() != scheme.bValues.size())
  {
    itkGenericExceptionMacro(<< "the scan has " << dwi->GetNumberOfComponentsPerPixel()
                             << " volumes but the gradient scheme lists " << scheme.bValues.size());
  }
  auto signals = VectorType::New();
  signals->CopyInformation(dwi);
  signals->SetRegions(dwi->GetLargestPossibleRegion());
  signals->SetNumberOfComponentsPerPixel(dwi->GetNumberOfComponentsPerPixel());
  signals->Allocate();
  std::copy(
    dwi->GetBufferPointer(), dwi->GetBufferPointer() + dwi->GetPixelContainer()->Size(), signals->GetBufferPointer());
  double bMax = 0.0;
  for (const double b : scheme.bValues)
    bMax = std::max(bMax, b);
  for (ImageRegionIterator<VectorType> it(signals, signals->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    auto   pixel = it.Get();
    double reference = 0.0;
    int    references = 0;
    for (size_t i = 0; i < scheme.bValues.size(); ++i)
    {
      if (scheme.bValues[i] < b0Threshold)
      {
        reference += pixel[static_cast<unsigned int>(i)];
        ++references;
      }
    }
    reference /= std::max(references, 1);
    for (size_t i = 0; i < scheme.bValues.size(); ++i)
    {
      const auto index = static_cast<unsigned int>(i);
      if (scheme.bValues[i] >= b0Threshold && reference > 0.0 && pixel[index] > 0.0f)
        pixel[index] = static_cast<float>(reference * std::pow(pixel[index] / reference, bMax / scheme.bValues[i]));
    }
    it.Set(pixel);
  }
  using ReconstructionType = DiffusionTensor3DReconstructionImageFilter<float, float, float>;
  auto gradients = ReconstructionType::GradientDirectionContainerType::New();
  bool hasReference = false;
  for (size_t i = 0; i < scheme.bValues.size(); ++i)
  {
    typename ReconstructionType::GradientDirectionType g;
    const bool                                         reference = scheme.bValues[i] < b0Threshold;
    hasReference = hasReference || reference;
    for (unsigned int d = 0; d < 3; ++d)
      g[d] = reference ? 0.0 : scheme.directions[i][d];
    gradients->InsertElement(static_cast<unsigned int>(i), g);
  }
  if (!hasReference)
  {
    itkGenericExceptionMacro(<< "the scan has no b=0 volume (b below " << b0Threshold << ")");
  }
  auto reconstruction = ReconstructionType::New();
  reconstruction->SetGradientImage(gradients, signals.GetPointer());
  reconstruction->SetBValue(bMax);
  reconstruction->Update();
  return reconstruction->GetOutput();
}

/** ReconstructRevGANTensors for a diffusion-weighted scan stored as a 4D image, one volume per
 * gradient (NIfTI). */
template<typename TDwiImage>
typename Image<DiffusionTensor3D<float>, 3>::Pointer
ReconstructRevGANTensors(const TDwiImage * dwi, const RevGANDiffusionScheme & scheme, double b0Threshold = 50.0)
{
  static_assert(TDwiImage::ImageDimension == 4, "the diffusion-weighted scan is a 4D image");
  const auto region4 = dwi->GetLargestPossibleRegion();
  if (region4.GetSize(3) != scheme.bValues.size())
  {
    itkGenericExceptionMacro(<< "the scan has " << region4.GetSize(3) << " volumes but the gradient scheme lists "
                             << scheme.bValues.size());
  }
  using VolumeType = Image<float, 3>;
  using VectorType = VectorImage<float, 3>;
  auto                                      compose = ComposeImageFilter<VolumeType, VectorType>::New();
  std::vector<typename VolumeType::Pointer> volumes;
  for (unsigned int v = 0; v < region4.GetSize(3); ++v)
  {
    auto                           extract = ExtractImageFilter<TDwiImage, VolumeType>::New();
    typename TDwiImage::RegionType slab = region4;
    slab.SetIndex(3, region4.GetIndex(3) + v);
    slab.SetSize(3, 0);
    extract->SetInput(dwi);
    extract->SetExtractionRegion(slab);
    extract->SetDirectionCollapseToSubmatrix();
    extract->Update();
    volumes.push_back(extract->GetOutput());
    compose->SetInput(v, volumes.back());
  }
  compose->Update();
  return ReconstructRevGANTensors(compose->GetOutput(), scheme, b0Threshold);
}

} // namespace itk

#endif
