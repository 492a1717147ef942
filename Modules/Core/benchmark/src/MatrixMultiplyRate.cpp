// SPDX-License-Identifier: Apache-2.0
#include "revgan/MatrixMultiplyRate.h"

#include "revgan/DeviceSelection.h"
#include "revgan/UpperMedian.h"

#include <torch/torch.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace revgan
{

double
measureMatrixMultiplyRate(const c10::Device & device, int64_t n, int repetitions)
{
  if (n < 1 || repetitions < 1)
    throw std::invalid_argument("matrix size and repetitions must be positive");
  torch::NoGradGuard  noGrad;
  const auto          options = torch::TensorOptions().device(device).dtype(torch::kFloat);
  const torch::Tensor a = torch::randn({ n, n }, options);
  const torch::Tensor b = torch::randn({ n, n }, options);
  torch::Tensor       product = torch::empty({ n, n }, options);
  torch::mm_out(product, a, b);
  synchronizeDevice(device);
  std::vector<double> seconds;
  for (int i = 0; i < repetitions; ++i)
  {
    const auto start = std::chrono::steady_clock::now();
    torch::mm_out(product, a, b);
    synchronizeDevice(device);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  const double operations = 2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n);
  return operations / upperMedian(std::move(seconds)) / 1e9;
}

} // namespace revgan
