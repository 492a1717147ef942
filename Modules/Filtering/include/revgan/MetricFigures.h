// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "itkImage.h"
#include "itkRevGANErrorMetricsImageFilter.h"
#include "itkRevGANTensorMetricsImageFilter.h"
#include "itkVectorImage.h"

#include <string>
#include <utility>
#include <vector>

namespace revgan
{

/// Figures by the names `revgan-evaluate --json` gives them, in its order; the one list that the
/// program and the Python package (`revgan.error_metrics`, `revgan.tensor_metrics`) both report.
using MetricFigures = std::vector<std::pair<std::string, double>>;

/// The settings of the comparison, with revgan-evaluate's defaults.
struct MetricSettings
{
  /// Box radius of the interior mask (2: 5×5×5).
  unsigned int interiorRadius{ 2 };
  /// Intensity range for PSNR and SSIM (2D).
  double dataRange{ 255.0 };
  /// Tensors: reference FA above which a voxel's principal direction counts for the angular error.
  double faThreshold{ 0.2 };
};

/// RMSE and MAE, total and interior, with their voxel counts, of `prediction` against `reference`
/// inside `mask` (non-zero voxels), compared voxel by voxel (the caller checks the geometry); for a
/// 2D scalar image also PSNR and SSIM. Throws itk::ExceptionObject for images of different sizes,
/// component counts, or an empty mask.
template<unsigned int D>
MetricFigures
errorFigures(const itk::VectorImage<float, D> *   prediction,
             const itk::VectorImage<float, D> *   reference,
             const itk::Image<unsigned char, D> * mask,
             const MetricSettings &               settings = {})
{
  auto metrics = itk::RevGANErrorMetricsImageFilter<itk::VectorImage<float, D>, itk::Image<unsigned char, D>>::New();
  metrics->SetInput(prediction);
  metrics->SetReferenceImage(reference);
  metrics->SetMaskImage(mask);
  metrics->SetInteriorRadius(settings.interiorRadius);
  metrics->SetDataRange(settings.dataRange);
  metrics->CheckGeometryOff();
  metrics->Update();
  MetricFigures figures{ { "rmse_total", metrics->GetRMSETotal() },
                         { "rmse_interior", metrics->GetRMSEInterior() },
                         { "mae_total", metrics->GetMAETotal() },
                         { "mae_interior", metrics->GetMAEInterior() },
                         { "voxels_total", static_cast<double>(metrics->GetVoxelsTotal()) },
                         { "voxels_interior", static_cast<double>(metrics->GetVoxelsInterior()) } };
  if (D == 2 && prediction->GetNumberOfComponentsPerPixel() == 1)
  {
    figures.emplace_back("psnr", metrics->GetPSNR());
    figures.emplace_back("ssim", metrics->GetSSIM());
  }
  return figures;
}

/// The tensor measures of two DTI volumes (6 components, xx, xy, xz, yy, yz, zz, both in the
/// image axes), total and interior: FA, MD, AD and RD errors, the principal direction's angular
/// error, the log-Euclidean distance and the share of voxels that are not positive definite.
inline MetricFigures
tensorFigures(const itk::VectorImage<float, 3> *   prediction,
              const itk::VectorImage<float, 3> *   reference,
              const itk::Image<unsigned char, 3> * mask,
              const MetricSettings &               settings = {})
{
  auto metrics = itk::RevGANTensorMetricsImageFilter<itk::VectorImage<float, 3>>::New();
  metrics->SetInput(prediction);
  metrics->SetReferenceImage(reference);
  metrics->SetMaskImage(mask);
  metrics->SetInteriorRadius(settings.interiorRadius);
  metrics->SetFAThreshold(settings.faThreshold);
  metrics->CheckGeometryOff();
  metrics->Update();
  MetricFigures figures;
  for (const auto & [suffix, errors] :
       { std::pair{ "_total", metrics->GetTotal() }, std::pair{ "_interior", metrics->GetInterior() } })
  {
    const std::string s = suffix;
    figures.insert(figures.end(),
                   { { "fa_rmse" + s, errors.faRMSE },
                     { "fa_mae" + s, errors.faMAE },
                     { "md_rmse" + s, errors.mdRMSE },
                     { "md_mae" + s, errors.mdMAE },
                     { "ad_rmse" + s, errors.adRMSE },
                     { "ad_mae" + s, errors.adMAE },
                     { "rd_rmse" + s, errors.rdRMSE },
                     { "rd_mae" + s, errors.rdMAE },
                     { "angular_error_degrees" + s, errors.angularErrorMean },
                     { "angular_voxels" + s, static_cast<double>(errors.voxelsAboveFAThreshold) },
                     { "log_euclidean" + s, errors.logEuclideanMean },
                     // The log-Euclidean mean is over the voxels where both tensors are positive
                     // definite: models with more non-PD voxels are scored over fewer.
                     { "log_euclidean_voxels" + s, static_cast<double>(errors.voxelsBothPositiveDefinite) },
                     { "non_pd_fraction" + s, errors.nonPositiveDefiniteFraction } });
  }
  return figures;
}

} // namespace revgan
