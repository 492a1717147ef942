#ifndef itkRevGANImageFilter_h
#define itkRevGANImageFilter_h

#include "itkImageToImageFilter.h"
#include "itkRevGANPatchGrid.h"
#include "revgan/ModelRunner.h"
#include "revgan/NetworkOptions.h"

#include <memory>
#include <string>

namespace itk
{

/** How the predictions of overlapping patches are weighted where their valid parts meet. */
enum class RevGANBlending
{
  Constant,
  /** Weights fall off from each patch's centre (σ = patch size / 8), as in MONAI. */
  Gaussian
};

/** \class RevGANImageFilter
 * \brief Applies a trained RevGAN-toolkit model to an image, patch by patch.
 *
 * The same model translates X→Y (SetDirection(Forward)) or, with the same weights, Y→X
 * (SetDirection(Inverse)). The image is covered by patches on a grid anchored to the whole image
 * (see RevGANPatchAxis): overlapping patches are run through the network in batches, each
 * contributes its central part, and the parts are blended. Images of any size work: an image
 * smaller than a patch is padded (replicating its border) and cropped back.
 *
 * The filter requests only the input region that the patches covering the requested output
 * region read, so itk::StreamingImageFilter can process a volume piece by piece with the same
 * result as one pass. The output keeps the input's origin, spacing and direction.
 *
 * Pixel types: scalars, itk::Vector / itk::CovariantVector, itk::VectorImage (VariableLengthVector),
 * itk::SymmetricSecondRankTensor and itk::DiffusionTensor3D (6 components in ITK's order
 * xx, xy, xz, yy, yz, zz). The number of components must match the model's channels for the
 * direction; for a VectorImage output it is set from the model.
 *
 * The network runs through revgan::ModelRunner, so this header needs no LibTorch header.
 *
 * \ingroup RevGAN
 */
template<typename TInputImage, typename TOutputImage = TInputImage>
class ITK_TEMPLATE_EXPORT RevGANImageFilter : public ImageToImageFilter<TInputImage, TOutputImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(RevGANImageFilter);

  using Self = RevGANImageFilter;
  using Superclass = ImageToImageFilter<TInputImage, TOutputImage>;
  using Pointer = SmartPointer<Self>;
  using ConstPointer = SmartPointer<const Self>;

  itkNewMacro(Self);
  itkTypeMacro(RevGANImageFilter, ImageToImageFilter);

  static constexpr unsigned int ImageDimension = TInputImage::ImageDimension;

  using InputImageType = TInputImage;
  using OutputImageType = TOutputImage;
  using InputPixelType = typename InputImageType::PixelType;
  using OutputPixelType = typename OutputImageType::PixelType;
  using OutputImageRegionType = typename OutputImageType::RegionType;
  using SizeType = Size<ImageDimension>;
  using ModelPointer = std::shared_ptr<revgan::ModelRunner>;

  /** The model to apply; one loaded model can be shared between filters. */
  void
  SetModel(ModelPointer model);
  ModelPointer
  GetModel() const
  {
    return m_Model;
  }

  /** Loads the model from a file on the device given by SetDevice ("cpu" by default). */
  void
  SetModelFileName(const std::string & fileName);

  itkSetMacro(Direction, revgan::Direction);
  itkGetConstMacro(Direction, revgan::Direction);

  /** "cpu", "cuda" or "cuda:N"; takes effect when the model is loaded from a file. */
  itkSetStringMacro(Device);
  itkGetStringMacro(Device);

  /** Patch size per dimension; must be a multiple of the model's size multiple (2^downsamplings). */
  itkSetMacro(PatchSize, SizeType);
  itkGetConstMacro(PatchSize, SizeType);

  /** Overlap of neighbouring patches per dimension, in pixels (less than the patch size). */
  itkSetMacro(Overlap, SizeType);
  itkGetConstMacro(Overlap, SizeType);

  itkSetMacro(Blending, RevGANBlending);
  itkGetConstMacro(Blending, RevGANBlending);

  /** Patches sent to the network in one call. */
  itkSetClampMacro(PatchesPerBatch, unsigned int, 1, 4096);
  itkGetConstMacro(PatchesPerBatch, unsigned int);

  /** Wall-clock seconds the last update spent inside the network; the rest of its time went to
   * patching, conversion and blending. */
  itkGetConstMacro(NetworkSeconds, double);

protected:
  RevGANImageFilter();
  ~RevGANImageFilter() override = default;

  void
  PrintSelf(std::ostream & os, Indent indent) const override;

  void
  VerifyPreconditions() ITKv5_CONST override;

  void
  GenerateOutputInformation() override;

  /** Requests the input region read by the patches that cover the requested output region. */
  void
  GenerateInputRequestedRegion() override;

  /** The whole requested region at once: patches are batched for the network, which is itself
   * multi-threaded. */
  void
  GenerateData() override;

private:
  /** Patch extent actually used along each axis: the requested size, or the image's extent
   * rounded up to the model's size multiple when the image is smaller. */
  SizeType
  EffectivePatchSize() const;

  /** Per axis, the patches whose valid parts meet `region`. */
  std::vector<std::vector<RevGANPatchAxis::Patch>>
  PatchesCovering(const OutputImageRegionType & region) const;

  ModelPointer      m_Model{};
  revgan::Direction m_Direction{ revgan::Direction::Forward };
  std::string       m_Device{ "cpu" };
  SizeType          m_PatchSize{};
  SizeType          m_Overlap{};
  RevGANBlending    m_Blending{ RevGANBlending::Gaussian };
  unsigned int      m_PatchesPerBatch{ 4 };
  double            m_NetworkSeconds{ 0.0 };
};

} // namespace itk

#ifndef ITK_MANUAL_INSTANTIATION
#include "itkRevGANImageFilter.hxx"
#endif

#endif
