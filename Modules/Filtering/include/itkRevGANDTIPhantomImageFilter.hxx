// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANDTIPhantomImageFilter_hxx
#define itkRevGANDTIPhantomImageFilter_hxx

#include "itkImageRegionConstIterator.h"
#include "itkImageRegionIterator.h"
#include "itkImageRegionIteratorWithIndex.h"
#include "itkRevGANDTIPhantomImageFilter.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace itk
{

template<typename TScalarImage, typename TMaskImage>
RevGANDTIPhantomImageFilter<TScalarImage, TMaskImage>::RevGANDTIPhantomImageFilter()
{
  this->SetNumberOfRequiredInputs(2);
  this->DynamicMultiThreadingOn();
}

template<typename TScalarImage, typename TMaskImage>
void
RevGANDTIPhantomImageFilter<TScalarImage, TMaskImage>::GenerateOutputInformation()
{
  Superclass::GenerateOutputInformation();
  const TScalarImage * t1 = this->GetInput();
  const TMaskImage *   mask = this->GetMaskImage();
  if (!mask || mask->GetLargestPossibleRegion().GetSize() != t1->GetLargestPossibleRegion().GetSize())
  {
    itkExceptionMacro(<< "the brain mask must have the size of the T1 volume "
                      << t1->GetLargestPossibleRegion().GetSize());
  }
  OutputImageType *                     output = this->GetOutput();
  const auto                            inputSize = t1->GetLargestPossibleRegion().GetSize();
  SizeType                              size = m_OutputSize;
  typename OutputImageType::SpacingType spacing;
  typename OutputImageType::PointType   origin;
  for (unsigned int d = 0; d < 3; ++d)
  {
    if (size[d] == 0)
      size[d] = inputSize[d];
    // The same physical extent: voxel edges line up with the input's outer voxel edges.
    spacing[d] = t1->GetSpacing()[d] * static_cast<double>(inputSize[d]) / static_cast<double>(size[d]);
  }
  for (unsigned int d = 0; d < 3; ++d)
  {
    double shift = 0.0;
    for (unsigned int e = 0; e < 3; ++e)
      shift += t1->GetDirection()[d][e] * (spacing[e] - t1->GetSpacing()[e]) / 2.0;
    origin[d] = t1->GetOrigin()[d] + shift;
  }
  output->SetLargestPossibleRegion(OutputImageRegionType(size));
  output->SetSpacing(spacing);
  output->SetOrigin(origin);
  output->SetDirection(t1->GetDirection());
}

template<typename TScalarImage, typename TMaskImage>
void
RevGANDTIPhantomImageFilter<TScalarImage, TMaskImage>::GenerateInputRequestedRegion()
{
  Superclass::GenerateInputRequestedRegion();
  for (unsigned int i = 0; i < 2; ++i)
  {
    if (auto * input = this->ProcessObject::GetInput(i))
      static_cast<ImageBase<3> *>(input)->SetRequestedRegionToLargestPossibleRegion();
  }
}

template<typename TScalarImage, typename TMaskImage>
void
RevGANDTIPhantomImageFilter<TScalarImage, TMaskImage>::BeforeThreadedGenerateData()
{
  const TScalarImage *                   t1 = this->GetInput();
  const TMaskImage *                     mask = this->GetMaskImage();
  std::vector<double>                    brain;
  ImageRegionConstIterator<TScalarImage> it(t1, t1->GetLargestPossibleRegion());
  ImageRegionConstIterator<TMaskImage>   m(mask, mask->GetLargestPossibleRegion());
  for (; !it.IsAtEnd(); ++it, ++m)
  {
    if (m.Get() != 0)
      brain.push_back(static_cast<double>(it.Get()));
  }
  if (brain.empty())
  {
    itkExceptionMacro(<< "the brain mask is empty");
  }
  auto percentile = [&](double q)
  {
    auto nth = brain.begin() + static_cast<std::ptrdiff_t>(q * static_cast<double>(brain.size() - 1));
    std::nth_element(brain.begin(), nth, brain.end());
    return *nth;
  };
  m_LowIntensity = percentile(0.02);
  m_HighIntensity = std::max(percentile(0.98), m_LowIntensity + 1e-6);
  m_T1Interpolator = LinearInterpolateImageFunction<TScalarImage>::New();
  m_T1Interpolator->SetInputImage(t1);
  // The mask as a fraction, smoothed (the brain fraction b).
  m_BrainFraction = TScalarImage::New();
  m_BrainFraction->CopyInformation(mask);
  m_BrainFraction->SetRegions(mask->GetLargestPossibleRegion());
  m_BrainFraction->Allocate();
  {
    ImageRegionConstIterator<TMaskImage> source(mask, mask->GetLargestPossibleRegion());
    ImageRegionIterator<TScalarImage>    target(m_BrainFraction, m_BrainFraction->GetLargestPossibleRegion());
    for (; !source.IsAtEnd(); ++source, ++target)
      target.Set(source.Get() != 0 ? 1 : 0);
  }
  if (m_Smoothing > 0.0)
  {
    auto smooth = SmoothingRecursiveGaussianImageFilter<TScalarImage, TScalarImage>::New();
    smooth->SetInput(m_BrainFraction);
    smooth->SetSigma(m_Smoothing);
    smooth->Update();
    m_BrainFraction = smooth->GetOutput();
  }
  m_BrainInterpolator = LinearInterpolateImageFunction<TScalarImage>::New();
  m_BrainInterpolator->SetInputImage(m_BrainFraction);
}

template<typename TScalarImage, typename TMaskImage>
void
RevGANDTIPhantomImageFilter<TScalarImage, TMaskImage>::DynamicThreadedGenerateData(const OutputImageRegionType & region)
{
  OutputImageType * output = this->GetOutput();
  auto              logistic = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
  for (ImageRegionIteratorWithIndex<OutputImageType> it(output, region); !it.IsAtEnd(); ++it)
  {
    typename OutputImageType::PointType point;
    output->TransformIndexToPhysicalPoint(it.GetIndex(), point);
    typename OutputImageType::PixelType tensor;
    tensor.Fill(0.0f);
    const double brain = m_BrainInterpolator->IsInsideBuffer(point) ? m_BrainInterpolator->Evaluate(point) : 0.0;
    if (brain < 0.01 || !m_T1Interpolator->IsInsideBuffer(point))
    {
      it.Set(tensor);
      continue;
    }
    const double intensity = (m_T1Interpolator->Evaluate(point) - m_LowIntensity) / (m_HighIntensity - m_LowIntensity);
    // Soft tissue classes along the normalised T1 axis: CSF < 0.3 < grey matter < 0.65 < white matter.
    const double csf = 1.0 - logistic((intensity - 0.3) / 0.08);
    const double white = logistic((intensity - 0.65) / 0.08);
    const double grey = std::max(0.0, 1.0 - csf - white);
    const double parallel = (csf * 3.0 + grey * 1.0 + white * 1.7) * 1e-3;
    const double perpendicular = (csf * 3.0 + grey * 0.7 + white * 0.3) * 1e-3;
    // A smooth direction field over millimetres.
    const double x = point[0] / 25.0, y = point[1] / 25.0, z = point[2] / 25.0;
    double       v[3] = { std::cos(y) + 0.5 * std::sin(z), std::sin(x) + 0.3, std::cos(x + y) * 0.8 + 0.2 };
    const double norm = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    for (double & component : v)
      component /= norm;
    // ITK order: xx, xy, xz, yy, yz, zz.
    const unsigned int row[6] = { 0, 0, 0, 1, 1, 2 };
    const unsigned int column[6] = { 0, 1, 2, 1, 2, 2 };
    for (unsigned int c = 0; c < 6; ++c)
    {
      const double identity = row[c] == column[c] ? perpendicular : 0.0;
      tensor[c] = static_cast<float>(brain * (identity + (parallel - perpendicular) * v[row[c]] * v[column[c]]));
    }
    it.Set(tensor);
  }
}

template<typename TScalarImage, typename TMaskImage>
void
RevGANDTIPhantomImageFilter<TScalarImage, TMaskImage>::PrintSelf(std::ostream & os, Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "OutputSize: " << m_OutputSize << std::endl;
  os << indent << "Smoothing: " << m_Smoothing << " mm" << std::endl;
  os << indent << "T1 range (2nd–98th percentile in the mask): " << m_LowIntensity << " – " << m_HighIntensity
     << std::endl;
}

} // namespace itk

#endif
