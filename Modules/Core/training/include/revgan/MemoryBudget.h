// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/NetworkOptions.h"

#include <c10/core/Device.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace revgan
{

class Trainer;
struct TrainingBatch;

/// What fitting a memory budget measured and chose (chooseGradientMode).
struct GradientModeChoice
{
  /// The chosen mode: the fastest that fits, or the most frugal if none does.
  GradientMode mode{ GradientMode::Reversible };
  /// Whether the chosen mode's update fits the budget.
  bool fits{ false };
  /// Peak activation bytes of the generator's update in each mode tried, in the order tried.
  std::vector<std::pair<GradientMode, int64_t>> peakBytes;

  /// One line for the user, e.g. "naive (1.2 MiB; reversible 0.5 MiB, ...) fits 1024 MiB".
  std::string
  describe(int64_t budgetBytes) const;
};

/// Chooses what a training step recomputes so that the activations of the generator's update
/// (its forward passes, losses and backward: the part of a step that the gradient mode changes)
/// fit `budgetBytes` at the least cost in time. Measures the update on `probe` (a batch of the
/// training's shape; its values do not matter) in Reversible, ReversibleCore and Naive mode —
/// from the most frugal on, stopping at the first that does not fit, so that the probes
/// themselves stay near the budget — and sets the fastest mode that fits on the trainer (the
/// most frugal when none does). The probes change no weights. On the CPU it installs the
/// MemoryTracker. Networks without a reversible core have one mode: Naive.
GradientModeChoice
chooseGradientMode(Trainer & trainer, const TrainingBatch & probe, int64_t budgetBytes);

/// A budget from the machine: half the memory the system reports available (CPU), or 80 % of
/// the free memory of the CUDA device.
int64_t
automaticMemoryBudget(const c10::Device & device);

/// Parses a budget option: a number of MiB, or "auto". Throws std::invalid_argument naming
/// `option` otherwise.
int64_t
parseMemoryBudget(const std::string & text, const c10::Device & device, const std::string & option);

} // namespace revgan
