// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANTensorFrame_h
#define itkRevGANTensorFrame_h

#include "itkImageRegionIterator.h"
#include "itkMatrix.h"
#include "itkMetaDataObject.h"
#include "itkNumericTraits.h"
#include "itkVectorImage.h"

#include <cmath>
#include <string>
#include <vector>

namespace itk
{

/** Name of the measurement frame in the dictionary of an image that ITK's NRRD reader filled and
 * that its writer reads: frame[i] is measurement axis i in LPS world coordinates. */
constexpr const char * RevGANMeasurementFrameKey = "NRRD_measurement frame";

/** The rotation T that takes tensor components from the frame their file gives them in to the
 * image axes: D_axes = T D_file Tᵀ.
 *
 * Inside the toolkit, tensors are expressed in the image axes (x, y, z of the voxel grid), the
 * frame in which a convolution sees them and in which NIfTI stores them. A NRRD file gives them in
 * its measurement frame M (3D Slicer: RAS world axes); with the image's direction R (axis
 * directions in the same world coordinates), T = Rᵀ M. Without a measurement frame T is the
 * identity. Throws itk::ExceptionObject naming `fileName` when the frame is not a rotation (up
 * to a sign), because then R D Rᵀ is not a change of frame. */
inline Matrix<double, 3, 3>
RevGANFileFrameToImageAxes(const MetaDataDictionary &   dictionary,
                           const Matrix<double, 3, 3> & direction,
                           const std::string &          fileName)
{
  Matrix<double, 3, 3>             rotation;
  std::vector<std::vector<double>> frame;
  if (!ExposeMetaData(dictionary, RevGANMeasurementFrameKey, frame))
  {
    rotation.SetIdentity();
    return rotation;
  }
  Matrix<double, 3, 3> measurement;
  for (unsigned int axis = 0; axis < 3; ++axis)
  {
    for (unsigned int world = 0; world < 3; ++world)
    {
      const bool present = axis < frame.size() && world < frame[axis].size();
      measurement[world][axis] = present ? frame[axis][world] : std::nan("");
    }
  }
  rotation = direction.GetTranspose() * measurement.GetVnlMatrix();
  const vnl_matrix_fixed<double, 3, 3> product = rotation.GetVnlMatrix() * rotation.GetTranspose();
  for (unsigned int i = 0; i < 3; ++i)
  {
    for (unsigned int j = 0; j < 3; ++j)
    {
      if (!(std::abs(product(i, j) - (i == j ? 1.0 : 0.0)) < 1e-3))
      {
        itkGenericExceptionMacro(<< "'" << fileName
                                 << "': its measurement frame (with the image's direction) is not a rotation");
      }
    }
  }
  return rotation;
}

/** Gives a NRRD-bound dictionary the measurement frame of tensors expressed in the image axes
 * (the image's direction), unless it has one: a reader that finds none assumes the world axes
 * (3D Slicer takes the identity), which is wrong for any image not aligned with them. */
inline void
SetRevGANMeasurementFrameIfMissing(MetaDataDictionary & dictionary, const Matrix<double, 3, 3> & direction)
{
  if (dictionary.HasKey(RevGANMeasurementFrameKey))
    return;
  std::vector<std::vector<double>> frame(3, std::vector<double>(3));
  for (unsigned int axis = 0; axis < 3; ++axis)
  {
    for (unsigned int world = 0; world < 3; ++world)
      frame[axis][world] = direction[world][axis];
  }
  EncapsulateMetaData(dictionary, RevGANMeasurementFrameKey, frame);
}

/** D ← T D Tᵀ for each tensor of a 6-component image (xx, xy, xz, yy, yz, zz), in place. */
template<typename TImage>
void
RotateRevGANTensors(TImage * image, const Matrix<double, 3, 3> & rotation)
{
  bool identity = true;
  for (unsigned int i = 0; i < 3; ++i)
  {
    for (unsigned int j = 0; j < 3; ++j)
      identity = identity && rotation[i][j] == (i == j ? 1.0 : 0.0);
  }
  if (identity)
    return;
  constexpr unsigned int upper[3][3] = { { 0, 1, 2 }, { 1, 3, 4 }, { 2, 4, 5 } };
  for (ImageRegionIterator<TImage> it(image, image->GetBufferedRegion()); !it.IsAtEnd(); ++it)
  {
    auto   pixel = it.Get();
    double tensor[3][3], rotated[3][3];
    for (unsigned int i = 0; i < 3; ++i)
    {
      for (unsigned int j = 0; j < 3; ++j)
        tensor[i][j] = pixel[upper[i][j]];
    }
    for (unsigned int i = 0; i < 3; ++i)
    {
      for (unsigned int j = 0; j < 3; ++j)
      {
        double sum = 0.0;
        for (unsigned int k = 0; k < 3; ++k)
        {
          for (unsigned int l = 0; l < 3; ++l)
            sum += rotation[i][k] * tensor[k][l] * rotation[j][l];
        }
        rotated[i][j] = sum;
      }
    }
    for (unsigned int i = 0; i < 3; ++i)
    {
      for (unsigned int j = i; j < 3; ++j)
        pixel[upper[i][j]] = static_cast<typename NumericTraits<typename TImage::PixelType>::ValueType>(rotated[i][j]);
    }
    it.Set(pixel);
  }
}

/** Symmetric tensors (xx, xy, xz, yy, yz, zz) from full 3×3 matrices stored row by row, as a NRRD
 * `3D-matrix` axis holds them (3D Slicer's DTI files); each off-diagonal pair is averaged. */
inline VectorImage<float, 3>::Pointer
RevGANSymmetricTensorsFromMatrices(const VectorImage<float, 3> * matrices)
{
  auto tensors = VectorImage<float, 3>::New();
  tensors->CopyInformation(matrices);
  tensors->SetRegions(matrices->GetBufferedRegion());
  tensors->SetNumberOfComponentsPerPixel(6);
  tensors->Allocate();
  const float * in = matrices->GetBufferPointer();
  float *       out = tensors->GetBufferPointer();
  const size_t  voxels = matrices->GetBufferedRegion().GetNumberOfPixels();
  for (size_t v = 0; v < voxels; ++v, in += 9, out += 6)
  {
    out[0] = in[0];
    out[1] = 0.5f * (in[1] + in[3]);
    out[2] = 0.5f * (in[2] + in[6]);
    out[3] = in[4];
    out[4] = 0.5f * (in[5] + in[7]);
    out[5] = in[8];
  }
  return tensors;
}

} // namespace itk

#endif
