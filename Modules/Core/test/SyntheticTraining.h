// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "revgan/GeneratorSpec.h"
#include "revgan/Trainer.h"
#include "revgan/TrainingData.h"

#include <torch/torch.h>

#include <vector>

namespace revgan::test
{

/// A 2D RevGAN of width 4 and depth 2 on one channel: a few training steps a second.
inline GeneratorSpec
tinyRevGAN()
{
  GeneratorSpec spec;
  spec.kind = GeneratorKind::RevGAN;
  spec.width = 4;
  spec.depth = 2;
  spec.channelsX = 1;
  spec.channelsY = 1;
  return spec;
}

/// Options for a few quick steps: one constant epoch and two of decay, small discriminators and pools.
inline TrainerOptions
tinyOptions(Objective objective)
{
  TrainerOptions options = TrainerOptions::forObjective(objective);
  options.epochs = 1;
  options.decayEpochs = 2;
  options.discriminatorWidth = 4;
  options.poolSize = 2;
  options.seed = 5;
  return options;
}

/// Random crops (32×32, with flips) of three smooth synthetic 40×40 image pairs, y a shifted,
/// scaled function of x. The images are the same on every call (seed 99), so that the processes
/// of a data-parallel test, like those of a job reading the same files, hold the same data.
inline CropSource
syntheticSource(bool paired, int64_t samplesPerEpoch = 4)
{
  torch::manual_seed(99);
  std::vector<torch::Tensor> xs, ys;
  for (int i = 0; i < 3; ++i)
  {
    torch::Tensor x = torch::tanh(torch::randn({ 1, 40, 40 }).cumsum(1) / 4);
    xs.push_back(x);
    ys.push_back(0.5 * x.roll(1, 2) - 0.2);
  }
  return CropSource(xs, ys, { 32, 32 }, paired, /*randomFlips=*/true, samplesPerEpoch);
}

} // namespace revgan::test
