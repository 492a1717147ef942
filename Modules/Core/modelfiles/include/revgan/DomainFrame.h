#pragma once

#include <string>
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
  /// The images hold DTI tensors (6 components in the image axes).
  bool tensors{ false };
  /// Direction cosines of the training images (row-major D×D, ITK's matrix: column j is axis j's
  /// direction in world LPS coordinates); empty when not recorded (files of earlier builds).
  std::vector<double> direction;

  bool
  operator==(const DomainFrame & other) const
  {
    return tensors == other.tensors && direction == other.direction;
  }
};

/// How an input laid out in `input` differs from the frame `trained` the model learnt: empty when
/// the model sees it as it saw its training images (same kind of values, and each axis within
/// 1 degree of the training images' axis, or no direction recorded on either side or of
/// another dimension); otherwise one sentence, e.g. "its axis 0 runs opposite to the training
/// images' axis 0 (a mirrored layout)". Directions that are not orthonormal are compared as given.
std::string
describeFrameDifference(const DomainFrame & trained, const DomainFrame & input);

} // namespace revgan
