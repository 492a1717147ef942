// SPDX-License-Identifier: Apache-2.0
#include "itkRevGANImageBuffer.h"
#include "itkVectorImage.h"

#include <gtest/gtest.h>

namespace
{

TEST(RevGANImageBuffer, RoundTripKeepsValuesLayoutAndGeometry)
{
  using ImageType = itk::VectorImage<float, 3>;
  auto image = ImageType::New();
  image->SetRegions(ImageType::SizeType{ { 4, 3, 2 } });
  image->SetNumberOfComponentsPerPixel(2);
  ImageType::SpacingType spacing;
  spacing[0] = 0.5;
  spacing[1] = 2.0;
  spacing[2] = 3.0;
  image->SetSpacing(spacing);
  image->Allocate();
  for (itk::IndexValueType z = 0; z < 2; ++z)
    for (itk::IndexValueType y = 0; y < 3; ++y)
      for (itk::IndexValueType x = 0; x < 4; ++x)
      {
        ImageType::PixelType pixel(2);
        pixel[0] = static_cast<float>(x + 10 * y + 100 * z);
        pixel[1] = -pixel[0];
        image->SetPixel({ { x, y, z } }, pixel);
      }
  const revgan::ImageBuffer buffer = itk::ImageToRevGANBuffer(image.GetPointer());
  EXPECT_EQ(buffer.shape, (std::vector<int64_t>{ 2, 2, 3, 4 })); // (C, z, y, x)
  // Channel 0 at (z=1, y=2, x=3): offset ((1·3 + 2)·4 + 3) = 23.
  EXPECT_EQ(buffer.data[23], 123.0f);
  EXPECT_EQ(buffer.data[24 + 23], -123.0f);

  auto back = itk::RevGANBufferToImage<ImageType>(buffer, image.GetPointer());
  EXPECT_EQ(back->GetSpacing(), spacing);
  EXPECT_EQ(back->GetPixel({ { 3, 2, 1 } })[1], -123.0f);

  revgan::ImageBuffer wrong = buffer;
  wrong.shape[3] = 5;
  EXPECT_THROW(itk::RevGANBufferToImage<ImageType>(wrong, image.GetPointer()), itk::ExceptionObject);
}

} // namespace

#include "itkDiffusionTensor3D.h"

namespace
{

TEST(ConvertRevGANPixels, KeepsComponentOrderAndGeometry)
{
  using TensorType = itk::Image<itk::DiffusionTensor3D<float>, 3>;
  using VectorType = itk::VectorImage<float, 3>;
  auto tensors = TensorType::New();
  tensors->SetRegions(itk::Size<3>{ { 3, 2, 2 } });
  TensorType::SpacingType spacing;
  spacing.Fill(1.5);
  tensors->SetSpacing(spacing);
  tensors->Allocate();
  TensorType::PixelType tensor;
  for (unsigned int c = 0; c < 6; ++c)
    tensor[c] = static_cast<float>(c + 1);
  tensors->FillBuffer(tensor);
  const auto vectors = itk::ConvertRevGANPixels<VectorType>(tensors.GetPointer());
  EXPECT_EQ(vectors->GetNumberOfComponentsPerPixel(), 6u);
  EXPECT_EQ(vectors->GetSpacing(), spacing);
  EXPECT_EQ(vectors->GetPixel({ { 2, 1, 1 } })[3], 4.0f);
  const auto back = itk::ConvertRevGANPixels<TensorType>(vectors.GetPointer());
  EXPECT_EQ(back->GetPixel({ { 0, 0, 0 } })[5], 6.0f);
  using ScalarType = itk::Image<float, 3>;
  EXPECT_THROW(itk::ConvertRevGANPixels<ScalarType>(vectors.GetPointer()), itk::ExceptionObject);
}

} // namespace
