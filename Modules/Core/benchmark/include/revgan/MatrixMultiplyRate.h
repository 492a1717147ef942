// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <c10/core/Device.h>

#include <cstdint>

namespace revgan
{

/// The machine's single-precision matrix-multiply rate in GFLOP/s: the median of `repetitions`
/// products of two random n × n float matrices on `device` (2·n³ operations each), after one
/// warm-up. With LibTorch's thread setting as it is; the reference against which the benchmarks
/// report their convolution throughput.
double
measureMatrixMultiplyRate(const c10::Device & device, int64_t n = 2048, int repetitions = 5);

} // namespace revgan
