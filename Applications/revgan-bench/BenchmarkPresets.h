// SPDX-License-Identifier: Apache-2.0
#pragma once
// The named training configurations that several revgan-bench subcommands measure.

#include "revgan/TrainingBenchmark.h"

#include <c10/core/Device.h>

#include <string>
#include <vector>

namespace revgan
{

/// A named training configuration and its one-line description.
struct TrainingPreset
{
  std::string           description;
  TrainingBenchmarkCase benchmarkCase;
};

/// The preset names, for help texts and errors.
const std::vector<std::string> &
trainingPresetNames();

/// main-3d: the main job's DTI super-resolution network (SRCNN+2R, width 32, residual, 24³
/// patches, batch 4, paired L1 without GAN, as Utilities/run-main-job.sh trains it). revgan-2d:
/// the paper's unpaired 2D RevGAN in the configuration of the comparison with the authors' code
/// (width 32, depth 6, 128² samples, batch 1, discriminators of width 64 with image pools,
/// no identity loss). `depth` < 0 keeps the preset's depth; reversible gradients.
/// Throws std::invalid_argument for an unknown name.
TrainingPreset
trainingPreset(const std::string & name, int64_t depth, const c10::Device & device);

} // namespace revgan
