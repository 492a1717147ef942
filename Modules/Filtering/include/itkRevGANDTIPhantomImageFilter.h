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
 * (smoothed, see SetSmoothing, and normalised by robust brain percentiles) gives soft tissue fractions of CSF (dark),
 * grey matter and white matter (bright); each tissue has its own diffusivities (mm²/s): CSF  isotropic 3.0e-3;  grey
 * matter λ∥ 1.0e-3, λ⊥ 0.7e-3;  white matter λ∥ 1.7e-3, λ⊥ 0.3e-3, blended by the fractions. The principal direction
 * varies smoothly in space (a fixed analytic field). D = b·(λ⊥·I + (λ∥ − λ⊥)·v·vᵀ), where b ∈ [0, 1] is the brain mask
 * smoothed like the T1 volume, so that the brain's edge, too, varies smoothly rather than along the mask's voxel grid;
 * the tensor is zero where b < 0.01.
 *
 * The output covers the input's physical extent with SetOutputSize voxels per axis (the input's
 * size when zero), sampling T1 linearly and the mask by nearest neighbour, so phantoms of any size
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

  using OutputImageType = Image<DiffusionTensor3D<float>, 3>;
  using Self = RevGANDTIPhantomImageFilter;
  using Superclass = ImageToImageFilter<TScalarImage, OutputImageType>;
  using Pointer = SmartPointer<Self>;
  using ConstPointer = SmartPointer<const Self>;
  using SizeType = typename OutputImageType::SizeType;
  using OutputImageRegionType = typename OutputImageType::RegionType;

  itkNewMacro(Self);
  itkTypeMacro(RevGANDTIPhantomImageFilter, ImageToImageFilter);

  static_assert(TScalarImage::ImageDimension == 3, "the phantom is a 3D volume");

  void
  SetMaskImage(const TMaskImage * mask)
  {
    this->SetNthInput(1, const_cast<TMaskImage *>(mask));
  }
  const TMaskImage *
  GetMaskImage() const
  {
    return itkDynamicCastInDebugMode<const TMaskImage *>(this->ProcessObject::GetInput(1));
  }

  /** Standard deviation (mm) of the Gaussian smoothing of the T1 volume before tissue fractions
   * are derived: tissue boundaries then vary smoothly over a few voxels, as diffusion
   * measures do at the resolution of real scans. Zero: no smoothing. */
  itkSetMacro(Smoothing, double);
  itkGetConstMacro(Smoothing, double);

  /** Voxels per axis of the output; zero: the input's size. */
  itkSetMacro(OutputSize, SizeType);
  itkGetConstMacro(OutputSize, SizeType);

protected:
  RevGANDTIPhantomImageFilter();
  ~RevGANDTIPhantomImageFilter() override = default;

  void
  GenerateOutputInformation() override;
  void
  GenerateInputRequestedRegion() override;
  void
  BeforeThreadedGenerateData() override;
  void
  DynamicThreadedGenerateData(const OutputImageRegionType & region) override;
  void
  PrintSelf(std::ostream & os, Indent indent) const override;

private:
  SizeType                       m_OutputSize{};
  double                         m_Smoothing{ 2.0 };
  typename TScalarImage::Pointer m_SmoothedT1;
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
