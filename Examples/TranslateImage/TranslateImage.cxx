// SPDX-License-Identifier: Apache-2.0
// An ITK pipeline with a RevGAN model in it: reader → itk::RevGANImageFilter → writer.
//
//   TranslateImage MODEL INPUT OUTPUT [forward|inverse]
//
// translates a 2D image (PNG, NIfTI, NRRD, …) with a model file written by revgan-train, patch by
// patch; "inverse" runs the same weights backwards (Y → X).
#include "itkImageFileReader.h"
#include "itkImageFileWriter.h"
#include "itkRevGANImageFilter.h"
#include "itkVectorImage.h"

#include <iostream>

int
main(int argc, char * argv[])
{
  if (argc < 4 || argc > 5)
  {
    std::cerr << "usage: " << argv[0] << " MODEL INPUT OUTPUT [forward|inverse]" << std::endl;
    return 1;
  }
  using ImageType = itk::VectorImage<float, 2>;
  try
  {
    auto reader = itk::ImageFileReader<ImageType>::New();
    reader->SetFileName(argv[2]);

    auto translate = itk::RevGANImageFilter<ImageType>::New();
    translate->SetInput(reader->GetOutput());
    translate->SetModelFileName(argv[1]);
    translate->SetDirection(argc == 5 && std::string(argv[4]) == "inverse" ? revgan::Direction::Inverse
                                                                           : revgan::Direction::Forward);
    itk::RevGANImageFilter<ImageType>::SizeType patch, overlap;
    patch.Fill(64);
    overlap.Fill(16);
    translate->SetPatchSize(patch);
    translate->SetOverlap(overlap);

    auto writer = itk::ImageFileWriter<ImageType>::New();
    writer->SetInput(translate->GetOutput());
    writer->SetFileName(argv[3]);
    writer->Update();
  }
  catch (const std::exception & error)
  {
    std::cerr << argv[0] << ": error: " << error.what() << std::endl;
    return 1;
  }
  return 0;
}
