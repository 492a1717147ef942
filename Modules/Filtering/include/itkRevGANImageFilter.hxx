// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANImageFilter_hxx
#define itkRevGANImageFilter_hxx

#include "itkImageRegionConstIterator.h"
#include "itkImageRegionIterator.h"
#include "itkIndexRange.h"
#include "itkMultiThreaderBase.h"
#include "itkRevGANImageFilter.h"
#include "itkRevGANInputGrid.h"
#include "itkRevGANPixelAccess.h"
#include "itkTimeProbe.h"
#include "itkZeroFluxNeumannBoundaryCondition.h"
#include "revgan/ModelRunner.h"

#include <algorithm>
#include <numeric>
#include <type_traits>
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
  if (model != m_Model || !m_ModelFileName.empty())
  {
    m_Model = std::move(model);
    m_ModelFileName.clear();
    m_LoadedFrom.clear();
    this->Modified();
  }
}

template<typename TInputImage, typename TOutputImage>
void
RevGANImageFilter<TInputImage, TOutputImage>::SetModelFileName(const std::string & fileName)
{
  if (fileName != m_ModelFileName)
  {
    m_ModelFileName = fileName;
    this->Modified();
  }
}

template<typename TInputImage, typename TOutputImage>
void
RevGANImageFilter<TInputImage, TOutputImage>::UpdateOutputInformation()
{
  // Loaded when the pipeline runs, on the device set by then, whatever the order of the setters.
  const std::string source = m_ModelFileName + "\n" + m_Device;
  if (!m_ModelFileName.empty() && source != m_LoadedFrom)
  {
    try
    {
      m_Model = revgan::ModelRunner::fromFile(m_ModelFileName, m_Device);
    }
    catch (const std::exception & error)
    {
      itkExceptionMacro(<< error.what());
    }
    m_LoadedFrom = source;
  }
  Superclass::UpdateOutputInformation();
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
  if (this->ResamplesInput())
  {
    const revgan::DomainFrame & frame = m_Model->inputFrame(m_Direction);
    if (!revgan::isInputInterpolation(frame.interpolation))
    {
      itkExceptionMacro(<< "the model (" << m_Model->description() << ") records the input interpolation '"
                        << frame.interpolation << "', which is not nearest, linear or bspline");
    }
    typename Image<unsigned char, ImageDimension>::Pointer grid;
    try
    {
      grid = RevGANFineGrid<ImageDimension>(input, frame.gridFactors);
    }
    catch (const std::exception & error)
    {
      itkExceptionMacro(<< "the model (" << m_Model->description() << ") records an input grid that does not fit a "
                        << ImageDimension << "D image: " << error.what());
    }
    output->SetLargestPossibleRegion(grid->GetLargestPossibleRegion());
    output->SetSpacing(grid->GetSpacing());
    output->SetOrigin(grid->GetOrigin());
    output->SetDirection(grid->GetDirection());
  }
  const auto produced = static_cast<unsigned int>(m_Model->outputChannels(m_Direction));
  output->SetNumberOfComponentsPerPixel(produced);
  if (output->GetNumberOfComponentsPerPixel() != produced)
  {
    itkExceptionMacro(<< "the output pixel type has " << output->GetNumberOfComponentsPerPixel()
                      << " component(s) but the model produces " << produced);
  }
}

template<typename TInputImage, typename TOutputImage>
bool
RevGANImageFilter<TInputImage, TOutputImage>::ResamplesInput() const
{
  return m_Model && m_Model->inputFrame(m_Direction).resamplesInput();
}

template<typename TInputImage, typename TOutputImage>
auto
RevGANImageFilter<TInputImage, TOutputImage>::EffectivePatchSize() const -> SizeType
{
  // The output's grid is the network's: the input's, or the input's fine grid.
  const auto largest = this->GetOutput()->GetLargestPossibleRegion().GetSize();
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
void
RevGANImageFilter<TInputImage, TOutputImage>::GenerateInputRequestedRegion()
{
  Superclass::GenerateInputRequestedRegion();
  auto * input = const_cast<InputImageType *>(this->GetInput());
  if (!input || !m_Model)
  {
    return;
  }
  if (this->ResamplesInput())
  {
    // A cubic B-spline's coefficients depend on the whole image: each piece reads all of it, so
    // that every piece interpolates as one pass would.
    input->SetRequestedRegionToLargestPossibleRegion();
    return;
  }
  const RevGANPatchGrid<ImageDimension> grid(
    input->GetLargestPossibleRegion(), this->EffectivePatchSize(), m_Overlap, this->GetOutput()->GetRequestedRegion());
  input->SetRequestedRegion(grid.InputRegion());
}

template<typename TInputImage, typename TOutputImage>
auto
RevGANImageFilter<TInputImage, TOutputImage>::InterpolatedInput(const InputRegionType & region) const ->
  typename NetworkInputImageType::Pointer
{
  const InputImageType *                  input = this->GetInput();
  typename NetworkInputImageType::Pointer components;
  if constexpr (std::is_same_v<InputImageType, NetworkInputImageType>)
  {
    components = const_cast<NetworkInputImageType *>(input);
  }
  else
  {
    // The interpolators take scalar or vector images of floats: the pixels' components first.
    const auto channels = input->GetNumberOfComponentsPerPixel();
    components = NetworkInputImageType::New();
    components->CopyInformation(input);
    components->SetRegions(input->GetBufferedRegion());
    components->SetNumberOfComponentsPerPixel(channels);
    components->Allocate();
    ImageRegionIterator<NetworkInputImageType> out(components, components->GetBufferedRegion());
    VariableLengthVector<float>                value(channels);
    for (ImageRegionConstIterator<InputImageType> it(input, input->GetBufferedRegion()); !it.IsAtEnd(); ++it, ++out)
    {
      for (unsigned int c = 0; c < channels; ++c)
        value[c] = RevGANPixelAccess<InputPixelType>::Get(it.Get(), c);
      out.Set(value);
    }
  }
  const revgan::DomainFrame & frame = m_Model->inputFrame(m_Direction);
  auto                        grid = RevGANFineGrid<ImageDimension>(input, frame.gridFactors);
  grid->SetRegions(region);
  return InterpolateRevGANImage<ImageDimension>(components.GetPointer(), grid.GetPointer(), frame.interpolation);
}

template<typename TInputImage, typename TOutputImage>
template<typename TSource>
void
RevGANImageFilter<TInputImage, TOutputImage>::GatherPatch(const TSource *         source,
                                                          const InputRegionType & region,
                                                          float *                 destination) const
{
  using SourcePixelType = typename TSource::PixelType;
  const size_t patchPixels = region.GetNumberOfPixels();
  const auto   channels = static_cast<unsigned int>(m_Model->inputChannels(m_Direction));
  size_t       linear = 0;
  const auto   store = [&](const SourcePixelType & value)
  {
    for (unsigned int c = 0; c < channels; ++c)
      destination[c * patchPixels + linear] = RevGANPixelAccess<SourcePixelType>::Get(value, c);
    ++linear;
  };
  // Both visit the patch in ITK's order (axis 0 fastest), the network's C order reversed.
  if (source->GetBufferedRegion().IsInside(region))
  {
    for (ImageRegionConstIterator<TSource> it(source, region); !it.IsAtEnd(); ++it)
      store(it.Get());
    return;
  }
  // Only an image smaller than a patch along some axis gets here: its border is replicated.
  const ZeroFluxNeumannBoundaryCondition<TSource> border;
  for (const auto & index : ImageRegionIndexRange<ImageDimension>(region))
    store(border.GetPixel(index, source));
}

template<typename TInputImage, typename TOutputImage>
void
RevGANImageFilter<TInputImage, TOutputImage>::ScatterPatch(const InputRegionType &                     patchRegion,
                                                           InputRegionType                             validRegion,
                                                           const float *                               source,
                                                           const RevGANImportanceMap<ImageDimension> & importance,
                                                           BlendImageType *                            blend,
                                                           WeightImageType *                           weights) const
{
  if (!validRegion.Crop(blend->GetBufferedRegion()))
  {
    return;
  }
  const size_t       patchPixels = patchRegion.GetNumberOfPixels();
  const unsigned int channels = blend->GetNumberOfComponentsPerPixel();
  // Regions of one patch hold no pixel twice: its parts are blended side by side.
  this->GetMultiThreader()->template ParallelizeImageRegion<ImageDimension>(
    validRegion,
    [&](const InputRegionType & part)
    {
      ImageRegionIterator<BlendImageType>  sum(blend, part);
      ImageRegionIterator<WeightImageType> weight(weights, part);
      VariableLengthVector<float>          value(channels);
      for (const auto & index : ImageRegionIndexRange<ImageDimension>(part))
      {
        IndexType position;
        size_t    linear = 0;
        size_t    stride = 1;
        for (unsigned int d = 0; d < ImageDimension; ++d)
        {
          position[d] = index[d] - patchRegion.GetIndex(d);
          linear += static_cast<size_t>(position[d]) * stride;
          stride *= patchRegion.GetSize(d);
        }
        const float w = importance.Weight(position);
        value = sum.Get();
        for (unsigned int c = 0; c < channels; ++c)
          value[c] += w * source[c * patchPixels + linear];
        sum.Set(value);
        weight.Set(weight.Get() + w);
        ++sum;
        ++weight;
      }
    },
    nullptr);
}

template<typename TInputImage, typename TOutputImage>
void
RevGANImageFilter<TInputImage, TOutputImage>::WriteBlend(const BlendImageType * blend, const WeightImageType * weights)
{
  OutputImageType *  output = this->GetOutput();
  const unsigned int channels = blend->GetNumberOfComponentsPerPixel();
  this->GetMultiThreader()->template ParallelizeImageRegion<ImageDimension>(
    output->GetRequestedRegion(),
    [&](const OutputImageRegionType & part)
    {
      ImageRegionConstIterator<BlendImageType>  sum(blend, part);
      ImageRegionConstIterator<WeightImageType> weight(weights, part);
      ImageRegionIterator<OutputImageType>      out(output, part);
      OutputPixelType                           pixel{};
      RevGANPixelAccess<OutputPixelType>::SetLength(pixel, channels);
      for (; !out.IsAtEnd(); ++sum, ++weight, ++out)
      {
        const float normaliser = weight.Get() > 0.0f ? 1.0f / weight.Get() : 0.0f;
        const auto  value = sum.Get();
        for (unsigned int c = 0; c < channels; ++c)
          RevGANPixelAccess<OutputPixelType>::Set(pixel, c, value[c] * normaliser);
        out.Set(pixel);
      }
    },
    nullptr);
}

template<typename TInputImage, typename TOutputImage>
void
RevGANImageFilter<TInputImage, TOutputImage>::GenerateData()
{
  this->AllocateOutputs();
  const InputImageType *                input = this->GetInput();
  const OutputImageRegionType           outputRegion = this->GetOutput()->GetRequestedRegion();
  const SizeType                        patch = this->EffectivePatchSize();
  const RevGANPatchGrid<ImageDimension> grid(
    this->GetOutput()->GetLargestPossibleRegion(), patch, m_Overlap, outputRegion);
  const RevGANImportanceMap<ImageDimension> importance(patch, m_Blending);
  const auto &                              patches = grid.GetPatches();
  const auto                                inChannels = static_cast<unsigned int>(m_Model->inputChannels(m_Direction));
  const auto         outChannels = static_cast<unsigned int>(m_Model->outputChannels(m_Direction));
  const size_t       patchPixels = std::accumulate(patch.begin(), patch.end(), size_t{ 1 }, std::multiplies<>());
  const unsigned int batchSize = std::min<unsigned int>(m_PatchesPerBatch, static_cast<unsigned int>(patches.size()));
  // Patches in the network's layout: axis 0 of the tensor is the slowest, i.e. ITK's last axis.
  std::vector<int64_t> spatial(ImageDimension);
  for (unsigned int d = 0; d < ImageDimension; ++d)
    spatial[ImageDimension - 1 - d] = static_cast<int64_t>(patch[d]);

  // The weighted sum of the predictions and the sum of their weights over the output region.
  auto blend = BlendImageType::New();
  blend->SetRegions(outputRegion);
  blend->SetNumberOfComponentsPerPixel(outChannels);
  blend->Allocate(true);
  auto weights = WeightImageType::New();
  weights->SetRegions(outputRegion);
  weights->Allocate(true);

  // On a coarser grid, the input is interpolated onto the network's over the part the patches read.
  typename NetworkInputImageType::Pointer interpolated;
  if (this->ResamplesInput())
  {
    try
    {
      interpolated = this->InterpolatedInput(grid.InputRegion());
    }
    catch (const std::exception & error)
    {
      itkExceptionMacro(<< "interpolating the input onto the model's grid failed: " << error.what());
    }
  }
  const auto gather = [&](const InputRegionType & region, float * destination)
  {
    if (interpolated)
      this->GatherPatch(interpolated.GetPointer(), region, destination);
    else
      this->GatherPatch(input, region, destination);
  };

  std::vector<float> inputBuffer(batchSize * inChannels * patchPixels);
  std::vector<float> outputBuffer(batchSize * outChannels * patchPixels);
  TimeProbe          networkTime;
  for (size_t first = 0; first < patches.size(); first += batchSize)
  {
    const size_t count = std::min<size_t>(batchSize, patches.size() - first);
    this->GetMultiThreader()->ParallelizeArray(
      0,
      count,
      [&](SizeValueType b)
      { gather(grid.Region(patches[first + b]), inputBuffer.data() + b * inChannels * patchPixels); },
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
    // Patches one after the other: their valid parts may meet.
    for (size_t b = 0; b < count; ++b)
    {
      const auto & where = patches[first + b];
      this->ScatterPatch(grid.Region(where),
                         grid.ValidRegion(where),
                         outputBuffer.data() + b * outChannels * patchPixels,
                         importance,
                         blend,
                         weights);
    }
    this->UpdateProgress(static_cast<float>(first + count) / static_cast<float>(patches.size()));
    if (this->GetAbortGenerateData())
    {
      ProcessAborted aborted(__FILE__, __LINE__);
      aborted.SetDescription("RevGANImageFilter was aborted");
      throw aborted;
    }
  }
  this->WriteBlend(blend, weights);
  m_NetworkSeconds = networkTime.GetTotal();
}

template<typename TInputImage, typename TOutputImage>
void
RevGANImageFilter<TInputImage, TOutputImage>::PrintSelf(std::ostream & os, Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "Model: " << (m_Model ? m_Model->description() : std::string("(none)")) << std::endl;
  os << indent << "Direction: " << revgan::toString(m_Direction) << std::endl;
  if (this->ResamplesInput())
  {
    const revgan::DomainFrame & frame = m_Model->inputFrame(m_Direction);
    os << indent << "InputGrid: coarser by";
    for (const auto factor : frame.gridFactors)
      os << ' ' << factor;
    os << ", interpolated by " << frame.interpolation << std::endl;
  }
  os << indent << "ModelFileName: " << m_ModelFileName << std::endl;
  os << indent << "Device: " << m_Device << std::endl;
  os << indent << "PatchSize: " << m_PatchSize << std::endl;
  os << indent << "Overlap: " << m_Overlap << std::endl;
  os << indent << "Blending: " << m_Blending << std::endl;
  os << indent << "PatchesPerBatch: " << m_PatchesPerBatch << std::endl;
  os << indent << "NetworkSeconds: " << m_NetworkSeconds << std::endl;
}

} // namespace itk

#endif
