#ifndef itkRevGANErrorMetricsImageFilter_h
#define itkRevGANErrorMetricsImageFilter_h

#include "itkImage.h"
#include "itkImageSink.h"
#include "itkSimpleDataObjectDecorator.h"

#include <mutex>

namespace itk
{

/** \class RevGANErrorMetricsImageFilter
 * \brief Errors of a prediction against a reference: RMSE and MAE over a mask ("total") and over
 * its interior, PSNR, and (2D scalar images) SSIM.
 *
 * The prediction is the primary input (SetInput), the reference and an optional mask (nonzero
 * inside; the whole image when absent) are named inputs. The interior is the mask eroded by a box
 * of radius InteriorRadius (RevGANInteriorMaskImageFilter; 2 gives the paper's 5×5×5
 * neighbourhood). For multi-component pixels (vectors, tensors) each component of each voxel is
 * one term. PSNR uses the mean squared error over the whole image and DataRange; SSIM is the mean
 * over every position where an 11×11 Gaussian window (σ = 1.5, K1 = 0.01, K2 = 0.03) fits, over the
 * whole image, as in the reference implementation (NaN for other images).
 *
 * Like ITK's StatisticsImageFilter, this is an ImageSink: the images are processed by threads and,
 * with SetNumberOfStreamDivisions(n), in n pieces requested from upstream one after another, with
 * the same result as one pass (the mask is requested whole; for SSIM each piece is padded by the
 * window). Results are read with the Get methods after Update().
 *
 * \ingroup RevGAN
 */
template<typename TImage, typename TMaskImage = Image<unsigned char, TImage::ImageDimension>>
class ITK_TEMPLATE_EXPORT RevGANErrorMetricsImageFilter : public ImageSink<TImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(RevGANErrorMetricsImageFilter);

  using Self = RevGANErrorMetricsImageFilter;
  using Superclass = ImageSink<TImage>;
  using Pointer = SmartPointer<Self>;
  using ConstPointer = SmartPointer<const Self>;
  using ImageType = TImage;
  using MaskImageType = TMaskImage;
  using RegionType = typename TImage::RegionType;
  static constexpr unsigned int ImageDimension = TImage::ImageDimension;

  itkNewMacro(Self);
  itkTypeMacro(RevGANErrorMetricsImageFilter, ImageSink);

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

  /** Intensity range for PSNR and SSIM (255 for 8-bit images). */
  itkSetMacro(DataRange, double);
  itkGetConstMacro(DataRange, double);

  using Superclass::GetNumberOfStreamDivisions;
  using Superclass::SetNumberOfStreamDivisions;

  itkGetConstMacro(RMSETotal, double);
  itkGetConstMacro(RMSEInterior, double);
  itkGetConstMacro(MAETotal, double);
  itkGetConstMacro(MAEInterior, double);
  itkGetConstMacro(PSNR, double);
  itkGetConstMacro(SSIM, double);
  itkGetConstMacro(VoxelsTotal, SizeValueType);
  itkGetConstMacro(VoxelsInterior, SizeValueType);

protected:
  RevGANErrorMetricsImageFilter();
  ~RevGANErrorMetricsImageFilter() override = default;

  void
  PrintSelf(std::ostream & os, Indent indent) const override;

  void
  VerifyInputInformation() ITKv5_CONST override;

  void
  GenerateNthInputRequestedRegion(unsigned int piece) override;

  void
  BeforeStreamedGenerateData() override;

  void
  StreamedGenerateData(unsigned int piece) override;

  void
  ThreadedStreamedGenerateData(const RegionType & region) override;

  void
  AfterStreamedGenerateData() override;

private:
  /** Whether SSIM is computed: 2D images of one component. */
  bool
  ComputesSSIM() const;

  /** Sums over a region, added up over threads and pieces. */
  struct Sums
  {
    double        squaredTotal{ 0.0 };
    double        absoluteTotal{ 0.0 };
    double        squaredInterior{ 0.0 };
    double        absoluteInterior{ 0.0 };
    double        squaredAll{ 0.0 };
    double        ssim{ 0.0 };
    SizeValueType voxelsTotal{ 0 };
    SizeValueType voxelsInterior{ 0 };
    SizeValueType voxelsAll{ 0 };
    SizeValueType windows{ 0 };
  };

  unsigned int m_InteriorRadius{ 2 };
  bool         m_CheckGeometry{ true };
  double       m_DataRange{ 255.0 };

  double        m_RMSETotal{ 0.0 };
  double        m_RMSEInterior{ 0.0 };
  double        m_MAETotal{ 0.0 };
  double        m_MAEInterior{ 0.0 };
  double        m_PSNR{ 0.0 };
  double        m_SSIM{ 0.0 };
  SizeValueType m_VoxelsTotal{ 0 };
  SizeValueType m_VoxelsInterior{ 0 };

  /** The interior of the whole mask, made when the first piece arrives. */
  typename Image<unsigned char, ImageDimension>::Pointer m_Interior;
  Sums                                                   m_Sums;
  std::mutex                                             m_Mutex;
};

} // namespace itk

#ifndef ITK_MANUAL_INSTANTIATION
#include "itkRevGANErrorMetricsImageFilter.hxx"
#endif

#endif
