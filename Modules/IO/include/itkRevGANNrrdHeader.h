// SPDX-License-Identifier: Apache-2.0
#ifndef itkRevGANNrrdHeader_h
#define itkRevGANNrrdHeader_h

#include <string>
#include <vector>

namespace itk
{

/** What a NRRD header says that ITK's reader does not pass on: the kind of the range (per-voxel)
 * axis and the space name. ITK reads a 9-value `3D-matrix` axis (as 3D Slicer writes DTI) as a
 * plain 9-component vector and converts every space to LPS, so both are read here with the same
 * NRRD library (teem's NrrdIO, which ITK ships). */
struct RevGANNrrdHeader
{
  /** teem's name of the range axis kind ("3D-matrix", "3D-symmetric-matrix", "vector", ...); empty
   * for a scalar image. */
  std::string rangeKind;
  /** Values per voxel on the range axis (1 for a scalar image). */
  unsigned int rangeSize{ 1 };
  /** teem's name of the space ("right-anterior-superior", ...); empty when the file has none. */
  std::string space;
  /** Whether the header has a measurement frame. */
  bool hasMeasurementFrame{ false };
};

/** Whether `fileName` names a NRRD file (.nrrd, .nhdr). */
bool
IsRevGANNrrdFile(const std::string & fileName);

/** Reads the header of a NRRD file. Throws itk::ExceptionObject naming the file when teem cannot
 * read it. */
RevGANNrrdHeader
ReadRevGANNrrdHeader(const std::string & fileName);

} // namespace itk

#endif
