// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <deque>
#include <stdexcept>
#include <string>

namespace revgan
{

/// \brief Training diverged again and again although the learning rate was lowered each time; the
/// message names the epoch and iteration where it stopped and what was seen.
class TrainingDivergedError : public std::runtime_error
{
public:
  using std::runtime_error::runtime_error;
};

/// \brief Tells a diverging update from an ordinary one, by the loss it is computed from.
///
/// A loss that is not finite, or above `factor` times the median of the last `window` losses of
/// updates taken, is a spike: the Trainer then leaves the update out, returns to its last good
/// snapshot and halves the learning rate. A snapshot is due every `snapshotInterval` updates, and
/// only while the loss is ordinary (at most twice the median), so that the state returned to is
/// one from before the divergence began.
class DivergenceGuard
{
public:
  /// Returns to a snapshot after which a further spike stops training: the rate is then 1/16 of
  /// its value.
  static constexpr int kMostRecoveries = 4;

  /// A guard with spike threshold `factor` (0: off), a median over the last `window` losses (at
  /// least 10) and a snapshot due every `snapshotInterval` updates (at least 1).
  explicit DivergenceGuard(double factor = 0.0, int64_t window = 50, int64_t snapshotInterval = 20);

  /// Whether the guard is on (factor > 0).
  bool
  enabled() const
  {
    return factor_ > 0.0;
  }

  /// Whether `loss` is a spike: non-finite, or (the guard on, at least 10 losses recorded) above
  /// factor times their median.
  bool
  isSpike(double loss) const;

  /// Records the loss of an update that was taken.
  void
  record(double loss);

  /// Whether the state before the update whose loss is `loss` should be kept as the last good one.
  bool
  snapshotDue(double loss) const;

  /// Says that the snapshot was taken.
  void
  markSnapshot();

  /// The median of the recorded losses (0 with none).
  double
  median() const;

  /// Number of most recent losses the median is taken over.
  int64_t
  window() const
  {
    return static_cast<int64_t>(window_);
  }

  /// Counts a return to the snapshot and halves the rate scale; throws TrainingDivergedError with
  /// `what` (the spike's description) once kMostRecoveries returns have not helped.
  void
  recover(const std::string & what);

  /// Returns to a snapshot so far (at most kMostRecoveries).
  int
  recoveries() const
  {
    return recoveries_;
  }
  /// The factor every scheduled learning rate is multiplied by: 1, halved at each recovery.
  double
  rateScale() const
  {
    return rateScale_;
  }
  /// Restores the rate scale and recovery count (from a checkpoint).
  void
  restore(double rateScale, int recoveries)
  {
    rateScale_ = rateScale;
    recoveries_ = recoveries;
  }

private:
  double             factor_;
  size_t             window_;
  int64_t            snapshotInterval_;
  int64_t            updatesSinceSnapshot_{ -1 }; // -1: no snapshot yet, one is due at once
  std::deque<double> losses_;
  int                recoveries_{ 0 };
  double             rateScale_{ 1.0 };
};

} // namespace revgan
