// SPDX-License-Identifier: Apache-2.0
#include "revgan/IntensityNormalization.h"

#include "revgan/TensorLogarithm.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace revgan
{

namespace
{

/// The per-channel values as a tensor that broadcasts against a batch of images (N, C, H, W) or
/// volumes (N, C, D, H, W). Only a batch says where its channels are: an unbatched (C, D, H, W)
/// volume has the shape of a batch of images.
torch::Tensor
channelTensor(const std::vector<double> & values, const torch::Tensor & data)
{
  if (data.dim() != 4 && data.dim() != 5)
    throw std::invalid_argument(
      "intensity normalization needs a batch (N, C, H, W) or (N, C, D, H, W), not a tensor of shape " +
      c10::str(data.sizes()));
  constexpr int64_t channelAxis = 1;
  const int64_t     channels = data.size(channelAxis);
  if (values.size() != 1 && static_cast<int64_t>(values.size()) != channels)
    throw std::invalid_argument("intensity normalization has " + std::to_string(values.size()) +
                                " values but the data has " + std::to_string(channels) + " channels");
  std::vector<int64_t> shape(static_cast<size_t>(data.dim()), 1);
  shape[static_cast<size_t>(channelAxis)] = static_cast<int64_t>(values.size());
  return torch::tensor(values, data.options().dtype(torch::kDouble)).to(data.scalar_type()).reshape(shape);
}

} // namespace

torch::Tensor
IntensityNormalization::normalize(const torch::Tensor & data, bool domainY) const
{
  return mapIntensities(mapTensors(data, domainY), domainY);
}

torch::Tensor
IntensityNormalization::mapTensors(const torch::Tensor & data, bool domainY) const
{
  if (!(domainY ? logTensorsY : logTensorsX))
    return data;
  return tensorLogarithm(data, domainY ? tensorFloorY : tensorFloorX);
}

torch::Tensor
IntensityNormalization::mapIntensities(const torch::Tensor & data, bool domainY) const
{
  const auto & offset = domainY ? offsetY : offsetX;
  const auto & scale = domainY ? scaleY : scaleX;
  if (offset.empty())
    return data;
  return (data - channelTensor(offset, data)) / channelTensor(scale, data);
}

torch::Tensor
IntensityNormalization::denormalize(const torch::Tensor & data, bool domainY) const
{
  const auto &        offset = domainY ? offsetY : offsetX;
  const auto &        scale = domainY ? scaleY : scaleX;
  const torch::Tensor values = offset.empty() ? data : data * channelTensor(scale, data) + channelTensor(offset, data);
  return (domainY ? logTensorsY : logTensorsX) ? tensorExponential(values) : values;
}

bool
IntensityNormalization::operator==(const IntensityNormalization & other) const
{
  return offsetX == other.offsetX && scaleX == other.scaleX && offsetY == other.offsetY && scaleY == other.scaleY &&
         logTensorsX == other.logTensorsX && logTensorsY == other.logTensorsY && tensorFloorX == other.tensorFloorX &&
         tensorFloorY == other.tensorFloorY;
}

} // namespace revgan
