// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/DomainFrame.h"
#include "revgan/NetworkOptions.h"

#include <cstdint>
#include <string>
#include <vector>

namespace revgan
{

/// \brief What the sliding window of itk::RevGANImageFilter runs: a network that maps a batch of
/// patches, held in plain float buffers, to a batch of patches of the same extent.
///
/// revgan::ModelRunner implements it for the toolkit's LibTorch models; another back end (another
/// inference library, a remote service, a test double) implements the six pure functions (and
/// inputFrame, for a super-resolution model that takes its input on a coarser grid). The header
/// needs neither LibTorch nor ITK.
class PatchPredictor
{
public:
  virtual ~PatchPredictor() = default;
  /// 2 or 3.
  virtual int64_t
  dimensions() const = 0;
  /// Channels the network reads when run in `direction` (X for forward, Y for inverse).
  virtual int64_t
  inputChannels(Direction direction) const = 0;
  /// Channels the network writes when run in `direction` (Y for forward, X for inverse).
  virtual int64_t
  outputChannels(Direction direction) const = 0;
  /// The frame of the images the network read in training when run in `direction` (see
  /// DomainFrame.h). Its gridFactors and interpolation tell itk::RevGANImageFilter to take the
  /// input on a coarser grid and interpolate it onto the network's; by default the input is on the
  /// network's grid already.
  virtual const DomainFrame &
  inputFrame(Direction /*direction*/) const
  {
    static const DomainFrame onTheNetworksGrid;
    return onTheNetworksGrid;
  }
  /// Spatial patch sizes must be multiples of this.
  virtual int64_t
  sizeMultiple() const = 0;
  /// One line for messages, e.g. "revgan 2D, X 1 channel(s), Y 1 channel(s), width 8, depth 4".
  virtual std::string
  description() const = 0;
  /// Runs the network on `batch` patches. `input` holds batch × inputChannels × Π spatial floats,
  /// channel-major then spatial in C order (last axis fastest); `spatial` lists the patch's
  /// extent from the slowest axis to the fastest. `output` receives batch × outputChannels × Π
  /// spatial floats in the same layout. Throws std::exception on failure.
  virtual void
  run(const float * input, float * output, int64_t batch, const std::vector<int64_t> & spatial, Direction direction)
    const = 0;
};

} // namespace revgan
