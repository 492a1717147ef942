// SPDX-License-Identifier: Apache-2.0
// A DTI pipeline: tensor NIfTI → super-resolution by a RevGAN-toolkit model → masked RMSE against
// a reference (total and interior) and tensor measures (FA error, angle of the principal
// direction) over the interior → fractional anisotropy map.
//
//   DTISuperResolution MODEL LOW_RESOLUTION REFERENCE MASK FA_OUTPUT
//
// prints one line of figures: rmse_total, rmse_interior, fa_min, fa_max, fa_rmse_interior,
// angular_error_degrees_interior.
#include "itkImageFileReader.h"
#include "itkImageFileWriter.h"
#include "itkMinimumMaximumImageCalculator.h"
#include "itkRevGANErrorMetricsImageFilter.h"
#include "itkRevGANImageFilter.h"
#include "itkRevGANTensorMetricsImageFilter.h"
#include "itkTensorFractionalAnisotropyImageFilter.h"

#include <iostream>

int
main(int argc, char * argv[])
{
  if (argc != 6)
  {
    std::cerr << "usage: " << argv[0] << " MODEL LOW_RESOLUTION REFERENCE MASK FA_OUTPUT" << std::endl;
    return 1;
  }
  // ITK's NIfTI reader gives tensors (intent SYMMATRIX) in ITK's order xx, xy, xz, yy, yz, zz.
  using TensorImage = itk::Image<itk::DiffusionTensor3D<float>, 3>;
  using MaskImage = itk::Image<unsigned char, 3>;
  using FAImage = itk::Image<float, 3>;
  try
  {
    auto lowResolution = itk::ImageFileReader<TensorImage>::New();
    lowResolution->SetFileName(argv[2]);

    auto superResolution = itk::RevGANImageFilter<TensorImage>::New();
    superResolution->SetInput(lowResolution->GetOutput());
    superResolution->SetModelFileName(argv[1]);
    itk::RevGANImageFilter<TensorImage>::SizeType patch, overlap;
    patch.Fill(16);
    overlap.Fill(4);
    superResolution->SetPatchSize(patch);
    superResolution->SetOverlap(overlap);

    const auto reference = itk::ReadImage<TensorImage>(argv[3]);
    const auto mask = itk::ReadImage<MaskImage>(argv[4]);
    auto       metrics = itk::RevGANErrorMetricsImageFilter<TensorImage, MaskImage>::New();
    metrics->SetInput(superResolution->GetOutput());
    metrics->SetReferenceImage(reference);
    metrics->SetMaskImage(mask);
    metrics->SetInteriorRadius(2);
    metrics->Update();

    auto tensorMetrics = itk::RevGANTensorMetricsImageFilter<TensorImage, MaskImage>::New();
    tensorMetrics->SetInput(superResolution->GetOutput());
    tensorMetrics->SetReferenceImage(reference);
    tensorMetrics->SetMaskImage(mask);
    tensorMetrics->Update();

    auto fa = itk::TensorFractionalAnisotropyImageFilter<TensorImage, FAImage>::New();
    fa->SetInput(superResolution->GetOutput());
    auto writer = itk::ImageFileWriter<FAImage>::New();
    writer->SetInput(fa->GetOutput());
    writer->SetFileName(argv[5]);
    writer->Update();

    auto range = itk::MinimumMaximumImageCalculator<FAImage>::New();
    range->SetImage(fa->GetOutput());
    range->Compute();
    std::cout << "rmse_total " << metrics->GetRMSETotal() << " rmse_interior " << metrics->GetRMSEInterior()
              << " fa_min " << range->GetMinimum() << " fa_max " << range->GetMaximum() << " fa_rmse_interior "
              << tensorMetrics->GetInterior().faRMSE << " angular_error_degrees_interior "
              << tensorMetrics->GetInterior().angularErrorMean << std::endl;
  }
  catch (const std::exception & error)
  {
    std::cerr << argv[0] << ": error: " << error.what() << std::endl;
    return 1;
  }
  return 0;
}
