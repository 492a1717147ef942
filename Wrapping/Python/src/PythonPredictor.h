// SPDX-License-Identifier: Apache-2.0
#pragma once
// A Python callable as the predictor of itk::RevGANImageFilter: any PyTorch model gets the
// toolkit's patch grid, blending and streaming (revgan.translate(image, predictor=fn)).

#include "revgan/PatchPredictor.h"

#include <pybind11/pybind11.h>

#include <exception>
#include <mutex>

namespace revgan::python
{

/// Calls `function` with a batch of patches as a torch tensor (N, C, [D,] H, W) of float32 on the
/// CPU and takes back a tensor of (N, outputChannels, same extent). The filter runs it with the GIL
/// released; run() takes the GIL for the call. A Python exception raised by the callable is kept
/// (rethrowPending) so that it reaches the caller as it was, not as a C++ message.
class PythonPredictor : public PatchPredictor
{
public:
  PythonPredictor(pybind11::function function,
                  int64_t            dimensions,
                  int64_t            inputChannels,
                  int64_t            outputChannels,
                  int64_t            sizeMultiple);
  ~PythonPredictor() override;

  int64_t
  dimensions() const override
  {
    return dimensions_;
  }
  int64_t
  inputChannels(Direction) const override
  {
    return inputChannels_;
  }
  int64_t
  outputChannels(Direction) const override
  {
    return outputChannels_;
  }
  int64_t
  sizeMultiple() const override
  {
    return sizeMultiple_;
  }
  std::string
  description() const override;
  void
  run(const float * input, float * output, int64_t batch, const std::vector<int64_t> & spatial, Direction direction)
    const override;

  /// Rethrows the Python exception the callable raised during the last translation, if any.
  void
  rethrowPending() const;

private:
  pybind11::function         function_;
  int64_t                    dimensions_, inputChannels_, outputChannels_, sizeMultiple_;
  mutable std::exception_ptr pending_;
};

} // namespace revgan::python
