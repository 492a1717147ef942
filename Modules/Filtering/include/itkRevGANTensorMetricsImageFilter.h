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
  double faRMSE{ 0.0 };
  double faMAE{ 0.0 };
  double mdRMSE{ 0.0 };
  double mdMAE{ 0.0 };
  double adRMSE{ 0.0 };
  double adMAE{ 0.0 };
  double rdRMSE{ 0.0 };
  double rdMAE{ 0.0 };
  /** Mean angle between the principal eigenvectors, over the voxels whose reference FA exceeds the
   * threshold (NaN when there are none). */
  double angularErrorMean{ 0.0 };
  /** Mean Frobenius norm of log D_prediction − log D_reference over the voxels where both are
   * positive definite (NaN when there are none). */
  double logEuclideanMean{ 0.0 };
  /** Fraction of the voxels whose predicted tensor has an eigenvalue ≤ 0. */
  double        nonPositiveDefiniteFraction{ 0.0 };
  SizeValueType voxels{ 0 };
  SizeValueType voxelsAboveFAThreshold{ 0 };
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
  using RegionType = typename TImage::RegionType;
  static_assert(TImage::ImageDimension == 3, "diffusion tensors are 3D");

  itkNewMacro(Self);
  itkTypeMacro(RevGANTensorMetricsImageFilter, RevGANMaskedComparisonSink);

  /** Reference FA above which a voxel's principal direction counts for the angular error. */
  itkSetClampMacro(FAThreshold, double, 0.0, 1.0);
  itkGetConstMacro(FAThreshold, double);

  /** The figures over the mask and over its interior: GetTotal() after Update(), or GetTotalOutput(),
   * a decorated output that a pipeline can hold and update (as StatisticsImageFilter's). */
  using ErrorsObjectType = SimpleDataObjectDecorator<RevGANTensorErrors>;
  itkGetDecoratedOutputMacro(Total, RevGANTensorErrors);
  itkGetDecoratedOutputMacro(Interior, RevGANTensorErrors);

  /** The decorated outputs by name ("Total", "Interior"). */
  using Superclass::MakeOutput;
  DataObject::Pointer
  MakeOutput(const ProcessObject::DataObjectIdentifierType & name) override;

protected:
  RevGANTensorMetricsImageFilter();
  ~RevGANTensorMetricsImageFilter() override = default;

  itkSetDecoratedOutputMacro(Total, RevGANTensorErrors);
  itkSetDecoratedOutputMacro(Interior, RevGANTensorErrors);

  void
  PrintSelf(std::ostream & os, Indent indent) const override;

  void
  VerifyInputInformation() ITKv5_CONST override;

  void
  BeforeStreamedGenerateData() override;

  void
  ThreadedStreamedGenerateData(const RegionType & region) override;

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
