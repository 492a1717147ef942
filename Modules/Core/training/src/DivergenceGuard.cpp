// SPDX-License-Identifier: Apache-2.0
#include "revgan/DivergenceGuard.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace revgan
{

namespace
{
/// Losses needed before a finite loss can be judged against their median.
constexpr size_t kFewestLosses = 10;
} // namespace

DivergenceGuard::DivergenceGuard(double factor, int64_t window, int64_t snapshotInterval)
  : factor_(factor)
  , window_(static_cast<size_t>(std::max<int64_t>(kFewestLosses, window)))
  , snapshotInterval_(std::max<int64_t>(1, snapshotInterval))
{
}

double
DivergenceGuard::median() const
{
  if (losses_.empty())
    return 0.0;
  std::vector<double> sorted(losses_.begin(), losses_.end());
  const auto          middle = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2);
  std::nth_element(sorted.begin(), middle, sorted.end());
  return *middle;
}

bool
DivergenceGuard::isSpike(double loss) const
{
  if (!std::isfinite(loss))
    return true;
  return factor_ > 0.0 && losses_.size() >= kFewestLosses && loss > factor_ * median();
}

bool
DivergenceGuard::snapshotDue(double loss) const
{
  const bool ordinary = losses_.size() < kFewestLosses || loss <= 2.0 * median();
  return ordinary && (updatesSinceSnapshot_ < 0 || updatesSinceSnapshot_ >= snapshotInterval_);
}

void
DivergenceGuard::record(double loss)
{
  losses_.push_back(loss);
  if (losses_.size() > window_)
    losses_.pop_front();
  if (updatesSinceSnapshot_ >= 0)
    ++updatesSinceSnapshot_;
}

void
DivergenceGuard::markSnapshot()
{
  updatesSinceSnapshot_ = 0;
}

void
DivergenceGuard::recover(const std::string & what)
{
  if (recoveries_ >= kMostRecoveries)
    throw TrainingDivergedError(what + "; training stopped after " + std::to_string(recoveries_) +
                                " returns to earlier weights, each at half the learning rate, did not help");
  ++recoveries_;
  rateScale_ *= 0.5;
}

} // namespace revgan
