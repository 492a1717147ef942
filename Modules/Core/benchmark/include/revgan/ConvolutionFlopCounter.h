// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

namespace revgan
{

/// \brief Counts the floating-point operations of every convolution LibTorch runs while it exists
/// (forward, transposed, and the input and weight gradients of backward; on any thread).
///
/// One multiply-add counts as two operations, the convention of GFLOP/s figures and of sgemm's
/// 2·m·n·k. It observes LibTorch's operator calls (at::RecordFunction) for aten::convolution and
/// aten::convolution_backward, so it counts what actually ran, recomputations included, whichever
/// kernel ran it. Only one counter may exist at a time.
class ConvolutionFlopCounter
{
public:
  ConvolutionFlopCounter();
  ~ConvolutionFlopCounter();
  ConvolutionFlopCounter(const ConvolutionFlopCounter &) = delete;
  ConvolutionFlopCounter &
  operator=(const ConvolutionFlopCounter &) = delete;

  /// Operations counted since construction or the last reset().
  double
  operations() const;
  /// Sets the count back to zero.
  void
  reset();

private:
  uint64_t callback_{ 0 };
};

} // namespace revgan
