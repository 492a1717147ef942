// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANTensorMetricsImageFilter_h
#define itkRevGANTensorMetricsImageFilter_h

#include "itkRevGANMaskedComparisonSink.h"
#include "itkSimpleDataObjectDecorator.h"

#include <mutex>

namespace itk
{

/** The errors of predicted diffusion tensors against reference tensors over one region (the mask,
 * "total", or its interior). Diffusivities are in the tensors' unit (mm²/s for most files), angles
 * in degrees. */
struct RevGANTensorErrors
{
  /// RMSE of the fractional anisotropy (dimensionless).
  double faRMSE{ 0.0 };
  /// MAE of the fractional anisotropy (dimensionless).
  double faMAE{ 0.0 };
  /// RMSE of the mean diffusivity.
  double mdRMSE{ 0.0 };
  /// MAE of the mean diffusivity.
  double mdMAE{ 0.0 };
  /// RMSE of the axial diffusivity (largest eigenvalue).
  double adRMSE{ 0.0 };
  /// MAE of the axial diffusivity (largest eigenvalue).
  double adMAE{ 0.0 };
  /// RMSE of the radial diffusivity (mean of the two smaller eigenvalues).
  double rdRMSE{ 0.0 };
  /// MAE of the radial diffusivity (mean of the two smaller eigenvalues).
  double rdMAE{ 0.0 };
  /** Mean angle between the principal eigenvectors, over the voxels whose reference FA exceeds the
   * threshold (NaN when there are none). */
  double angularErrorMean{ 0.0 };
  /** Mean Frobenius norm of log D_prediction − log D_reference over the voxels where both are
   * positive definite (NaN when there are none). */
  double logEuclideanMean{ 0.0 };
  /** Fraction of the voxels whose predicted tensor has an eigenvalue ≤ 0. */
  double nonPositiveDefiniteFraction{ 0.0 };
  /// Voxels in the region; where there are none, every other figure is NaN.
  SizeValueType voxels{ 0 };
  /// Voxels whose reference FA exceeds the threshold: those of angularErrorMean.
  SizeValueType voxelsAboveFAThreshold{ 0 };
  /// Voxels where both tensors are positive definite: those of logEuclideanMean.
  SizeValueType voxelsBothPositiveDefinite{ 0 };

  /** Every figure the same (NaNs differ, as they do for doubles): what a decorated output compares. */
  bool
  operator==(const RevGANTensorErrors & other) const
  {
    return faRMSE == other.faRMSE && faMAE == other.faMAE && mdRMSE == other.mdRMSE && mdMAE == other.mdMAE &&
           adRMSE == other.adRMSE && adMAE == other.adMAE && rdRMSE == other.rdRMSE && rdMAE == other.rdMAE &&
           angularErrorMean == other.angularErrorMean && logEuclideanMean == other.logEuclideanMean &&
           nonPositiveDefiniteFraction == other.nonPositiveDefiniteFraction && voxels == other.voxels &&
           voxelsAboveFAThreshold == other.voxelsAboveFAThreshold &&
           voxelsBothPositiveDefinite == other.voxelsBothPositiveDefinite;
  }
  /// Some figure differs (always so where a figure is NaN).
  bool
  operator!=(const RevGANTensorErrors & other) const
  {
    return !(*this == other);
  }
};

/** The figures in one line, as PrintSelf writes them. */
inline std::ostream &
operator<<(std::ostream & os, const RevGANTensorErrors & errors)
{
  return os << "FA RMSE " << errors.faRMSE << ", MD RMSE " << errors.mdRMSE << ", AD RMSE " << errors.adRMSE
            << ", RD RMSE " << errors.rdRMSE << ", angular error " << errors.angularErrorMean << " deg, log-Euclidean "
            << errors.logEuclideanMean << ", not positive definite " << errors.nonPositiveDefiniteFraction
            << ", voxels " << errors.voxels;
}

/** \class RevGANTensorMetricsImageFilter
 * \brief What DTI users judge a tensor prediction by: errors of FA, MD, AD and RD, the angle of the
 * principal direction, the log-Euclidean distance, and how often predicted tensors are not
 * positive definite — over a mask ("total") and over its interior.
 *
 * Pixels are symmetric 3×3 tensors with 6 components in ITK's order xx, xy, xz, yy, yz, zz
 * (DiffusionTensor3D, or a VectorImage of 6 components as revgan::readVectorImage gives). Both
 * images must hold tensors in the same frame; every figure here is unchanged by a rotation of that
 * frame. The inputs, mask, interior and streaming are those of RevGANMaskedComparisonSink; each
 * tensor is measured with RevGANTensorMeasures. The angular error counts voxels whose reference FA
 * exceeds FAThreshold (0.2 by default): the principal direction of a nearly isotropic tensor is
 * noise.
 *
 * Results are read with GetTotal() and GetInterior() after Update().
 *
 * \ingroup RevGAN
 */
template<typename TImage, typename TMaskImage = Image<unsigned char, TImage::ImageDimension>>
class ITK_TEMPLATE_EXPORT RevGANTensorMetricsImageFilter : public RevGANMaskedComparisonSink<TImage, TMaskImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(RevGANTensorMetricsImageFilter);

  using Self = RevGANTensorMetricsImageFilter;
  using Superclass = RevGANMaskedComparisonSink<TImage, TMaskImage>;
  using Pointer = SmartPointer<Self>;
  using ConstPointer = SmartPointer<const Self>;
  /// A region of the compared images.
  using RegionType = typename TImage::RegionType;
  static_assert(TImage::ImageDimension == 3, "diffusion tensors are 3D");

  itkNewMacro(Self);
  itkTypeMacro(RevGANTensorMetricsImageFilter, RevGANMaskedComparisonSink);

  /** Reference FA above which a voxel's principal direction counts for the angular error. */
  itkSetClampMacro(FAThreshold, double, 0.0, 1.0);
  /// Reference FA above which a voxel counts for the angular error (default 0.2, in [0, 1]).
  itkGetConstMacro(FAThreshold, double);

  /** The figures over the mask and over its interior: GetTotal() after Update(), or GetTotalOutput(),
   * a decorated output that a pipeline can hold and update (as StatisticsImageFilter's). */
  using ErrorsObjectType = SimpleDataObjectDecorator<RevGANTensorErrors>;
  itkGetDecoratedOutputMacro(Total, RevGANTensorErrors);
  itkGetDecoratedOutputMacro(Interior, RevGANTensorErrors);

  /** The decorated outputs by name ("Total", "Interior"). */
  using Superclass::MakeOutput;
  /// Makes the decorated output `name` ("Total" or "Interior"); any other name goes to the superclass.
  DataObject::Pointer
  MakeOutput(const ProcessObject::DataObjectIdentifierType & name) override;

protected:
  RevGANTensorMetricsImageFilter();
  ~RevGANTensorMetricsImageFilter() override = default;

  itkSetDecoratedOutputMacro(Total, RevGANTensorErrors);
  itkSetDecoratedOutputMacro(Interior, RevGANTensorErrors);

  void
  PrintSelf(std::ostream & os, Indent indent) const override;

  /// The superclass's checks, and that the pixels have 6 components (a symmetric 3×3 tensor).
  void
  VerifyInputInformation() ITKv5_CONST override;

  /// Clears the sums before the first piece.
  void
  BeforeStreamedGenerateData() override;

  /// Measures the predicted and reference tensor of each voxel of `region` in the mask and adds their
  /// differences to the sums of the mask and of its interior, under a lock.
  void
  ThreadedStreamedGenerateData(const RegionType & region) override;

  /// Turns the sums into the Total and Interior figures. Throws if the mask is empty.
  void
  AfterStreamedGenerateData() override;

private:
  /** Sums over the voxels of one region, added up over threads and pieces. */
  struct Sums
  {
    double        squared[4]{};  // FA, MD, AD, RD
    double        absolute[4]{}; // FA, MD, AD, RD
    double        angle{ 0.0 };
    double        logEuclidean{ 0.0 };
    SizeValueType voxels{ 0 };
    SizeValueType angleVoxels{ 0 };
    SizeValueType logEuclideanVoxels{ 0 };
    SizeValueType nonPositiveDefinite{ 0 };

    void
    Add(const Sums & other);
    RevGANTensorErrors
    Errors() const;
  };

  double m_FAThreshold{ 0.2 };

  Sums       m_TotalSums;
  Sums       m_InteriorSums;
  std::mutex m_Mutex;
};

} // namespace itk

#ifndef ITK_MANUAL_INSTANTIATION
#include "itkRevGANTensorMetricsImageFilter.hxx"
#endif

#endif
