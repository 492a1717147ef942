// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "itkRevGANDiffusionWeightedToTensor.h"
#include "revgan/ImageFiles.h"

#include <stdexcept>
#include <string>

namespace revgan
{

/// Whether a scan file holds its gradients in its header (a NRRD as 3D Slicer writes it), so that
/// no FSL bval/bvec files are needed.
inline bool
holdsGradientsInHeader(const ImageFileInfo & info)
{
  return info.nrrd && info.dimensions == 3 && info.components > 1;
}

/// DTI tensors fitted to a diffusion-weighted scan file, in ITK's component order and the image
/// axes (the toolkit's convention): a NRRD as 3D Slicer writes it (gradients and b-value in its
/// header, in its measurement frame; `bval` and `bvec` empty), or a 4D NIfTI with FSL's `bval`
/// and `bvec` files. `info` is the scan's (inspectImageFile). Throws std::invalid_argument naming
/// the file for a scan of another kind or a gradient file that does not fit.
inline itk::VectorImage<float, 3>::Pointer
fitTensorsToScan(const std::string &   path,
                 const ImageFileInfo & info,
                 const std::string &   bval = {},
                 const std::string &   bvec = {})
{
  using VectorType = itk::VectorImage<float, 3>;
  if (holdsGradientsInHeader(info))
  {
    if (!bval.empty() || !bvec.empty())
      throw std::invalid_argument("'" + path +
                                  "' holds its gradients in its header; --bval and --bvec are for NIfTI scans");
    const auto scheme = itk::ReadRevGANDiffusionSchemeFromDictionary(info.metadata, info.components, path);
    const auto fitted = itk::ReconstructRevGANTensors(readVectorImage<3>(path, info).GetPointer(), scheme);
    auto       tensors = itk::ConvertRevGANPixels<VectorType>(fitted.GetPointer());
    // Fitted in the gradients' (measurement) frame; the toolkit holds tensors in the image axes.
    itk::RotateRevGANTensors(tensors.GetPointer(),
                             itk::RevGANFileFrameToImageAxes(info.metadata, tensors->GetDirection(), path));
    return tensors;
  }
  if (bval.empty() || bvec.empty())
    throw std::invalid_argument("'" + path + "' needs its b-values and gradient directions (--bval and --bvec)");
  if (info.dimensions != 4 || info.components != 1)
    throw std::invalid_argument("'" + path +
                                "' must be a diffusion-weighted scan: a 4D NIfTI (with --bval and --bvec) or a NRRD "
                                "with DWMRI_ gradients");
  const auto dwi = readingImageFile(path, [&] { return itk::ReadImage<itk::Image<float, 4>>(path); });
  const auto scheme = itk::RevGANFslSchemeInImageAxes(itk::ReadRevGANDiffusionScheme(bval, bvec), dwi->GetDirection());
  return itk::ConvertRevGANPixels<VectorType>(itk::ReconstructRevGANTensors(dwi.GetPointer(), scheme).GetPointer());
}

} // namespace revgan
