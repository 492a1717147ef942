// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANDTIPhantomImageFilter_h
#define itkRevGANDTIPhantomImageFilter_h

#include "itkDiffusionTensor3D.h"
#include "itkImageToImageFilter.h"
#include "itkLinearInterpolateImageFunction.h"
#include "itkNearestNeighborInterpolateImageFunction.h"
#include "itkSmoothingRecursiveGaussianImageFilter.h"

namespace itk
{

/** \class RevGANDTIPhantomImageFilter
 * \brief A synthetic diffusion-tensor volume in the geometry of a real brain.
 *
 * Input 0 is a T1-weighted volume, input 1 its brain mask. Within the mask, the T1 intensity
 * (normalised by robust brain percentiles) gives soft tissue fractions of CSF (dark),
 * grey matter and white matter (bright); each tissue has its own diffusivities (mm²/s): CSF  isotropic 3.0e-3;  grey
 * matter λ∥ 1.0e-3, λ⊥ 0.7e-3;  white matter λ∥ 1.7e-3, λ⊥ 0.3e-3, blended by the fractions. The principal direction
 * varies smoothly in space (a fixed analytic field). D = b·(λ⊥·I + (λ∥ − λ⊥)·v·vᵀ), where b ∈ [0, 1] is the brain mask
 * smoothed by a Gaussian (SetSmoothing), so that the brain's edge varies smoothly rather than along the mask's voxel
 * grid; the tensor is zero where b < 0.01.
 *
 * The output covers the input's physical extent with SetOutputSize voxels per axis (the input's
 * size when zero), sampling the T1 volume and the smoothed mask linearly, so phantoms of any size
 * come from the one real brain.
 *
 * \ingroup RevGAN
 */
template<typename TScalarImage, typename TMaskImage>
class ITK_TEMPLATE_EXPORT RevGANDTIPhantomImageFilter
  : public ImageToImageFilter<TScalarImage, Image<DiffusionTensor3D<float>, 3>>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(RevGANDTIPhantomImageFilter);

  /// The image type of the output: a 3D field of symmetric diffusion tensors (mm²/s).
  using OutputImageType = Image<DiffusionTensor3D<float>, 3>;
  using Self = RevGANDTIPhantomImageFilter;
  using Superclass = ImageToImageFilter<TScalarImage, OutputImageType>;
  using Pointer = SmartPointer<Self>;
  using ConstPointer = SmartPointer<const Self>;
  /// Voxels per axis of the output.
  using SizeType = typename OutputImageType::SizeType;
  /// A region of the output image.
  using OutputImageRegionType = typename OutputImageType::RegionType;

  itkNewMacro(Self);
  itkTypeMacro(RevGANDTIPhantomImageFilter, ImageToImageFilter);

  static_assert(TScalarImage::ImageDimension == 3, "the phantom is a 3D volume");

  /// Sets input 1, the brain mask: nonzero voxels are brain. It must have the T1 volume's size.
  void
  SetMaskImage(const TMaskImage * mask)
  {
    this->SetNthInput(1, const_cast<TMaskImage *>(mask));
  }
  /// The brain mask (input 1), or null if none is set.
  const TMaskImage *
  GetMaskImage() const
  {
    return itkDynamicCastInDebugMode<const TMaskImage *>(this->ProcessObject::GetInput(1));
  }

  /** Standard deviation (mm) of the Gaussian smoothing of the brain mask into the brain fraction b:
   * the tensors fade out over a few voxels at the brain's edge, as diffusion measures do at the
   * resolution of real scans. Zero: no smoothing (b is the mask). The T1 volume is not smoothed. */
  itkSetMacro(Smoothing, double);
  /// Sigma in mm of the brain mask's Gaussian smoothing (default 2.0); see SetSmoothing.
  itkGetConstMacro(Smoothing, double);

  /** Voxels per axis of the output; zero: the input's size. */
  itkSetMacro(OutputSize, SizeType);
  /// Voxels per axis of the output (default all zero: the input's size).
  itkGetConstMacro(OutputSize, SizeType);

protected:
  RevGANDTIPhantomImageFilter();
  ~RevGANDTIPhantomImageFilter() override = default;

  /// Checks that the mask has the T1 volume's size and sets the output geometry: OutputSize voxels per axis
  /// over the input's physical extent (outer voxel edges aligned), with the input's direction.
  void
  GenerateOutputInformation() override;
  /// Requests the whole T1 volume and mask: every output voxel may sample anywhere in them.
  void
  GenerateInputRequestedRegion() override;
  /// Computes the 2nd/98th T1 percentiles within the mask, smooths the mask into the brain fraction b,
  /// and sets up the interpolators. Throws if the mask is empty.
  void
  BeforeThreadedGenerateData() override;
  /// Computes the tensor of each voxel in `region` from the interpolated T1 intensity and brain fraction.
  void
  DynamicThreadedGenerateData(const OutputImageRegionType & region) override;
  void
  PrintSelf(std::ostream & os, Indent indent) const override;

private:
  SizeType m_OutputSize{};
  double   m_Smoothing{ 2.0 };
  /** T1 intensities at the 2nd and 98th percentile within the mask. */
  double                                                         m_LowIntensity{ 0.0 };
  double                                                         m_HighIntensity{ 1.0 };
  typename LinearInterpolateImageFunction<TScalarImage>::Pointer m_T1Interpolator;
  /** The brain mask as a smoothed fraction in [0, 1]. */
  typename TScalarImage::Pointer                                 m_BrainFraction;
  typename LinearInterpolateImageFunction<TScalarImage>::Pointer m_BrainInterpolator;
};

} // namespace itk

#ifndef ITK_MANUAL_INSTANTIATION
#include "itkRevGANDTIPhantomImageFilter.hxx"
#endif

#endif
