#pragma once
// The one list of TrainerOptions' fields: each field's record name in checkpoints, the values it
// accepts, and whether checkpoints store it. TrainerOptions::validate and the checkpoints'
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
  visit(Field{ "adversarial_weight" }.atLeast(0), options.adversarialWeight);
  visit(Field{ "identity_weight" }.atLeast(0), options.identityWeight);
  visit(Field{ "squared_error" }, options.squaredError);
  visit(Field{ "learning_rate" }.positive(), options.learningRate);
  visit(Field{ "beta1" }.atLeast(0).below(1), options.beta1);
  visit(Field{ "beta2" }.atLeast(0).below(1), options.beta2);
  // Bounded so that schedule arithmetic (epochs x iterations) cannot overflow, e.g. on a crafted checkpoint.
  visit(Field{ "constant_epochs" }.atLeast(0).atMost(kMostEpochs), options.constantEpochs);
  visit(Field{ "decay_epochs" }.atLeast(0).atMost(kMostEpochs), options.decayEpochs);
  visit(Field{ "warmup_iterations" }.atLeast(0).addedLater(), options.warmupIterations);
  visit(Field{ "gradient_clip_norm" }.atLeast(0).addedLater(), options.gradientClipNorm);
  visit(Field{ "spike_factor" }.atLeast(0).addedLater(), options.spikeFactor);
  visit(Field{ "batch_size" }.atLeast(1), options.batchSize);
  visit(Field{ "pool_size" }.atLeast(0), options.poolSize);
  visit(Field{ "gradient_mode" }, options.gradientMode);
  visit(Field{ "seed" }, options.seed);
  visit(Field{ "discriminator_width" }.atLeast(1), options.discriminatorWidth);
  visit(Field{ "discriminator_strided_layers" }.atLeast(0), options.discriminatorStridedLayers);
  visit(Field{ "device" }, options.device);
  visit(Field{ "double_precision" }, options.dtype); // float or double, stored as whether it is double
  visit(Field{ "skip_non_finite_updates" }.notStored(), options.skipNonFiniteUpdates);
  visit(Field{ "monitor_reconstruction" }.notStored(), options.monitorReconstruction);
}

} // namespace revgan
