// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANTensorMetricsImageFilter_h
#define itkRevGANTensorMetricsImageFilter_h

#include "itkRevGANMaskedComparisonSink.h"

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
};

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

  itkGetConstReferenceMacro(Total, RevGANTensorErrors);
  itkGetConstReferenceMacro(Interior, RevGANTensorErrors);

protected:
  RevGANTensorMetricsImageFilter() = default;
  ~RevGANTensorMetricsImageFilter() override = default;

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

  RevGANTensorErrors m_Total;
  RevGANTensorErrors m_Interior;

  Sums       m_TotalSums;
  Sums       m_InteriorSums;
  std::mutex m_Mutex;
};

} // namespace itk

#ifndef ITK_MANUAL_INSTANTIATION
#include "itkRevGANTensorMetricsImageFilter.hxx"
#endif

#endif
