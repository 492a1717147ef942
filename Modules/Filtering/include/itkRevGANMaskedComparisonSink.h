// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANMaskedComparisonSink_h
#define itkRevGANMaskedComparisonSink_h

#include "itkImage.h"
#include "itkImageRegionConstIterator.h"
#include "itkImageSink.h"

namespace itk
{

/** \class RevGANMaskedComparisonSink
 * \brief Base of the sinks that compare a prediction with a reference over a mask ("total") and
 * over its interior: the inputs, their checks, and the interior mask.
 *
 * The prediction is the primary input (SetInput), the reference and an optional mask (nonzero
 * inside; the whole image when absent) are named inputs. The interior is the mask eroded by a box
 * of radius InteriorRadius (RevGANInteriorMaskImageFilter; 2 gives the paper's 5×5×5
 * neighbourhood); it is made from the whole mask when the first piece arrives, so that streaming
 * does not change it. A subclass accumulates its sums in ThreadedStreamedGenerateData and walks a
 * VoxelRegionIterator beside its images' iterators to know where each voxel lies.
 *
 * \ingroup RevGAN
 */
template<typename TImage, typename TMaskImage = Image<unsigned char, TImage::ImageDimension>>
class ITK_TEMPLATE_EXPORT RevGANMaskedComparisonSink : public ImageSink<TImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(RevGANMaskedComparisonSink);

  using Self = RevGANMaskedComparisonSink;
  using Superclass = ImageSink<TImage>;
  using Pointer = SmartPointer<Self>;
  using ConstPointer = SmartPointer<const Self>;
  using ImageType = TImage;
  using MaskImageType = TMaskImage;
  using RegionType = typename TImage::RegionType;
  using IndexType = typename TImage::IndexType;
  static constexpr unsigned int ImageDimension = TImage::ImageDimension;

  itkTypeMacro(RevGANMaskedComparisonSink, ImageSink);

  /** The prediction. */
  using Superclass::SetInput;
  itkSetInputMacro(ReferenceImage, TImage);
  itkGetInputMacro(ReferenceImage, TImage);
  itkSetInputMacro(MaskImage, TMaskImage);
  itkGetInputMacro(MaskImage, TMaskImage);

  itkSetMacro(InteriorRadius, unsigned int);
  itkGetConstMacro(InteriorRadius, unsigned int);
  /** Whether the inputs must lie in the same place (origin, spacing, direction within ITK's
   * tolerances), as ITK's multi-input filters require; off compares voxel by voxel. On by default. */
  itkSetMacro(CheckGeometry, bool);
  itkGetConstMacro(CheckGeometry, bool);
  itkBooleanMacro(CheckGeometry);

  using Superclass::GetNumberOfStreamDivisions;
  using Superclass::SetNumberOfStreamDivisions;

protected:
  /** Where a voxel lies: outside the mask, in the mask but not its interior, in the interior. */
  enum class VoxelRegion
  {
    Outside,
    MaskOnly,
    Interior
  };

  RevGANMaskedComparisonSink();
  ~RevGANMaskedComparisonSink() override = default;

  void
  PrintSelf(std::ostream & os, Indent indent) const override;

  /** Same place in space (unless CheckGeometry is off), and always the same grid and components. */
  void
  VerifyInputInformation() ITKv5_CONST override;

  void
  GenerateNthInputRequestedRegion(unsigned int piece) override;

  void
  BeforeStreamedGenerateData() override;

  void
  StreamedGenerateData(unsigned int piece) override;

  void
  AfterStreamedGenerateData() override;

  /** Where the voxels of `region` lie, one after another in the order of ImageRegionConstIterator:
   * advanced alongside the images' iterators during ThreadedStreamedGenerateData (the mask and its
   * interior are walked with region iterators, not read voxel by voxel). */
  class VoxelRegionIterator
  {
  public:
    VoxelRegionIterator(const Self & sink, const RegionType & region);

    VoxelRegion
    Get() const;

    VoxelRegionIterator &
    operator++();

  private:
    bool                                                           m_HasMask{ false };
    ImageRegionConstIterator<TMaskImage>                           m_Mask;
    ImageRegionConstIterator<Image<unsigned char, ImageDimension>> m_Interior;
  };

private:
  unsigned int m_InteriorRadius{ 2 };
  bool         m_CheckGeometry{ true };

  typename Image<unsigned char, ImageDimension>::Pointer m_Interior;
};

} // namespace itk

#ifndef ITK_MANUAL_INSTANTIATION
#include "itkRevGANMaskedComparisonSink.hxx"
#endif

#endif
