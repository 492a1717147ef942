// SPDX-License-Identifier: Apache-2.0
#include "revgan/TensorLogarithm.h"

#include <torch/torch.h>

#include <functional>
#include <stdexcept>
#include <string>

namespace revgan
{

namespace
{

/// Tensors diagonalised per call: 2^20 tensors take about 200 MiB in double precision.
constexpr int64_t kChunk = int64_t{ 1 } << 20;

/// V diag(f(λ)) Vᵀ for every tensor of `tensors`.
torch::Tensor
mapEigenvalues(const torch::Tensor & tensors, const std::function<torch::Tensor(const torch::Tensor &)> & f)
{
  if ((tensors.dim() != 4 && tensors.dim() != 5) || tensors.size(tensors.dim() - 4) != 6)
    throw std::invalid_argument("diffusion tensors must be shaped (6, z, y, x) or (N, 6, z, y, x), not " +
                                c10::str(tensors.sizes()));
  const torch::NoGradGuard   noGrad;
  const int64_t              channelAxis = tensors.dim() - 4;
  const torch::Tensor        components = tensors.movedim(channelAxis, -1).to(torch::kDouble).contiguous();
  const torch::Tensor        flat = components.view({ -1, 6 });
  std::vector<torch::Tensor> mapped;
  for (int64_t start = 0; start < flat.size(0); start += kChunk)
  {
    const torch::Tensor c = flat.narrow(0, start, std::min(kChunk, flat.size(0) - start));
    const torch::Tensor xx = c.select(1, 0), xy = c.select(1, 1), xz = c.select(1, 2), yy = c.select(1, 3),
                        yz = c.select(1, 4), zz = c.select(1, 5);
    const torch::Tensor matrices = torch::stack({ xx, xy, xz, xy, yy, yz, xz, yz, zz }, 1).view({ -1, 3, 3 });
    const auto [values, vectors] = torch::linalg_eigh(matrices);
    // The columns of `vectors` are the eigenvectors: V diag(f) scales column j by f_j.
    const torch::Tensor m = torch::matmul(vectors * f(values).unsqueeze(1), vectors.transpose(1, 2)).view({ -1, 9 });
    mapped.push_back(m.index_select(1, torch::tensor({ 0, 1, 2, 4, 5, 8 }, torch::kLong)));
  }
  return torch::cat(mapped).view(components.sizes()).movedim(-1, channelAxis).to(tensors.scalar_type()).contiguous();
}

} // namespace

torch::Tensor
tensorLogarithm(const torch::Tensor & tensors, double floor)
{
  if (!(floor > 0.0))
    throw std::invalid_argument("the eigenvalue floor of the tensor logarithm must be positive, not " +
                                std::to_string(floor));
  return mapEigenvalues(tensors, [floor](const torch::Tensor & values) { return values.clamp_min(floor).log(); });
}

torch::Tensor
tensorExponential(const torch::Tensor & tensors)
{
  return mapEigenvalues(tensors, [](const torch::Tensor & values) { return values.exp(); });
}

} // namespace revgan
