// SPDX-License-Identifier: Apache-2.0
// RevGANTensorMeasures and RevGANTensorMetricsImageFilter on tensors whose FA, diffusivities,
// principal directions and logarithms are known in closed form.
#include "KnownTensors.h"
#include "itkDiffusionTensor3D.h"
#include "itkImage.h"
#include "itkImageRegionIterator.h"
#include "itkRevGANTensorMeasures.h"
#include "itkRevGANTensorMetricsImageFilter.h"
#include "itkVectorImage.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <sstream>

namespace
{

using Components = revgan::test::TensorComponents;
using TensorImage = itk::VectorImage<float, 3>;
using Mask = itk::Image<unsigned char, 3>;

constexpr double pi = 3.14159265358979323846;

/// diag(a, b, c) rotated by `degrees` about z: R D Rᵀ.
Components
rotatedDiagonal(double a, double b, double c, double degrees)
{
  return revgan::test::rotatedDiagonal(a, b, c, degrees * pi / 180.0);
}

Components
scaled(Components d, double factor)
{
  for (auto & value : d)
    value *= factor;
  return d;
}

/// A 6-component image filled by `tensorAt(x, y, z)`.
template<typename TTensorAt>
TensorImage::Pointer
tensorImage(unsigned int size, TTensorAt tensorAt)
{
  auto image = TensorImage::New();
  image->SetRegions(TensorImage::SizeType{ { size, size, size } });
  image->SetNumberOfComponentsPerPixel(6);
  image->Allocate();
  for (itk::ImageRegionIterator<TensorImage> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    const auto                       index = it.GetIndex();
    const Components                 d = tensorAt(index[0], index[1], index[2]);
    itk::VariableLengthVector<float> pixel(6);
    for (unsigned int c = 0; c < 6; ++c)
      pixel[c] = static_cast<float>(d[c]);
    it.Set(pixel);
  }
  return image;
}

const Components reference = rotatedDiagonal(3e-3, 1e-3, 1e-3, 0.0);

TEST(RevGANTensorMeasures, ProlateTensorHasTheClosedFormMeasures)
{
  const auto m = itk::RevGANTensorMeasures::Of(rotatedDiagonal(3e-3, 1e-3, 1e-3, 30.0));
  // λ = (3, 1, 1)·10⁻³: MD = 5/3, deviations (4/3, −2/3, −2/3), FA = √(1.5 · (24/9) / 11) = √(4/11).
  EXPECT_NEAR(m.fractionalAnisotropy, std::sqrt(4.0 / 11.0), 1e-12);
  EXPECT_NEAR(m.meanDiffusivity, 5.0 / 3.0 * 1e-3, 1e-15);
  EXPECT_NEAR(m.axialDiffusivity, 3e-3, 1e-15);
  EXPECT_NEAR(m.radialDiffusivity, 1e-3, 1e-15);
  EXPECT_TRUE(m.positiveDefinite);
  // Principal direction (cos 30°, sin 30°, 0), up to sign.
  EXPECT_NEAR(std::abs(m.principalDirection[0]), std::cos(pi / 6), 1e-9);
  EXPECT_NEAR(std::abs(m.principalDirection[1]), std::sin(pi / 6), 1e-9);
  EXPECT_NEAR(m.principalDirection[2], 0.0, 1e-9);
  // log D = R diag(log 3e-3, log 1e-3, log 1e-3) Rᵀ.
  const Components logarithm = rotatedDiagonal(std::log(3e-3), std::log(1e-3), std::log(1e-3), 30.0);
  for (unsigned int c = 0; c < 6; ++c)
    EXPECT_NEAR(m.logarithm[c], logarithm[c], 1e-9) << "component " << c;
}

TEST(RevGANTensorMeasures, IsotropicAndIndefiniteTensors)
{
  const auto isotropic = itk::RevGANTensorMeasures::Of(Components{ 2e-3, 0, 0, 2e-3, 0, 2e-3 });
  EXPECT_NEAR(isotropic.fractionalAnisotropy, 0.0, 1e-7);
  EXPECT_TRUE(isotropic.positiveDefinite);
  const auto indefinite = itk::RevGANTensorMeasures::Of(Components{ 1e-3, 0, 0, 1e-3, 0, -1e-4 });
  EXPECT_FALSE(indefinite.positiveDefinite);
  EXPECT_NEAR(indefinite.radialDiffusivity, 0.5 * (1e-3 - 1e-4), 1e-15);
  EXPECT_FALSE(itk::RevGANTensorMeasures::Of(Components{}).positiveDefinite);
  EXPECT_EQ(itk::RevGANTensorMeasures::Of(Components{}).fractionalAnisotropy, 0.0);
}

TEST(RevGANTensorMeasures, AngleAndLogEuclideanDistanceOfARotation)
{
  const auto a = itk::RevGANTensorMeasures::Of(reference);
  for (const double degrees : { 10.0, 30.0, 90.0, 150.0 })
  {
    const auto b = itk::RevGANTensorMeasures::Of(rotatedDiagonal(3e-3, 1e-3, 1e-3, degrees));
    // 150° about z is the axis at 30°.
    EXPECT_NEAR(
      itk::RevGANTensorMeasures::AngleBetweenPrincipalDirections(a, b), std::min(degrees, 180 - degrees), 1e-6);
    // ‖L − R L Rᵀ‖ for L = diag(l1, l2, l2) rotated in the l1–l2 plane is √2 |l1 − l2| |sin θ|.
    EXPECT_NEAR(itk::RevGANTensorMeasures::LogEuclideanDistance(a, b),
                std::sqrt(2.0) * std::log(3.0) * std::abs(std::sin(degrees * pi / 180.0)),
                1e-9);
  }
  // Scaling by k moves every log-eigenvalue by log k: distance √3 |log k|.
  const auto b = itk::RevGANTensorMeasures::Of(scaled(reference, 1.2));
  EXPECT_NEAR(itk::RevGANTensorMeasures::LogEuclideanDistance(a, b), std::sqrt(3.0) * std::log(1.2), 1e-9);
}

TEST(RevGANTensorMetricsImageFilter, FiguresOfKnownErrors)
{
  // Reference everywhere diag(3, 1, 1)e-3. Prediction: x < 4 rotated 30° about z, x ≥ 4 scaled
  // by 1.2, except the voxels with z = 0, which get a negative eigenvalue.
  const auto referenceImage = tensorImage(8, [](long, long, long) { return reference; });
  const auto prediction = tensorImage(8,
                                      [](long x, long, long z)
                                      {
                                        if (z == 0)
                                          return Components{ 3e-3, 0, 0, 1e-3, 0, -1e-3 };
                                        return x < 4 ? rotatedDiagonal(3e-3, 1e-3, 1e-3, 30.0) : scaled(reference, 1.2);
                                      });
  auto       metrics = itk::RevGANTensorMetricsImageFilter<TensorImage>::New();
  metrics->SetInput(prediction);
  metrics->SetReferenceImage(referenceImage);
  metrics->Update();
  const auto & total = metrics->GetTotal();
  ASSERT_EQ(total.voxels, 512u);
  EXPECT_EQ(total.voxelsAboveFAThreshold, 512u);
  EXPECT_EQ(total.voxelsBothPositiveDefinite, 448u);
  EXPECT_NEAR(total.nonPositiveDefiniteFraction, 64.0 / 512.0, 1e-12);
  // 224 rotated (no MD error), 224 scaled (MD error 0.2 · 5/3e-3), 64 with λ = (3, 1, −1)e-3
  // (MD error 3/3e-3 − 5/3e-3 = −2/3e-3).
  const double mdScaled = 0.2 * 5.0 / 3.0 * 1e-3, mdIndefinite = 2.0 / 3.0 * 1e-3;
  EXPECT_NEAR(total.mdMAE, (224 * mdScaled + 64 * mdIndefinite) / 512.0, 1e-9);
  EXPECT_NEAR(total.mdRMSE, std::sqrt((224 * mdScaled * mdScaled + 64 * mdIndefinite * mdIndefinite) / 512.0), 1e-9);
  // AD: scaled voxels err by 0.6e-3, the others by 0. RD: scaled 0.2e-3, indefinite (0 − 1)e-3.
  EXPECT_NEAR(total.adMAE, 224 * 0.6e-3 / 512.0, 1e-9);
  EXPECT_NEAR(total.rdMAE, (224 * 0.2e-3 + 64 * 1e-3) / 512.0, 1e-9);
  // FA is unchanged by rotation and scale; the indefinite tensor's FA follows Westin's formula,
  // √((3 ‖D‖² − tr(D)²) / (2 ‖D‖²)) = √((33 − 9) / 22), above 1 as FA of an indefinite tensor can be.
  const double faIndefinite = std::sqrt(24.0 / 22.0);
  const double faReference = std::sqrt(4.0 / 11.0);
  EXPECT_NEAR(total.faMAE, 64 * std::abs(faIndefinite - faReference) / 512.0, 1e-6);
  // Angles: 30° for the 224 rotated voxels, 0° elsewhere (the indefinite tensor keeps x).
  EXPECT_NEAR(total.angularErrorMean, 224 * 30.0 / 512.0, 1e-5);
  // Log-Euclidean over the 448 positive-definite pairs.
  const double rotatedDistance = std::sqrt(2.0) * std::log(3.0) * 0.5, scaledDistance = std::sqrt(3.0) * std::log(1.2);
  EXPECT_NEAR(total.logEuclideanMean, (224 * rotatedDistance + 224 * scaledDistance) / 448.0, 1e-6);
  // No mask: the interior is the whole image.
  EXPECT_EQ(metrics->GetInterior().voxels, 512u);
  EXPECT_DOUBLE_EQ(metrics->GetInterior().angularErrorMean, total.angularErrorMean);
  // The same figures as decorated outputs (StatisticsImageFilter's way), which a pipeline can hold.
  EXPECT_EQ(metrics->GetTotalOutput()->Get(), total);
  EXPECT_EQ(metrics->GetInteriorOutput()->Get(), metrics->GetInterior());
  std::ostringstream printed;
  metrics->Print(printed);
  EXPECT_NE(printed.str().find("Total: FA RMSE "), std::string::npos) << printed.str();
}

TEST(RevGANTensorMetricsImageFilter, MaskInteriorAndFAThreshold)
{
  // Reference isotropic for x < 2 (FA 0: no angular error counted there); mask a 6³ box from 1 to 6;
  // its interior (radius 1) is the 4³ box from 2 to 5.
  const auto referenceImage =
    tensorImage(8, [](long x, long, long) { return x < 2 ? Components{ 1e-3, 0, 0, 1e-3, 0, 1e-3 } : reference; });
  const auto prediction = tensorImage(8,
                                      [](long x, long y, long z)
                                      {
                                        const bool inner = x >= 2 && x <= 5 && y >= 2 && y <= 5 && z >= 2 && z <= 5;
                                        return inner ? reference : rotatedDiagonal(3e-3, 1e-3, 1e-3, 90.0);
                                      });
  auto       mask = Mask::New();
  mask->SetRegions(Mask::SizeType{ { 8, 8, 8 } });
  mask->Allocate();
  for (itk::ImageRegionIterator<Mask> it(mask, mask->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    const auto i = it.GetIndex();
    it.Set(i[0] >= 1 && i[0] <= 6 && i[1] >= 1 && i[1] <= 6 && i[2] >= 1 && i[2] <= 6 ? 1 : 0);
  }
  auto metrics = itk::RevGANTensorMetricsImageFilter<TensorImage>::New();
  metrics->SetInput(prediction);
  metrics->SetReferenceImage(referenceImage);
  metrics->SetMaskImage(mask);
  metrics->SetInteriorRadius(1);
  metrics->SetNumberOfStreamDivisions(3);
  metrics->Update();
  const auto & total = metrics->GetTotal();
  const auto & interior = metrics->GetInterior();
  EXPECT_EQ(total.voxels, 216u);
  EXPECT_EQ(interior.voxels, 64u);
  // Anisotropic reference voxels in the mask: x from 2 to 6, 5 · 36 = 180; all 64 of the interior.
  EXPECT_EQ(total.voxelsAboveFAThreshold, 180u);
  EXPECT_EQ(interior.voxelsAboveFAThreshold, 64u);
  // Of the 180, the 64 interior voxels are exact, the other 116 turned by 90°.
  EXPECT_NEAR(total.angularErrorMean, 116 * 90.0 / 180.0, 1e-5);
  EXPECT_NEAR(interior.angularErrorMean, 0.0, 1e-5);
  EXPECT_NEAR(interior.faRMSE, 0.0, 1e-7);
  EXPECT_EQ(interior.nonPositiveDefiniteFraction, 0.0);
  metrics->SetFAThreshold(0.7); // above the reference's √(4/11) ≈ 0.603: no voxel counts
  metrics->Update();
  EXPECT_EQ(metrics->GetTotal().voxelsAboveFAThreshold, 0u);
  EXPECT_TRUE(std::isnan(metrics->GetTotal().angularErrorMean));
}

TEST(RevGANTensorMetricsImageFilter, TensorPixelsGiveTheSameFiguresAsVectorPixels)
{
  using DTIImage = itk::Image<itk::DiffusionTensor3D<float>, 3>;
  const auto vectorPrediction =
    tensorImage(6, [](long x, long, long) { return rotatedDiagonal(3e-3, 1e-3, 1e-3, 5.0 * x); });
  const auto vectorReference = tensorImage(6, [](long, long y, long) { return scaled(reference, 1.0 + 0.1 * y); });
  const auto asTensors = [](const TensorImage * image)
  {
    auto tensors = DTIImage::New();
    tensors->SetRegions(image->GetLargestPossibleRegion());
    tensors->Allocate();
    itk::ImageRegionConstIterator<TensorImage> in(image, image->GetLargestPossibleRegion());
    for (itk::ImageRegionIterator<DTIImage> out(tensors, tensors->GetLargestPossibleRegion()); !out.IsAtEnd();
         ++out, ++in)
    {
      itk::DiffusionTensor3D<float> d;
      for (unsigned int c = 0; c < 6; ++c)
        d[c] = in.Get()[c];
      out.Set(d);
    }
    return tensors;
  };
  auto vectors = itk::RevGANTensorMetricsImageFilter<TensorImage>::New();
  vectors->SetInput(vectorPrediction);
  vectors->SetReferenceImage(vectorReference);
  vectors->Update();
  auto tensors = itk::RevGANTensorMetricsImageFilter<DTIImage>::New();
  tensors->SetInput(asTensors(vectorPrediction));
  tensors->SetReferenceImage(asTensors(vectorReference));
  tensors->Update();
  EXPECT_GT(vectors->GetTotal().angularErrorMean, 1.0);
  EXPECT_DOUBLE_EQ(tensors->GetTotal().angularErrorMean, vectors->GetTotal().angularErrorMean);
  EXPECT_DOUBLE_EQ(tensors->GetTotal().mdRMSE, vectors->GetTotal().mdRMSE);
  EXPECT_DOUBLE_EQ(tensors->GetTotal().logEuclideanMean, vectors->GetTotal().logEuclideanMean);
}

TEST(RevGANTensorMetricsImageFilter, RefusesImagesThatAreNotTensors)
{
  auto three = TensorImage::New();
  three->SetRegions(TensorImage::SizeType{ { 4, 4, 4 } });
  three->SetNumberOfComponentsPerPixel(3);
  three->Allocate();
  auto metrics = itk::RevGANTensorMetricsImageFilter<TensorImage>::New();
  metrics->SetInput(three);
  metrics->SetReferenceImage(three);
  try
  {
    metrics->Update();
    FAIL() << "a 3-component image was measured as tensors";
  }
  catch (const itk::ExceptionObject & error)
  {
    EXPECT_NE(std::string(error.GetDescription()).find("diffusion tensors have 6"), std::string::npos)
      << error.GetDescription();
  }
}

} // namespace
