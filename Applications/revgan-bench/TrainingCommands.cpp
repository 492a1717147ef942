// SPDX-License-Identifier: Apache-2.0
// revgan-bench memory / speed: full training steps (generator and discriminator updates) of the
// toolkit's networks, per model, gradient mode, depth and sample size.
#include "BenchmarkCommands.h"
#include "BenchmarkPresets.h"
#include "BenchmarkTable.h"
#include "JsonLine.h"

#include "revgan/DeviceSelection.h"
#include "revgan/EnumNames.h"
#include "revgan/MatrixMultiplyRate.h"
#include "revgan/MemoryTracker.h"
#include "revgan/TrainingBenchmark.h"

#include <iostream>
#include <map>
#include <stdexcept>
#include <tuple>

namespace revgan
{

namespace
{

struct TrainingTableSettings
{
  int64_t                  dimensions{ 2 };
  std::vector<std::string> models;
  std::vector<std::string> modes{ "reversible", "naive" };
  std::vector<int64_t>     depths;
  std::vector<int64_t>     sizes;
  /// 0: each model's own (the widths of the paper's Table 5, and of the 3D networks).
  int64_t     width{ 0 };
  int64_t     channels{ 0 };
  int64_t     discriminatorWidth{ 64 };
  std::string objective;
  int64_t     batchSize{ 1 };
  /// 0: no discriminators, the generator's step alone (revgan-train --gan-weight 0).
  double   ganWeight{ 1.0 };
  int      repetitions{ 1 };
  uint64_t seed{ 1 };
  /// A named configuration (BenchmarkPresets.h) instead of the model settings above.
  std::string preset;
  /// MiB or "auto": the gradient mode of each row is chosen for it instead of --modes.
  std::string memoryBudget;
};

/// The generator a model name of the benchmarks stands for: a row of the generator table, or
/// "cyclegan", the name earlier benchmark files and scripts give the ResNet baseline.
const GeneratorDefinition &
benchmarkModel(const std::string & model)
{
  for (const GeneratorDefinition & row : generatorTable())
    if (model == row.name || (model == "cyclegan" && row.kind == GeneratorKind::ResNet))
      return row;
  throw std::invalid_argument("unknown model '" + model + "' (expected " + choiceList(generatorNames()) + ")");
}

/// How revgan-bench measures a generator of the table when no options say otherwise.
struct BenchmarkDefaults
{
  int64_t   width{ 32 };
  Objective objective{ Objective::Unpaired };
  /// The dimensions (2 or 3) whose table holds the model when no --models are given; 0: none.
  unsigned int tableDimensions{ 0 };
};

BenchmarkDefaults
benchmarkDefaults(GeneratorKind kind)
{
  BenchmarkDefaults defaults;
  switch (kind)
  {
    case GeneratorKind::RevGAN:
      // ≈ 3.9 M parameters at depth 6, as resnet at width 32: the paper's Table 5 compares them.
      defaults.width = 56;
      defaults.tableDimensions = 2;
      break;
    case GeneratorKind::ResNet:
      defaults.tableDimensions = 2;
      break;
    case GeneratorKind::SRCNN:
      defaults.width = 64;
      defaults.objective = Objective::Paired;
      defaults.tableDimensions = 3;
      break;
    case GeneratorKind::EDSRF:
      defaults.objective = Objective::Paired;
      break;
  }
  return defaults;
}

/// The names of the generators revgan-bench measures in `dimensions` when no models are named.
std::vector<std::string>
defaultBenchmarkModels(unsigned int dimensions)
{
  std::vector<std::string> names;
  for (const GeneratorDefinition & row : generatorTable())
    if (benchmarkDefaults(row.kind).tableDimensions == dimensions)
      names.emplace_back(row.name);
  return names;
}

/// The models of the help text, one line each, from the generator table.
std::string
modelHelp()
{
  std::string help;
  for (const GeneratorDefinition & row : generatorTable())
  {
    const BenchmarkDefaults defaults = benchmarkDefaults(row.kind);
    help += "  " + std::string(row.name) + " (width " + std::to_string(defaults.width) + ", " +
            toString(defaults.objective) + (row.family == GeneratorFamily::Invertible ? "" : ", no reversible mode") +
            "): " + row.summary + "\n";
  }
  return help;
}

/// Model names as the --models option takes them: "revgan resnet".
std::string
modelList(const std::vector<std::string> & names)
{
  std::string list;
  for (const std::string & name : names)
    list += (list.empty() ? "" : " ") + name;
  return list;
}

TrainingBenchmarkCase
makeCase(const TrainingTableSettings & settings,
         const std::string &           model,
         GradientMode                  mode,
         int64_t                       depth,
         int64_t                       size,
         const c10::Device &           device)
{
  const GeneratorDefinition & row = benchmarkModel(model);
  TrainingBenchmarkCase       benchmarkCase;
  benchmarkCase.model = row.name;
  benchmarkCase.size = size;
  GeneratorSpec & spec = benchmarkCase.spec;
  spec.kind = row.kind;
  spec.dimensions = settings.dimensions;
  spec.channelsX = spec.channelsY = settings.channels > 0 ? settings.channels : (settings.dimensions == 2 ? 3 : 6);
  const BenchmarkDefaults defaults = benchmarkDefaults(row.kind);
  spec.width = settings.width > 0 ? settings.width : defaults.width;
  spec.depth = depth;
  const Objective objective = settings.objective.empty() ? defaults.objective : parseObjective(settings.objective);
  benchmarkCase.options = TrainerOptions::forObjective(objective);
  benchmarkCase.options.gradientMode = mode;
  benchmarkCase.options.discriminatorWidth = settings.discriminatorWidth;
  benchmarkCase.options.batchSize = settings.batchSize;
  benchmarkCase.options.ganWeight = settings.ganWeight;
  benchmarkCase.options.seed = settings.seed;
  benchmarkCase.options.device = device;
  return benchmarkCase;
}

} // namespace

int
runTrainingCommand(const std::string & name, const std::vector<std::string> & arguments)
{
  const bool            speed = name == "speed";
  TrainingTableSettings settings;
  settings.repetitions = speed ? 3 : 1;
  MachineSettings  machine;
  BenchmarkOptions options(
    "Usage: revgan-bench " + name +
    " [options]\n\n"
    "Measures full training steps (generator update, then discriminator updates; Adam; batch 1 unless\n"
    "--batch-size; --gan-weight 0: the generator's update alone, without discriminators) on\n"
    "random samples, after one warm-up step. Models (their default widths give the 2D ones about 3.9 M\n"
    "parameters at depth 6, as in the paper's Table 5; cyclegan is another name of resnet):\n" +
    modelHelp() +
    "Modes: reversible (the core reconstructs its activations; encoders and decoders recompute theirs),\n"
    "reversible-core (only the core reconstructs) and naive (plain autograd). peak activation = peak tensor bytes "
    "during a step above those held\n"
    "before it (parameters, gradients, optimizer state). GFLOP/s counts the convolutions that ran.\n"
    "Without options: the 2D table on 256x256 images; --dimensions 3: SRCNN+kR on 24^3 and 64^3.");
  options.add("dimensions", settings.dimensions, "2 (images) or 3 (volumes)")
    .add("models",
         settings.models,
         "generators of the table above (default: " + modelList(defaultBenchmarkModels(2)) +
           "; 3D: " + modelList(defaultBenchmarkModels(3)) + ")")
    .add("modes", settings.modes, "gradient modes of the reversible models")
    .add("depths", settings.depths, "core depths (default: 6 9 12 18 30; 3D: 0 2 4 8 16)")
    .add("sizes", settings.sizes, "sample extents per axis (default: 256; 3D: 24 64)")
    .add("width", settings.width, "generator width ngf (0: the model's own)")
    .add("channels", settings.channels, "image channels (0: 3 in 2D, 6 in 3D)")
    .add("discriminator-width", settings.discriminatorWidth, "PatchGAN width ndf")
    .add("objective", settings.objective, "paired or unpaired (default: the model's own)")
    .add("batch-size", settings.batchSize, "samples per step")
    .add("gan-weight", settings.ganWeight, "weight of the adversarial terms (0: no discriminators)")
    .add("repeat", settings.repetitions, "measured steps per row (median time, largest peak)")
    .add("seed", settings.seed, "random seed")
    .add("preset",
         settings.preset,
         "a named configuration instead of the model options: main-3d (the main job's SRCNN+2R w32, 24^3, batch "
         "4, paired L1) or revgan-2d (unpaired RevGAN w32, 128^2, with GAN); --depths, --modes and --repeat apply")
    .add("memory-budget",
         settings.memoryBudget,
         "MiB of activations, or auto: each row trains in the fastest gradient mode that fits (as revgan-train "
         "--memory-budget chooses it) instead of the --modes");
  machine.addTo(options);
  if (!options.parse(arguments, std::cout))
    return 0;
  if (settings.dimensions != 2 && settings.dimensions != 3)
    throw std::invalid_argument("--dimensions must be 2 or 3, got " + std::to_string(settings.dimensions));
  const c10::Device device = selectDevice(machine.device);
  if (!settings.preset.empty())
  {
    const TrainingBenchmarkCase preset = trainingPreset(settings.preset, -1, device).benchmarkCase;
    settings.dimensions = preset.spec.dimensions;
    settings.models = { generatorDefinition(preset.spec.kind).name };
    if (settings.depths.empty())
      settings.depths = { preset.spec.depth };
    settings.sizes = { preset.size };
  }
  const bool volumes = settings.dimensions == 3;
  if (settings.models.empty())
    settings.models = defaultBenchmarkModels(settings.dimensions);
  if (settings.depths.empty())
    settings.depths = volumes ? std::vector<int64_t>{ 0, 2, 4, 8, 16 } : std::vector<int64_t>{ 6, 9, 12, 18, 30 };
  if (settings.sizes.empty())
    settings.sizes = volumes ? std::vector<int64_t>{ 24, 64 } : std::vector<int64_t>{ 256 };
  std::vector<GradientMode> modes;
  for (const auto & mode : settings.modes)
    modes.push_back(parseGradientMode(mode));
  for (const auto & model : settings.models)
    benchmarkModel(model); // rejects unknown names before any work

  const int     threadCount = machine.apply();
  const int64_t budget =
    settings.memoryBudget.empty() ? 0 : parseMemoryBudget(settings.memoryBudget, device, "--memory-budget");
  if (budget > 0)
    modes = { GradientMode::Reversible }; // one row per configuration, in the mode chosen for it
  MemoryTracker::installTracking();
  const double sgemm = measureMatrixMultiplyRate(device);

  BenchmarkTable table({ { "model", 10 },
                         { "mode", 16 },
                         { "depth", 6 },
                         { "size", 6 },
                         { "params MiB", 12 },
                         { "peak activ. MiB", 17 },
                         { "s/step", 9 },
                         { "GFLOP/s", 9 },
                         { "% sgemm", 9 },
                         { "rev/naive", 11 } });
  if (!machine.json)
  {
    std::cout << name << " benchmark: " << settings.dimensions << "D, device " << device.str() << ", " << threadCount
              << " threads, sgemm " << formatFixed(sgemm, 1) << " GFLOP/s, " << settings.repetitions
              << " measured step(s) per row\n"
              << table.header();
  }
  // Seconds of the naive row of each (model, depth, size), for the reversible / naive ratio.
  std::map<std::tuple<std::string, int64_t, int64_t>, double> naiveSeconds;
  for (const int64_t size : settings.sizes)
  {
    for (const int64_t depth : settings.depths)
    {
      for (const auto & requested : settings.models)
      {
        const std::string model = benchmarkModel(requested).name;
        // The naive row first, so that the reversible row can report the ratio.
        std::vector<GradientMode> modelModes = benchmarkModel(model).family == GeneratorFamily::Invertible
                                                 ? modes
                                                 : std::vector<GradientMode>{ GradientMode::Naive };
        std::stable_sort(modelModes.begin(),
                         modelModes.end(),
                         [](GradientMode a, GradientMode b)
                         { return a == GradientMode::Naive && b != GradientMode::Naive; });
        for (const GradientMode mode : modelModes)
        {
          TrainingBenchmarkCase benchmarkCase = settings.preset.empty()
                                                  ? makeCase(settings, model, mode, depth, size, device)
                                                  : trainingPreset(settings.preset, depth, device).benchmarkCase;
          benchmarkCase.options.gradientMode = mode;
          benchmarkCase.memoryBudgetBytes = budget;
          const TrainingStepFigures figures = measureTrainingSteps(benchmarkCase, settings.repetitions);
          const double              rate = figures.convolutionOperations / figures.seconds / 1e9;
          const auto                key = std::make_tuple(model, depth, size);
          double                    ratio = 0.0;
          if (figures.budgetChoice && !machine.json)
            std::cerr << model << " depth " << depth << " size " << size
                      << ": memory budget: " << figures.budgetChoice->describe(budget) << '\n';
          if (figures.mode == GradientMode::Naive)
            naiveSeconds[key] = figures.seconds;
          else if (naiveSeconds.count(key) > 0)
            ratio = figures.seconds / naiveSeconds[key];
          if (machine.json)
          {
            JsonLine line;
            line.add("benchmark", name)
              .add("model", model)
              .add("mode", toString(figures.mode))
              .add("depth", depth)
              .add("param_bytes", figures.parameterBytes)
              .add("peak_activation_bytes", figures.peakActivationBytes)
              .add("seconds", figures.seconds)
              .add("gflop", figures.convolutionOperations / 1e9)
              .add("gflops", rate)
              .add("sgemm_gflops", sgemm)
              .add("dimensions", settings.dimensions)
              .add("size", size)
              .add("width", benchmarkCase.spec.width)
              .add("objective", toString(benchmarkCase.options.objective))
              .add("batch_size", settings.batchSize)
              .add("gan_weight", settings.ganWeight)
              .add("device", device.str())
              .add("threads", threadCount);
            if (ratio > 0.0)
              line.add("ratio_to_naive", ratio);
            if (figures.budgetChoice)
              line.add("memory_budget_bytes", budget).add("budget_choice", figures.budgetChoice->describe(budget));
            if (!settings.preset.empty())
              line.add("preset", settings.preset);
            std::cout << line.str() << std::endl;
            continue;
          }
          std::cout << table.row({ model,
                                   toString(figures.mode),
                                   std::to_string(depth),
                                   std::to_string(size),
                                   formatFixed(mebibytes(figures.parameterBytes), 2),
                                   formatFixed(mebibytes(figures.peakActivationBytes), 1),
                                   formatFixed(figures.seconds, 3),
                                   formatFixed(rate, 1),
                                   formatFixed(100.0 * rate / sgemm, 0),
                                   ratio > 0.0 ? formatFixed(ratio, 2) : "" })
                    << std::flush;
        }
      }
    }
  }
  return 0;
}

} // namespace revgan
