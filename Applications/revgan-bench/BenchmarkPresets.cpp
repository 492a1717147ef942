// SPDX-License-Identifier: Apache-2.0
#include "BenchmarkPresets.h"

#include "revgan/EnumNames.h"

#include <stdexcept>

namespace revgan
{

const std::vector<std::string> &
trainingPresetNames()
{
  static const std::vector<std::string> names{ "main-3d", "revgan-2d" };
  return names;
}

TrainingPreset
trainingPreset(const std::string & name, int64_t depth, const c10::Device & device)
{
  TrainingPreset          preset;
  TrainingBenchmarkCase & benchmarkCase = preset.benchmarkCase;
  benchmarkCase.model = name;
  GeneratorSpec & spec = benchmarkCase.spec;
  if (name == "main-3d")
  {
    spec.kind = GeneratorKind::SRCNN;
    spec.dimensions = 3;
    spec.channelsX = spec.channelsY = 6;
    spec.width = 32;
    spec.depth = depth >= 0 ? depth : 2;
    spec.residual = true;
    benchmarkCase.size = 24;
    benchmarkCase.options = TrainerOptions::forObjective(Objective::Paired);
    benchmarkCase.options.ganWeight = 0.0;
    benchmarkCase.options.batchSize = 4;
    preset.description = "SRCNN+" + std::to_string(spec.depth) + "R w32, 24^3, batch 4, paired L1";
  }
  else if (name == "revgan-2d")
  {
    spec.kind = GeneratorKind::RevGAN;
    spec.dimensions = 2;
    spec.channelsX = spec.channelsY = 3;
    spec.width = 32;
    spec.depth = depth >= 0 ? depth : 6;
    benchmarkCase.size = 128;
    benchmarkCase.options = TrainerOptions::forObjective(Objective::Unpaired);
    benchmarkCase.options.batchSize = 1;
    preset.description = "RevGAN w32 d" + std::to_string(spec.depth) + ", 128^2, batch 1, unpaired with GAN";
  }
  else
  {
    throw std::invalid_argument("unknown configuration '" + name + "' (expected " + choiceList(trainingPresetNames()) +
                                ")");
  }
  spec.validate();
  benchmarkCase.options.gradientMode = GradientMode::Reversible;
  benchmarkCase.options.device = device;
  benchmarkCase.options.seed = 1;
  return preset;
}

} // namespace revgan
