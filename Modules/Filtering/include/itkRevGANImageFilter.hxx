#ifndef itkRevGANImageFilter_hxx
#define itkRevGANImageFilter_hxx

#include "itkMultiThreaderBase.h"
#include "itkRevGANImageFilter.h"
#include "itkRevGANPixelAccess.h"
#include "itkTimeProbe.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <vector>

namespace itk
{

template<typename TInputImage, typename TOutputImage>
RevGANImageFilter<TInputImage, TOutputImage>::RevGANImageFilter()
{
  m_PatchSize.Fill(ImageDimension == 2 ? 256 : 64);
  m_Overlap.Fill(ImageDimension == 2 ? 32 : 16);
}

template<typename TInputImage, typename TOutputImage>
void
RevGANImageFilter<TInputImage, TOutputImage>::SetModel(ModelPointer model)
{
  if (model != m_Model)
  {
    m_Model = std::move(model);
    this->Modified();
  }
}

template<typename TInputImage, typename TOutputImage>
void
RevGANImageFilter<TInputImage, TOutputImage>::SetModelFileName(const std::string & fileName)
{
  try
  {
    this->SetModel(revgan::ModelRunner::fromFile(fileName, m_Device));
  }
  catch (const std::exception & error)
  {
    itkExceptionMacro(<< error.what());
  }
}

template<typename TInputImage, typename TOutputImage>
void
RevGANImageFilter<TInputImage, TOutputImage>::VerifyPreconditions() ITKv5_CONST
{
  Superclass::VerifyPreconditions();
  if (!m_Model)
  {
    itkExceptionMacro(<< "no model set: call SetModel or SetModelFileName");
  }
  if (m_Model->dimensions() != static_cast<int64_t>(ImageDimension))
  {
    itkExceptionMacro(<< "the model is " << m_Model->dimensions() << "D but the image is " << ImageDimension << "D");
  }
  for (unsigned int d = 0; d < ImageDimension; ++d)
  {
    if (m_PatchSize[d] == 0 || m_PatchSize[d] % static_cast<SizeValueType>(m_Model->sizeMultiple()) != 0)
    {
      itkExceptionMacro(<< "patch size " << m_PatchSize[d] << " along axis " << d << " is not a positive multiple of "
                        << m_Model->sizeMultiple() << ", as the model (" << m_Model->description() << ") requires");
    }
    if (m_Overlap[d] >= m_PatchSize[d])
    {
      itkExceptionMacro(<< "overlap " << m_Overlap[d] << " along axis " << d << " must be smaller than the patch size "
                        << m_PatchSize[d]);
    }
  }
}

template<typename TInputImage, typename TOutputImage>
void
RevGANImageFilter<TInputImage, TOutputImage>::GenerateOutputInformation()
{
  Superclass::GenerateOutputInformation();
  if (!m_Model)
  {
    itkExceptionMacro(<< "no model set: call SetModel or SetModelFileName");
  }
  const InputImageType * input = this->GetInput();
  const auto             expected = static_cast<unsigned int>(m_Model->inputChannels(m_Direction));
  if (input->GetNumberOfComponentsPerPixel() != expected)
  {
    itkExceptionMacro(<< "the input has " << input->GetNumberOfComponentsPerPixel()
                      << " component(s) per pixel but the " << revgan::toString(m_Direction)
                      << " direction of the model (" << m_Model->description() << ") reads " << expected);
  }
  OutputImageType * output = this->GetOutput();
  const auto        produced = static_cast<unsigned int>(m_Model->outputChannels(m_Direction));
  output->SetNumberOfComponentsPerPixel(produced);
  if (output->GetNumberOfComponentsPerPixel() != produced)
  {
    itkExceptionMacro(<< "the output pixel type has " << output->GetNumberOfComponentsPerPixel()
                      << " component(s) but the model produces " << produced);
  }
}

template<typename TInputImage, typename TOutputImage>
auto
RevGANImageFilter<TInputImage, TOutputImage>::EffectivePatchSize() const -> SizeType
{
  const auto largest = this->GetInput()->GetLargestPossibleRegion().GetSize();
  const auto multiple = static_cast<SizeValueType>(m_Model->sizeMultiple());
  SizeType   size;
  for (unsigned int d = 0; d < ImageDimension; ++d)
  {
    const SizeValueType roundedExtent = (largest[d] + multiple - 1) / multiple * multiple;
    size[d] = std::min(m_PatchSize[d], roundedExtent);
  }
  return size;
}

template<typename TInputImage, typename TOutputImage>
auto
RevGANImageFilter<TInputImage, TOutputImage>::PatchesCovering(const OutputImageRegionType & region) const
  -> std::vector<std::vector<RevGANPatchAxis::Patch>>
{
  const auto                                       largest = this->GetInput()->GetLargestPossibleRegion();
  const SizeType                                   patch = this->EffectivePatchSize();
  std::vector<std::vector<RevGANPatchAxis::Patch>> perAxis;
  for (unsigned int d = 0; d < ImageDimension; ++d)
  {
    // Work in coordinates relative to the image's first index.
    const IndexValueType  begin = region.GetIndex(d) - largest.GetIndex(d);
    const IndexValueType  end = begin + static_cast<IndexValueType>(region.GetSize(d));
    const SizeValueType   overlap = std::min(m_Overlap[d], patch[d] - 1);
    const RevGANPatchAxis axis(largest.GetSize(d), patch[d], overlap);
    perAxis.push_back(axis.PatchesMeeting(begin, end));
  }
  return perAxis;
}

template<typename TInputImage, typename TOutputImage>
void
RevGANImageFilter<TInputImage, TOutputImage>::GenerateInputRequestedRegion()
{
  Superclass::GenerateInputRequestedRegion();
  auto * input = const_cast<InputImageType *>(this->GetInput());
  if (!input || !m_Model)
  {
    return;
  }
  const auto                          largest = input->GetLargestPossibleRegion();
  const SizeType                      patch = this->EffectivePatchSize();
  const auto                          perAxis = this->PatchesCovering(this->GetOutput()->GetRequestedRegion());
  typename InputImageType::RegionType requested;
  for (unsigned int d = 0; d < ImageDimension; ++d)
  {
    const IndexValueType first = perAxis[d].front().start;
    const IndexValueType last = std::min(perAxis[d].back().start + static_cast<IndexValueType>(patch[d]),
                                         static_cast<IndexValueType>(largest.GetSize(d)));
    requested.SetIndex(d, largest.GetIndex(d) + first);
    requested.SetSize(d, static_cast<SizeValueType>(last - first));
  }
  input->SetRequestedRegion(requested);
}

template<typename TInputImage, typename TOutputImage>
void
RevGANImageFilter<TInputImage, TOutputImage>::GenerateData()
{
  this->AllocateOutputs();
  const InputImageType * input = this->GetInput();
  OutputImageType *      output = this->GetOutput();
  const auto             outputRegion = output->GetRequestedRegion();
  const auto             largest = input->GetLargestPossibleRegion();
  const SizeType         patch = this->EffectivePatchSize();
  const auto             inChannels = static_cast<unsigned int>(m_Model->inputChannels(m_Direction));
  const auto             outChannels = static_cast<unsigned int>(m_Model->outputChannels(m_Direction));

  // Patches in the network's layout: axis 0 of the tensor is the slowest, i.e. ITK's last axis.
  std::vector<int64_t> spatial(ImageDimension);
  for (unsigned int d = 0; d < ImageDimension; ++d)
  {
    spatial[ImageDimension - 1 - d] = static_cast<int64_t>(patch[d]);
  }
  const size_t patchPixels = std::accumulate(patch.begin(), patch.end(), size_t{ 1 }, std::multiplies<>());

  // Per-axis weights of a patch position (constant or Gaussian around the patch centre).
  std::vector<std::vector<float>> axisWeight(ImageDimension);
  for (unsigned int d = 0; d < ImageDimension; ++d)
  {
    axisWeight[d].resize(patch[d], 1.0f);
    if (m_Blending == RevGANBlending::Gaussian)
    {
      const double sigma = std::max(1.0, patch[d] / 8.0);
      const double centre = (patch[d] - 1) / 2.0;
      for (SizeValueType i = 0; i < patch[d]; ++i)
      {
        axisWeight[d][i] = static_cast<float>(std::exp(-0.5 * std::pow((i - centre) / sigma, 2)));
      }
    }
  }

  // Every combination of per-axis patches is one patch.
  const auto                                                      perAxis = this->PatchesCovering(outputRegion);
  std::vector<std::array<RevGANPatchAxis::Patch, ImageDimension>> patches;
  {
    std::array<size_t, ImageDimension> counter{};
    while (true)
    {
      std::array<RevGANPatchAxis::Patch, ImageDimension> combination;
      for (unsigned int d = 0; d < ImageDimension; ++d)
        combination[d] = perAxis[d][counter[d]];
      patches.push_back(combination);
      unsigned int d = 0;
      while (d < ImageDimension && ++counter[d] == perAxis[d].size())
        counter[d++] = 0;
      if (d == ImageDimension)
        break;
    }
  }

  const size_t        regionPixels = outputRegion.GetNumberOfPixels();
  std::vector<float>  accumulated(regionPixels * outChannels, 0.0f);
  std::vector<float>  weightSum(regionPixels, 0.0f);
  const unsigned int  batchSize = std::min<unsigned int>(m_PatchesPerBatch, static_cast<unsigned int>(patches.size()));
  std::vector<float>  inputBuffer(batchSize * inChannels * patchPixels);
  std::vector<float>  outputBuffer(batchSize * outChannels * patchPixels);
  MultiThreaderBase * threader = this->GetMultiThreader();

  // Position inside a patch of each pixel in linear order (ITK's axis 0 fastest), computed once
  // rather than by repeated division for every pixel of every patch.
  std::vector<std::array<IndexValueType, ImageDimension>> patchOffsets(patchPixels);
  {
    std::array<IndexValueType, ImageDimension> position{};
    for (auto & offset : patchOffsets)
    {
      offset = position;
      for (unsigned int d = 0; d < ImageDimension && ++position[d] == static_cast<IndexValueType>(patch[d]); ++d)
        position[d] = 0;
    }
  }

  TimeProbe networkTime;
  for (size_t first = 0; first < patches.size(); first += batchSize)
  {
    const size_t count = std::min<size_t>(batchSize, patches.size() - first);
    // Gather: each patch reads the input, replicating the image border where it reaches beyond.
    threader->ParallelizeArray(
      0,
      count,
      [&](SizeValueType b)
      {
        const auto & where = patches[first + b];
        float *      destination = inputBuffer.data() + b * inChannels * patchPixels;
        for (size_t linear = 0; linear < patchPixels; ++linear)
        {
          typename InputImageType::IndexType index;
          for (unsigned int d = 0; d < ImageDimension; ++d)
          {
            const IndexValueType position = std::min<IndexValueType>(
              where[d].start + patchOffsets[linear][d], static_cast<IndexValueType>(largest.GetSize(d)) - 1);
            index[d] = largest.GetIndex(d) + position;
          }
          const InputPixelType value = input->GetPixel(index);
          for (unsigned int c = 0; c < inChannels; ++c)
            destination[c * patchPixels + linear] = RevGANPixelAccess<InputPixelType>::Get(value, c);
        }
      },
      nullptr);

    try
    {
      networkTime.Start();
      m_Model->run(inputBuffer.data(), outputBuffer.data(), static_cast<int64_t>(count), spatial, m_Direction);
      networkTime.Stop();
    }
    catch (const std::exception & error)
    {
      itkExceptionMacro(<< "running the model failed: " << error.what());
    }

    // Scatter: sequential over patches (their valid parts may overlap), parallel within a patch.
    for (size_t b = 0; b < count; ++b)
    {
      const auto &  where = patches[first + b];
      const float * source = outputBuffer.data() + b * outChannels * patchPixels;
      threader->ParallelizeArray(
        0,
        patchPixels,
        [&](SizeValueType linear)
        {
          typename OutputImageType::IndexType index;
          float                               weight = 1.0f;
          size_t                              regionOffset = 0;
          size_t                              stride = 1;
          for (unsigned int d = 0; d < ImageDimension; ++d)
          {
            const IndexValueType inPatch = patchOffsets[linear][d];
            const IndexValueType position = where[d].start + inPatch;
            if (position < where[d].validBegin || position >= where[d].validEnd)
              return;
            index[d] = largest.GetIndex(d) + position;
            if (index[d] < outputRegion.GetIndex(d) ||
                index[d] >= outputRegion.GetIndex(d) + static_cast<IndexValueType>(outputRegion.GetSize(d)))
              return;
            weight *= axisWeight[d][inPatch];
            regionOffset += static_cast<size_t>(index[d] - outputRegion.GetIndex(d)) * stride;
            stride *= outputRegion.GetSize(d);
          }
          weightSum[regionOffset] += weight;
          for (unsigned int c = 0; c < outChannels; ++c)
            accumulated[regionOffset * outChannels + c] += weight * source[c * patchPixels + linear];
        },
        nullptr);
    }

    this->UpdateProgress(static_cast<float>(first + count) / static_cast<float>(patches.size()));
    if (this->GetAbortGenerateData())
    {
      ProcessAborted aborted(__FILE__, __LINE__);
      aborted.SetDescription("RevGANImageFilter was aborted");
      throw aborted;
    }
  }

  // Normalise the blend and write the output pixels, region order = ITK's axis 0 fastest.
  threader->ParallelizeArray(
    0,
    regionPixels,
    [&](SizeValueType offset)
    {
      typename OutputImageType::IndexType index;
      SizeValueType                       rest = offset;
      for (unsigned int d = 0; d < ImageDimension; ++d)
      {
        index[d] = outputRegion.GetIndex(d) + static_cast<IndexValueType>(rest % outputRegion.GetSize(d));
        rest /= outputRegion.GetSize(d);
      }
      OutputPixelType pixel{};
      RevGANPixelAccess<OutputPixelType>::SetLength(pixel, outChannels);
      const float normaliser = weightSum[offset] > 0.0f ? 1.0f / weightSum[offset] : 0.0f;
      for (unsigned int c = 0; c < outChannels; ++c)
        RevGANPixelAccess<OutputPixelType>::Set(pixel, c, accumulated[offset * outChannels + c] * normaliser);
      output->SetPixel(index, pixel);
    },
    nullptr);
  m_NetworkSeconds = networkTime.GetTotal();
}

template<typename TInputImage, typename TOutputImage>
void
RevGANImageFilter<TInputImage, TOutputImage>::PrintSelf(std::ostream & os, Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "Model: " << (m_Model ? m_Model->description() : std::string("(none)")) << std::endl;
  os << indent << "Direction: " << revgan::toString(m_Direction) << std::endl;
  os << indent << "Device: " << m_Device << std::endl;
  os << indent << "PatchSize: " << m_PatchSize << std::endl;
  os << indent << "Overlap: " << m_Overlap << std::endl;
  os << indent << "Blending: " << (m_Blending == RevGANBlending::Gaussian ? "gaussian" : "constant") << std::endl;
  os << indent << "PatchesPerBatch: " << m_PatchesPerBatch << std::endl;
  os << indent << "NetworkSeconds: " << m_NetworkSeconds << std::endl;
}

} // namespace itk

#endif
