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
  /// The image type of the prediction and the reference.
  using ImageType = TImage;
  /// The image type of the mask (nonzero inside).
  using MaskImageType = TMaskImage;
  /// A region of the compared images.
  using RegionType = typename TImage::RegionType;
  /// A voxel index of the compared images.
  using IndexType = typename TImage::IndexType;
  /// The dimension of the compared images.
  static constexpr unsigned int ImageDimension = TImage::ImageDimension;

  itkTypeMacro(RevGANMaskedComparisonSink, ImageSink);

  /** The prediction. */
  using Superclass::SetInput;
  itkSetInputMacro(ReferenceImage, TImage);
  itkGetInputMacro(ReferenceImage, TImage);
  itkSetInputMacro(MaskImage, TMaskImage);
  itkGetInputMacro(MaskImage, TMaskImage);

  /// Sets the radius in voxels of the box by which the mask is eroded into its interior (default 2: 5×5×5).
  itkSetMacro(InteriorRadius, unsigned int);
  /// The radius in voxels of the box by which the mask is eroded into its interior.
  itkGetConstMacro(InteriorRadius, unsigned int);
  /** Whether the inputs must lie in the same place (origin, spacing, direction within ITK's
   * tolerances), as ITK's multi-input filters require; off compares voxel by voxel. On by default. */
  itkSetMacro(CheckGeometry, bool);
  /// Whether the inputs must lie in the same place in space; see SetCheckGeometry.
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

  /// Requests the piece from the prediction and reference, and the whole mask: the interior of a piece
  /// depends on the mask around it.
  void
  GenerateNthInputRequestedRegion(unsigned int piece) override;

  /// Discards the interior mask of an earlier run, so that it is made afresh from the current mask.
  void
  BeforeStreamedGenerateData() override;

  /// Makes the interior mask from the whole mask when the first piece arrives, then processes the piece.
  void
  StreamedGenerateData(unsigned int piece) override;

  /// Releases the interior mask once all pieces are processed.
  void
  AfterStreamedGenerateData() override;

  /** Where the voxels of `region` lie, one after another in the order of ImageRegionConstIterator:
   * advanced alongside the images' iterators during ThreadedStreamedGenerateData (the mask and its
   * interior are walked with region iterators, not read voxel by voxel). */
  class VoxelRegionIterator
  {
  public:
    /// Starts at the first voxel of `region` of `sink`'s mask and interior (the whole image counts as
    /// interior when `sink` has no mask).
    VoxelRegionIterator(const Self & sink, const RegionType & region);

    /// Where the current voxel lies.
    VoxelRegion
    Get() const;

    /// Moves to the next voxel of the region.
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
