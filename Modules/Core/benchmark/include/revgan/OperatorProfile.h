// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace revgan
{

/// \brief Where the time of LibTorch's operators goes while it exists: self time per category of
/// operator (convolutions by kernel, channels and pass; normalization; padding; element-wise; tensor
/// creation; reductions; data movement; autograd nodes), and how much of it ran inside the toolkit's
/// recomputations.
///
/// It observes every operator call (at::RecordFunction: operators, autograd nodes and the
/// toolkit's user scopes) on every thread. An operator's *self time* is its time minus that of the
/// operators it called; the self time of an operator called by a categorised one (aten::convolution
/// calling aten::mkldnn_convolution) counts for the caller's category, so the entries add up to the
/// time spent inside operators. Time inside the user scope "revgan::recomputation" (the forward
/// passes that backward repeats: see Recomputation.h and AdditiveCoupling) is also reported apart.
/// Observing costs time per call; compare the profiled step with an unobserved one. Only one
/// profile may exist at a time.
class OperatorProfile
{
public:
  OperatorProfile();
  ~OperatorProfile();
  OperatorProfile(const OperatorProfile &) = delete;
  OperatorProfile &
  operator=(const OperatorProfile &) = delete;

  /// The time of one category (and, for convolutions, one kernel and pass).
  struct Entry
  {
    /// "convolution", "normalization", "padding", "element-wise", "tensor creation",
    /// "copies and concatenation", "views", "reductions and losses", "autograd node" or "other operators".
    std::string category;
    /// For convolutions e.g. "3x3x3 16->16 forward"; otherwise the most expensive operator names.
    std::string detail;
    /// Self time in seconds, summed over all threads and calls.
    double seconds{ 0.0 };
    /// Of `seconds`, those inside the toolkit's recomputations.
    double recomputationSeconds{ 0.0 };
    /// Number of calls; an operator called by a categorised one adds its time here but not a call.
    int64_t calls{ 0 };
  };

  /// The entries since construction or the last reset(), most expensive first.
  std::vector<Entry>
  entries() const;
  /// Self time of all operators since construction or the last reset().
  double
  operatorSeconds() const;
  /// Discards all entries counted so far.
  void
  reset();

private:
  uint64_t callback_{ 0 };
};

} // namespace revgan
