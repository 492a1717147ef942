// SPDX-License-Identifier: Apache-2.0
#pragma once
// The one list of TrainerOptions' fields: each field's record name in checkpoints (revgan-train's
// option name, spelled with underscores: one spelling per option, checked by the test
// TrainOptions.EveryRecordIsAnOptionOfTheProgram), the values it accepts, and whether checkpoints
// store it. TrainerOptions::validate and the checkpoints'
// reading and writing (TrainerCheckpoint.cpp) visit this list; nothing else names the fields.

#include "revgan/TrainerOptions.h"

#include <limits>
#include <string>

namespace revgan
{

/// \brief One field of TrainerOptions: its record name, the interval its value must lie in (for
/// numbers; unbounded by default), and whether checkpoints store it.
struct TrainerOptionField
{
  const char * name;
  double       minimum{ -std::numeric_limits<double>::infinity() };
  double       maximum{ std::numeric_limits<double>::infinity() };
  bool         minimumExcluded{ false };
  bool         maximumExcluded{ false };
  /// The choices of a run (what a failed update does, the debug monitor) are not stored.
  bool stored{ true };
  /// Checkpoints written before the field existed lack it: it keeps its default when read.
  bool optionalInRecords{ false };
  /// The record's name in checkpoints written before the name became the program's option name
  /// (0.x: "adversarial_weight" for "gan_weight"); read when the current name is absent.
  const char * formerName{ nullptr };

  constexpr TrainerOptionField
  atLeast(double value) const
  {
    TrainerOptionField field = *this;
    field.minimum = value;
    return field;
  }
  constexpr TrainerOptionField
  positive() const
  {
    TrainerOptionField field = atLeast(0.0);
    field.minimumExcluded = true;
    return field;
  }
  constexpr TrainerOptionField
  atMost(double value) const
  {
    TrainerOptionField field = *this;
    field.maximum = value;
    return field;
  }
  constexpr TrainerOptionField
  below(double value) const
  {
    TrainerOptionField field = atMost(value);
    field.maximumExcluded = true;
    return field;
  }
  constexpr TrainerOptionField
  addedLater() const
  {
    TrainerOptionField field = *this;
    field.optionalInRecords = true;
    return field;
  }
  constexpr TrainerOptionField
  formerly(const char * name) const
  {
    TrainerOptionField field = *this;
    field.formerName = name;
    return field;
  }
  constexpr TrainerOptionField
  notStored() const
  {
    TrainerOptionField field = *this;
    field.stored = false;
    return field;
  }

  bool
  accepts(double value) const
  {
    return (minimumExcluded ? value > minimum : value >= minimum) &&
           (maximumExcluded ? value < maximum : value <= maximum);
  }
  /// "learning rate must be positive", "beta1 must lie in [0, 1)", …
  std::string
  requirement() const;
};

/// More epochs than anyone trains, few enough for any schedule arithmetic.
constexpr double kMostEpochs = 1e6;

/// Calls `visit(field, value)` for every field of `options`, in the order checkpoints store them;
/// `value` is a const or mutable reference as `options` is.
template<typename Options, typename Visitor>
void
visitTrainerOptions(Options & options, Visitor && visit)
{
  using Field = TrainerOptionField;
  visit(Field{ "objective" }, options.objective);
  visit(Field{ "gan_loss" }, options.ganLoss);
  visit(Field{ "lambda" }.atLeast(0), options.lambda);
  visit(Field{ "gan_weight" }.formerly("adversarial_weight").atLeast(0), options.ganWeight);
  visit(Field{ "identity_weight" }.atLeast(0), options.identityWeight);
  // l1 or l2; formerly whether it was l2.
  visit(Field{ "reconstruction_loss" }.formerly("squared_error"), options.reconstructionLoss);
  visit(Field{ "learning_rate" }.positive(), options.learningRate);
  visit(Field{ "beta1" }.atLeast(0).below(1), options.beta1);
  visit(Field{ "beta2" }.atLeast(0).below(1), options.beta2);
  // Bounded so that schedule arithmetic (epochs x iterations) cannot overflow, e.g. on a crafted checkpoint.
  visit(Field{ "epochs" }.formerly("constant_epochs").atLeast(0).atMost(kMostEpochs), options.epochs);
  visit(Field{ "decay_epochs" }.atLeast(0).atMost(kMostEpochs), options.decayEpochs);
  visit(Field{ "warmup_iterations" }.atLeast(0).addedLater(), options.warmupIterations);
  visit(Field{ "clip_gradient_norm" }.formerly("gradient_clip_norm").atLeast(0).addedLater(), options.clipGradientNorm);
  visit(Field{ "spike_factor" }.atLeast(0).addedLater(), options.spikeFactor);
  visit(Field{ "batch_size" }.atLeast(1), options.batchSize);
  visit(Field{ "pool_size" }.atLeast(0), options.poolSize);
  visit(Field{ "gradient_mode" }, options.gradientMode);
  visit(Field{ "seed" }, options.seed);
  visit(Field{ "discriminator_width" }.atLeast(1), options.discriminatorWidth);
  visit(Field{ "discriminator_layers" }.formerly("discriminator_strided_layers").atLeast(0),
        options.discriminatorLayers);
  visit(Field{ "device" }, options.device);
  // float or double; formerly whether it was double.
  visit(Field{ "precision" }.formerly("double_precision"), options.precision);
  visit(Field{ "skip_non_finite" }.notStored(), options.skipNonFinite);
  visit(Field{ "monitor_reconstruction" }.notStored(), options.monitorReconstruction);
}

} // namespace revgan
