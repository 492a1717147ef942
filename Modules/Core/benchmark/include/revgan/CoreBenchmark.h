// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/NetworkOptions.h"
#include "revgan/ReversibleSequence.h"

#include <torch/types.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace revgan
{

/// What one training step of a network cost.
struct StepMeasurement
{
  /// Peak bytes of tensor storage during forward + backward, above a baseline taken once the
  /// parameters, their gradient buffers and the input exist (the paper's "activations", as
  /// opposed to "model" memory).
  int64_t peakActivationBytes{ 0 };
  /// Bytes of the parameters (their gradient buffers take as much again).
  int64_t parameterBytes{ 0 };
  /// Wall-clock seconds of forward + backward.
  double seconds{ 0.0 };
};

/// Runs `sequence` on `input` in `direction`, backpropagates the sum of the output, and measures
/// the step. Parameter gradients are created (zeroed) before the baseline is taken. On the CPU the
/// MemoryTracker must be installed.
StepMeasurement
measureSequenceStep(ReversibleSequence &  sequence,
                    const torch::Tensor & input,
                    Direction             direction = Direction::Forward);

/// One configuration of `revgan-bench core`: the paper's block (instance norm, reflection
/// padding, N(0, 0.02) weights) on a (batch, channels, size^dimensions) input.
struct CoreBenchmarkSettings
{
  /// Numbers of coupling blocks of the sequences measured (one row per depth and mode).
  std::vector<int64_t> depths{ 6, 9, 12, 18, 30 };
  /// Gradient modes each depth is measured in.
  std::vector<GradientMode> modes{ GradientMode::Naive, GradientMode::Reversible };
  /// Spatial dimensions of the blocks and the input: 2 or 3.
  int64_t dimensions{ 2 };
  /// 224 = 4 × width 56: the core of the unpaired RevGAN of the paper's Table 5.
  int64_t channels{ 224 };
  /// 64 = a 256 × 256 image after the encoder's two downsamplings.
  int64_t size{ 64 };
  /// Samples per input (at least 1).
  int64_t batch{ 1 };
  /// Measured steps per row after the warm-up step (at least 1).
  int repetitions{ 3 };
  /// Device the sequences and inputs are placed on.
  torch::Device device{ torch::kCPU };
  /// LibTorch seed set before each row's weights and input are drawn.
  uint64_t seed{ 1 };
};

/// The measurement of one depth and gradient mode of runCoreBenchmark.
struct CoreBenchmarkRow
{
  /// Gradient mode the sequence ran in.
  GradientMode mode{ GradientMode::Naive };
  /// Number of coupling blocks of the sequence.
  int64_t depth{ 0 };
  /// Median over the repetitions (after one warm-up step).
  StepMeasurement measurement;
};

/// Measures every depth × mode of `settings`; calls `onRow` as each row is ready.
std::vector<CoreBenchmarkRow>
runCoreBenchmark(const CoreBenchmarkSettings &                         settings,
                 const std::function<void(const CoreBenchmarkRow &)> & onRow = {});

} // namespace revgan
