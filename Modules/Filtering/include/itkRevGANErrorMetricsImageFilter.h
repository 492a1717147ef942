// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANErrorMetricsImageFilter_h
#define itkRevGANErrorMetricsImageFilter_h

#include "itkRevGANMaskedComparisonSink.h"
#include "itkSimpleDataObjectDecorator.h"

#include <mutex>

namespace itk
{

/** \class RevGANErrorMetricsImageFilter
 * \brief Errors of a prediction against a reference: RMSE and MAE over a mask ("total") and over
 * its interior, PSNR, and (2D scalar images) SSIM.
 *
 * The inputs, the mask and its interior are those of RevGANMaskedComparisonSink (the prediction
 * is the primary input; reference and optional mask are named inputs). For multi-component pixels (vectors, tensors)
 * each component of each voxel is one term. PSNR uses the mean squared error over the whole image and DataRange; SSIM
 * is the mean over every position where an 11×11 Gaussian window (σ = 1.5, K1 = 0.01, K2 = 0.03) fits, over the whole
 * image, as in the reference implementation (NaN for other images).
 *
 * Like ITK's StatisticsImageFilter, this is an ImageSink: the images are processed by threads and,
 * with SetNumberOfStreamDivisions(n), in n pieces requested from upstream one after another, with
 * the same result as one pass (the mask is requested whole; for SSIM each piece is padded by the
 * window). Results are read with the Get methods after Update().
 *
 * \ingroup RevGAN
 */
template<typename TImage, typename TMaskImage = Image<unsigned char, TImage::ImageDimension>>
class ITK_TEMPLATE_EXPORT RevGANErrorMetricsImageFilter : public RevGANMaskedComparisonSink<TImage, TMaskImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(RevGANErrorMetricsImageFilter);

  using Self = RevGANErrorMetricsImageFilter;
  using Superclass = RevGANMaskedComparisonSink<TImage, TMaskImage>;
  using Pointer = SmartPointer<Self>;
  using ConstPointer = SmartPointer<const Self>;
  /// The image type of the prediction and the reference.
  using ImageType = TImage;
  /// The image type of the mask (nonzero inside).
  using MaskImageType = TMaskImage;
  /// A region of the compared images.
  using RegionType = typename TImage::RegionType;
  /// The dimension of the compared images.
  static constexpr unsigned int ImageDimension = TImage::ImageDimension;

  itkNewMacro(Self);
  itkTypeMacro(RevGANErrorMetricsImageFilter, RevGANMaskedComparisonSink);

  /** Intensity range for PSNR and SSIM (255 for 8-bit images). */
  itkSetMacro(DataRange, double);
  /// Intensity range for PSNR and SSIM (default 255).
  itkGetConstMacro(DataRange, double);

  /** The figures, as StatisticsImageFilter gives its own: GetRMSETotal() after Update(), or
   * GetRMSETotalOutput(), a decorated output that a pipeline can hold and update. */
  using RealObjectType = SimpleDataObjectDecorator<double>;
  /// The decorated output type of the voxel counts.
  using CountObjectType = SimpleDataObjectDecorator<SizeValueType>;
  itkGetDecoratedOutputMacro(RMSETotal, double);
  itkGetDecoratedOutputMacro(RMSEInterior, double);
  itkGetDecoratedOutputMacro(MAETotal, double);
  itkGetDecoratedOutputMacro(MAEInterior, double);
  itkGetDecoratedOutputMacro(PSNR, double);
  itkGetDecoratedOutputMacro(SSIM, double);
  itkGetDecoratedOutputMacro(VoxelsTotal, SizeValueType);
  itkGetDecoratedOutputMacro(VoxelsInterior, SizeValueType);

  /** The decorated outputs by name ("RMSETotal", …, "VoxelsInterior"). */
  using Superclass::MakeOutput;
  /// Makes the decorated output `name`: a count for "VoxelsTotal" and "VoxelsInterior", a real number for
  /// the other figures; any other name goes to the superclass.
  DataObject::Pointer
  MakeOutput(const ProcessObject::DataObjectIdentifierType & name) override;

protected:
  RevGANErrorMetricsImageFilter();
  ~RevGANErrorMetricsImageFilter() override = default;

  itkSetDecoratedOutputMacro(RMSETotal, double);
  itkSetDecoratedOutputMacro(RMSEInterior, double);
  itkSetDecoratedOutputMacro(MAETotal, double);
  itkSetDecoratedOutputMacro(MAEInterior, double);
  itkSetDecoratedOutputMacro(PSNR, double);
  itkSetDecoratedOutputMacro(SSIM, double);
  itkSetDecoratedOutputMacro(VoxelsTotal, SizeValueType);
  itkSetDecoratedOutputMacro(VoxelsInterior, SizeValueType);

  void
  PrintSelf(std::ostream & os, Indent indent) const override;

  /// The superclass's requests, with the prediction and reference regions extended by the SSIM window
  /// (Window − 1 pixels along each axis, cropped to the image) when SSIM is computed.
  void
  GenerateNthInputRequestedRegion(unsigned int piece) override;

  /// Clears the sums before the first piece.
  void
  BeforeStreamedGenerateData() override;

  /// Adds the squared and absolute differences of `region` (and the SSIM of the windows that start in it)
  /// to the sums, under a lock.
  void
  ThreadedStreamedGenerateData(const RegionType & region) override;

  /// Turns the sums into the figures; RMSE and MAE of the interior and SSIM are NaN where they have no
  /// voxels or windows, PSNR is infinite for identical images. Throws if the mask is empty.
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

  double m_DataRange{ 255.0 };

  Sums       m_Sums;
  std::mutex m_Mutex;
};

} // namespace itk

#ifndef ITK_MANUAL_INSTANTIATION
#include "itkRevGANErrorMetricsImageFilter.hxx"
#endif

#endif
