// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANImageFilter_h
#define itkRevGANImageFilter_h

#include "itkImage.h"
#include "itkImageToImageFilter.h"
#include "itkRevGANImportanceMap.h"
#include "itkRevGANPatchGrid.h"
#include "itkVectorImage.h"
#include "revgan/NetworkOptions.h"
#include "revgan/PatchPredictor.h"

#include <memory>
#include <string>

namespace itk
{

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
 * A super-resolution model trained on low-resolution images on their own coarse grid
 * (`revgan-train --input-interpolation`, recorded in the model as revgan::DomainFrame's
 * gridFactors and interpolation) takes its input the same way here: the filter interpolates the
 * coarse image onto its fine grid (RevGANFineGrid: spacing divided by the factors, the origin moved
 * so that the fine voxels tile each coarse one) as the model's training inputs were, and the output
 * lies on that fine grid. Such an input is requested whole (a cubic B-spline depends on all of
 * it); streaming still gives the same result as one pass, each piece interpolating only the part
 * of the fine grid its patches read. A model's inverse direction runs on the fine grid as it is.
 *
 * Pixel types: scalars, itk::Vector / itk::CovariantVector, itk::VectorImage (VariableLengthVector),
 * itk::SymmetricSecondRankTensor and itk::DiffusionTensor3D (6 components in ITK's order
 * xx, xy, xz, yy, yz, zz). The number of components must match the model's channels for the
 * direction; for a VectorImage output it is set from the model.
 *
 * The work is split as MONAI splits its sliding-window inference: the patch grid
 * (RevGANPatchGrid), the importance map that blends overlapping predictions
 * (RevGANImportanceMap), and the predictor that runs a batch of patches (revgan::PatchPredictor,
 * which revgan::ModelRunner implements for LibTorch models, so this header needs no LibTorch
 * header; another back end can be plugged in with SetModel).
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

  /// The dimension of the images, which must match the model's (2 or 3).
  static constexpr unsigned int ImageDimension = TInputImage::ImageDimension;

  /// The image type of the input.
  using InputImageType = TInputImage;
  /// The image type of the output.
  using OutputImageType = TOutputImage;
  /// The pixel type of the input: a scalar, vector or tensor of the model's input channels.
  using InputPixelType = typename InputImageType::PixelType;
  /// The pixel type of the output: a scalar, vector or tensor of the model's output channels.
  using OutputPixelType = typename OutputImageType::PixelType;
  /// A region of the output image.
  using OutputImageRegionType = typename OutputImageType::RegionType;
  /// Pixels per axis: the type of the patch size and the overlap.
  using SizeType = Size<ImageDimension>;
  /// A shared handle on the predictor that runs batches of patches through the network.
  using ModelPointer = std::shared_ptr<revgan::PatchPredictor>;

  /** The model to apply (it replaces a model file name); one loaded model can be shared between
   * filters. */
  void
  SetModel(ModelPointer model);
  /// The model applied: the one set with SetModel, or the one loaded from the model file by the last
  /// update; null before either.
  ModelPointer
  GetModel() const
  {
    return m_Model;
  }

  /** A model file, loaded when the filter updates, on the device SetDevice gives by then ("cpu" by
   * default); GetModel() returns it after the update. A missing or unreadable file is an
   * itk::ExceptionObject from Update(), naming the file. */
  void
  SetModelFileName(const std::string & fileName);
  /// The model file to load; empty when the model was given with SetModel.
  itkGetStringMacro(ModelFileName);

  /// Sets the direction the model runs in: Forward (X→Y, the default) or Inverse (Y→X, same weights).
  itkSetMacro(Direction, revgan::Direction);
  /// The direction the model runs in: Forward (X→Y) or Inverse (Y→X).
  itkGetConstMacro(Direction, revgan::Direction);

  /** "cpu", "cuda" or "cuda:N" for a model loaded from a file. */
  itkSetStringMacro(Device);
  /// The device a model file is loaded on (default "cpu").
  itkGetStringMacro(Device);

  /** Patch size per dimension; must be a multiple of the model's size multiple (2^downsamplings). */
  itkSetMacro(PatchSize, SizeType);
  /// Patch size per dimension, in pixels (default 256 in 2D, 64 in 3D).
  itkGetConstMacro(PatchSize, SizeType);

  /** Overlap of neighbouring patches per dimension, in pixels (less than the patch size). */
  itkSetMacro(Overlap, SizeType);
  /// Overlap of neighbouring patches per dimension, in pixels (default 32 in 2D, 16 in 3D).
  itkGetConstMacro(Overlap, SizeType);

  /// Sets how overlapping predictions are weighted where they are blended (default Gaussian).
  itkSetMacro(Blending, RevGANBlending);
  /// How overlapping predictions are weighted where they are blended.
  itkGetConstMacro(Blending, RevGANBlending);

  /** Patches sent to the network in one call. */
  itkSetClampMacro(PatchesPerBatch, unsigned int, 1, 4096);
  /// Patches sent to the network in one call (default 4; clamped to [1, 4096]).
  itkGetConstMacro(PatchesPerBatch, unsigned int);

  /** Wall-clock seconds the last update spent inside the network; the rest of its time went to
   * patching, conversion and blending. */
  itkGetConstMacro(NetworkSeconds, double);

  /** Loads the model file, if one is set and not yet loaded for the current device, then
   * updates the output information (public, as on every ITK process object: the output's grid,
   * the fine grid for a model that takes its input on a coarser one, is known before the update). */
  void
  UpdateOutputInformation() override;

protected:
  RevGANImageFilter();
  ~RevGANImageFilter() override = default;

  void
  PrintSelf(std::ostream & os, Indent indent) const override;

  /// Checks that a model is set, that it has the image's dimension, and that each patch size is a positive
  /// multiple of the model's size multiple and larger than the overlap.
  void
  VerifyPreconditions() ITKv5_CONST override;

  /// Checks that the input's components match the model's input channels for the direction, and sets the
  /// output's components from the model; for a model that takes its input on a coarser grid, the output
  /// lies on the fine grid (RevGANFineGrid).
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
  /** Patch extent actually used along each axis: the requested size, or the network grid's extent
   * rounded up to the model's size multiple when the image is smaller. */
  SizeType
  EffectivePatchSize() const;

  using InputRegionType = typename InputImageType::RegionType;
  using IndexType = Index<ImageDimension>;
  using BlendImageType = VectorImage<float, ImageDimension>;
  using WeightImageType = Image<float, ImageDimension>;
  using NetworkInputImageType = VectorImage<float, ImageDimension>;

  /** Whether the model, run in the filter's direction, takes its input on a coarser grid. */
  bool
  ResamplesInput() const;

  /** The input interpolated onto the network's grid over `region` of that grid (the output's
   * grid), as the model's training inputs were. */
  typename NetworkInputImageType::Pointer
  InterpolatedInput(const InputRegionType & region) const;

  /** Copies the pixels of `source` (the input, or the input on the network's grid) in `region` (a
   * patch; the border replicated where the patch reaches beyond the image) into `destination` in
   * the predictor's layout. */
  template<typename TSource>
  void
  GatherPatch(const TSource * source, const InputRegionType & region, float * destination) const;

  /** Adds the prediction `source` of the patch at `patchRegion`, weighted by `importance`, to
   * `blend` and the weights to `weights`, over the patch's valid part within them. */
  void
  ScatterPatch(const InputRegionType &                     patchRegion,
               InputRegionType                             validRegion,
               const float *                               source,
               const RevGANImportanceMap<ImageDimension> & importance,
               BlendImageType *                            blend,
               WeightImageType *                           weights) const;

  /** Writes blend / weights into the requested output region. */
  void
  WriteBlend(const BlendImageType * blend, const WeightImageType * weights);

  ModelPointer      m_Model{};
  revgan::Direction m_Direction{ revgan::Direction::Forward };
  std::string       m_ModelFileName{};
  /** The file and device the current model was loaded for. */
  std::string    m_LoadedFrom{};
  std::string    m_Device{ "cpu" };
  SizeType       m_PatchSize{};
  SizeType       m_Overlap{};
  RevGANBlending m_Blending{ RevGANBlending::Gaussian };
  unsigned int   m_PatchesPerBatch{ 4 };
  double         m_NetworkSeconds{ 0.0 };
};

} // namespace itk

#ifndef ITK_MANUAL_INSTANTIATION
#include "itkRevGANImageFilter.hxx"
#endif

#endif
