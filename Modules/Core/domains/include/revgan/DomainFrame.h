// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace revgan
{

/// \brief The frame a model saw a domain's images in while it was trained, recorded in its model
/// file so that inference can tell when an input is laid out otherwise.
///
/// The network works on the voxel grid, so DTI tensors are given to it in the image axes (the
/// components xx, xy, xz, yy, yz, zz along the grid's axes; a NRRD measurement frame is rotated
/// away on reading and restored on writing). What the grid's axes were in the world is the images'
/// direction: a model trained on axial volumes whose first axis runs left to right has learnt the
/// anatomy, and the tensors, in that layout.
struct DomainFrame
{
  DomainFrame() = default;
  /// A frame with `holdsTensors` as `tensors` and `directionCosines` as `direction`; no grid factors.
  DomainFrame(bool holdsTensors, std::vector<double> directionCosines)
    : tensors(holdsTensors)
    , direction(std::move(directionCosines))
  {
  }

  /// The images hold DTI tensors (6 components in the image axes).
  bool tensors{ false };
  /// Direction cosines of the training images (row-major D×D, ITK's matrix: column j is axis j's
  /// direction in world LPS coordinates); empty when not recorded (files of earlier builds).
  std::vector<double> direction;
  /// Super-resolution from a coarser grid: the images were this many times coarser than the grid
  /// the network works on, per image axis (x, y[, z]), and were interpolated onto it with
  /// `interpolation` ("nearest", "linear" or "bspline") before the network. Inference takes an
  /// input on its coarse grid and does the same. Both empty: the images were given on the
  /// network's grid.
  std::vector<int64_t> gridFactors;
  /// The interpolation onto the network's grid when gridFactors is not empty (see gridFactors).
  std::string interpolation;

  /// Whether inference interpolates the input from a coarser grid (gridFactors is not empty).
  bool
  resamplesInput() const
  {
    return !gridFactors.empty();
  }

  /// Whether every field is equal.
  bool
  operator==(const DomainFrame & other) const
  {
    return tensors == other.tensors && direction == other.direction && gridFactors == other.gridFactors &&
           interpolation == other.interpolation;
  }
};

/// The interpolations a model can record for its input: nearest (the paper's setting), linear and
/// bspline (cubic B-spline).
bool
isInputInterpolation(const std::string & name);

/// Whether the input holds the kind of values the model learnt: empty when both or neither are
/// DTI tensors; otherwise one clause naming the difference.
std::string
describeTensorKindDifference(bool trainedOnTensors, bool inputHasTensors);

/// How the axes of an input with direction cosines `input` (row-major D×D, as DomainFrame holds
/// them) differ from the training images' `trained`: empty when each axis lies within 1 degree
/// of the training images' axis of the same number, or when either is unrecorded or of another
/// dimension; otherwise clauses joined by "; ", e.g. "its axis 0 runs opposite to the training
/// images' axis 0". Directions that are not orthonormal are compared as given.
std::string
describeAxisDifference(const std::vector<double> & trained, const std::vector<double> & input);

/// Both differences of an input laid out in `input` from the frame `trained` the model learnt,
/// joined by "; " (empty when there is none).
std::string
describeFrameDifference(const DomainFrame & trained, const DomainFrame & input);

} // namespace revgan
