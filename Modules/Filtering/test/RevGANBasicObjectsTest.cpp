// SPDX-License-Identifier: Apache-2.0
// ITK's basic object checks for every ITK class of the toolkit, as ITK's own tests make them
// (ITK_EXERCISE_BASIC_OBJECT_METHODS): New, CreateAnother, the names of the class and its
// superclass, and Print, whose text must hold the settings the class's PrintSelf adds.
#include "itkRevGANDTIPhantomImageFilter.h"
#include "itkRevGANErrorMetricsImageFilter.h"
#include "itkRevGANImageFilter.h"
#include "itkRevGANInteriorMaskImageFilter.h"
#include "itkRevGANTensorMetricsImageFilter.h"

#include <itkTestingMacros.h>
#include <itkVectorImage.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace
{

using Scalar3D = itk::Image<float, 3>;
using Mask3D = itk::Image<unsigned char, 3>;
using Vector3D = itk::VectorImage<float, 3>;

/// What the checks printed, and whether ITK's macro found the names right.
struct Exercise
{
  int         status{ EXIT_FAILURE };
  std::string printed;
};

/// ITK_EXERCISE_BASIC_OBJECT_METHODS on `object` (the class and superclass names as ITK spells
/// them), with what Print wrote; a new object made by CreateAnother must be of the same class.
#define REVGAN_EXERCISE_BASIC_OBJECT(object, ClassName, SuperclassName)                                                \
  [&]() -> Exercise                                                                                                    \
  {                                                                                                                    \
    Exercise result;                                                                                                   \
    testing::internal::CaptureStdout();                                                                                \
    result.status = [&]() -> int                                                                                       \
    {                                                                                                                  \
      ITK_EXERCISE_BASIC_OBJECT_METHODS(object, ClassName, SuperclassName);                                            \
      return std::strcmp(object->CreateAnother()->GetNameOfClass(), #ClassName) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;    \
    }();                                                                                                               \
    result.printed = testing::internal::GetCapturedStdout();                                                           \
    return result;                                                                                                     \
  }()

void
expectPrinted(const Exercise & exercise, const std::vector<std::string> & lines)
{
  EXPECT_EQ(exercise.status, EXIT_SUCCESS) << exercise.printed;
  for (const std::string & line : lines)
    EXPECT_NE(exercise.printed.find(line), std::string::npos) << "'" << line << "' not in:\n" << exercise.printed;
}

TEST(RevGANBasicObjects, ImageFilter)
{
  auto filter = itk::RevGANImageFilter<Vector3D>::New();
  filter->SetPatchSize(itk::Size<3>::Filled(32));
  expectPrinted(REVGAN_EXERCISE_BASIC_OBJECT(filter, RevGANImageFilter, ImageToImageFilter),
                { "Model: (none)",
                  "Direction: forward",
                  "PatchSize: [32, 32, 32]",
                  "Overlap: ",
                  "Blending: gaussian",
                  "PatchesPerBatch: " });
}

TEST(RevGANBasicObjects, InteriorMaskImageFilter)
{
  auto filter = itk::RevGANInteriorMaskImageFilter<Mask3D>::New();
  filter->SetRadius(3);
  expectPrinted(REVGAN_EXERCISE_BASIC_OBJECT(filter, RevGANInteriorMaskImageFilter, ImageToImageFilter),
                { "Radius: 3" });
}

TEST(RevGANBasicObjects, ErrorMetricsImageFilter)
{
  auto filter = itk::RevGANErrorMetricsImageFilter<Vector3D>::New();
  filter->SetDataRange(100.0);
  expectPrinted(REVGAN_EXERCISE_BASIC_OBJECT(filter, RevGANErrorMetricsImageFilter, RevGANMaskedComparisonSink),
                { "InteriorRadius: 2", "CheckGeometry: 1", "DataRange: 100", "RMSETotal: " });
}

TEST(RevGANBasicObjects, TensorMetricsImageFilter)
{
  auto filter = itk::RevGANTensorMetricsImageFilter<Vector3D>::New();
  filter->SetFAThreshold(0.3);
  expectPrinted(REVGAN_EXERCISE_BASIC_OBJECT(filter, RevGANTensorMetricsImageFilter, RevGANMaskedComparisonSink),
                { "InteriorRadius: 2", "FAThreshold: 0.3" });
}

TEST(RevGANBasicObjects, DTIPhantomImageFilter)
{
  auto filter = itk::RevGANDTIPhantomImageFilter<Scalar3D, Mask3D>::New();
  filter->SetSmoothing(1.5);
  expectPrinted(REVGAN_EXERCISE_BASIC_OBJECT(filter, RevGANDTIPhantomImageFilter, ImageToImageFilter),
                { "OutputSize: ", "Smoothing: 1.5 mm" });
}

} // namespace
