// SPDX-License-Identifier: Apache-2.0
#include "revgan/ValidationSet.h"

#include <torch/nn/functional/padding.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace revgan
{

namespace
{

/// Voxels of one slab: a few hundred MiB of activations for a network of width 32.
constexpr int64_t kSlabVoxels = int64_t{ 1 } << 21;
/// Context on each side of a slab, beyond the receptive field of the toolkit's 3D generators'
/// first layers; what the margin cannot hold differs from whole-image inference only slightly.
constexpr int64_t kSlabMargin = 8;

int64_t
roundUp(int64_t value, int64_t multiple)
{
  return (value + multiple - 1) / multiple * multiple;
}

/// (spatial...) or (1, spatial...) as (spatial...) booleans.
torch::Tensor
maskOf(const torch::Tensor & mask, int64_t spatialDimensions)
{
  torch::Tensor m = mask.dim() == spatialDimensions + 1 ? mask.squeeze(0) : mask;
  return m != 0;
}

} // namespace

ValidationSet::ValidationSet(std::vector<torch::Tensor> x,
                             std::vector<torch::Tensor> y,
                             std::vector<torch::Tensor> masks)
  : x_(std::move(x))
  , y_(std::move(y))
  , masks_(std::move(masks))
{
  if (x_.size() != y_.size())
    throw std::invalid_argument("validation needs as many Y images as X images: " + std::to_string(x_.size()) + " X, " +
                                std::to_string(y_.size()) + " Y");
  if (!masks_.empty() && masks_.size() != x_.size())
    throw std::invalid_argument("validation needs one mask per image: " + std::to_string(masks_.size()) +
                                " masks for " + std::to_string(x_.size()) + " images");
  for (size_t i = 0; i < x_.size(); ++i)
  {
    const std::string which = "validation image " + std::to_string(i + 1);
    if (x_[i].dim() < 3 || x_[i].sizes().slice(1) != y_[i].sizes().slice(1))
      throw std::invalid_argument(which + ": X and Y differ in size (or are not (C, spatial...) images)");
    if (!masks_.empty() && maskOf(masks_[i], x_[i].dim() - 1).sizes() != x_[i].sizes().slice(1))
      throw std::invalid_argument(which + ": its mask differs in size from the image");
  }
  if (!x_.empty() && scoredVoxels() == 0)
    throw std::invalid_argument("the validation masks hold no voxel to score");
}

int64_t
ValidationSet::scoredVoxels() const
{
  int64_t voxels = 0;
  for (size_t i = 0; i < x_.size(); ++i)
    voxels += masks_.empty() ? x_[i][0].numel() : maskOf(masks_[i], x_[i].dim() - 1).sum().item<int64_t>();
  return voxels;
}

torch::Tensor
ValidationSet::translate(TranslationGenerator & generator,
                         const torch::Tensor &  x,
                         torch::Device          device,
                         torch::ScalarType      dtype) const
{
  namespace F = torch::nn::functional;
  const int64_t multiple = std::max<int64_t>(1, generator.spec().sizeMultiple());
  const int64_t slices = x.size(1);
  const int64_t sliceVoxels = x[0][0].numel();
  const int64_t margin = roundUp(kSlabMargin, multiple);
  const int64_t thickness = std::max(multiple, kSlabVoxels / std::max<int64_t>(1, sliceVoxels) / multiple * multiple);
  std::vector<torch::Tensor> parts;
  for (int64_t start = 0; start < slices; start += thickness)
  {
    const int64_t       end = std::min(slices, start + thickness);
    const int64_t       low = std::max<int64_t>(0, start - margin);
    const int64_t       high = std::min(slices, end + margin);
    const torch::Tensor slab = x.narrow(1, low, high - low).unsqueeze(0).to(device, dtype);
    // Replicated to the generator's size multiple at the far end of every axis, cut off after.
    std::vector<int64_t> padding;
    for (int64_t d = slab.dim() - 1; d >= 2; --d)
      padding.insert(padding.end(), { 0, roundUp(slab.size(d), multiple) - slab.size(d) });
    torch::Tensor output = generator.forward(F::pad(slab, F::PadFuncOptions(padding).mode(torch::kReplicate)));
    for (int64_t d = 2; d < slab.dim(); ++d)
      output = output.narrow(d, 0, slab.size(d));
    parts.push_back(output.squeeze(0).narrow(1, start - low, end - start).to(torch::kCPU, torch::kFloat));
  }
  return torch::cat(parts, 1);
}

double
ValidationSet::rmse(TranslationGenerator &         generator,
                    const IntensityNormalization & normalization,
                    torch::Device                  device,
                    torch::ScalarType              dtype) const
{
  if (x_.empty())
    throw std::logic_error("ValidationSet::rmse called on an empty set");
  torch::NoGradGuard noGradients;
  const bool         training = generator.is_training();
  generator.eval();
  double  squaredSum = 0.0;
  int64_t terms = 0;
  for (size_t i = 0; i < x_.size(); ++i)
  {
    const torch::Tensor prediction =
      normalization.denormalize(translate(generator, x_[i], device, dtype).unsqueeze(0), true).squeeze(0);
    const torch::Tensor target = normalization.denormalize(y_[i].to(torch::kFloat).unsqueeze(0), true).squeeze(0);
    torch::Tensor       squared = (prediction.to(torch::kDouble) - target.to(torch::kDouble)).pow(2);
    if (!masks_.empty())
    {
      const torch::Tensor scored = maskOf(masks_[i], x_[i].dim() - 1);
      squared = squared.masked_select(scored.unsqueeze(0).expand_as(squared));
    }
    squaredSum += squared.sum().item<double>();
    terms += squared.numel();
  }
  generator.train(training);
  return std::sqrt(squaredSum / static_cast<double>(std::max<int64_t>(1, terms)));
}

SliceSplit
splitLastSlices(const std::vector<torch::Tensor> & images, double fraction)
{
  if (!(fraction > 0.0 && fraction < 1.0))
    throw std::invalid_argument("the held-out fraction must lie in (0, 1), got " + std::to_string(fraction));
  SliceSplit split;
  for (const auto & image : images)
  {
    const int64_t slices = image.size(1);
    if (slices < 2)
      throw std::invalid_argument("an image of " + std::to_string(slices) +
                                  " slice(s) along its last axis cannot give slices to hold out");
    const int64_t heldOut =
      std::clamp<int64_t>(static_cast<int64_t>(std::llround(fraction * static_cast<double>(slices))), 1, slices - 1);
    split.kept.push_back(image.narrow(1, 0, slices - heldOut));
    split.heldOut.push_back(image.narrow(1, slices - heldOut, heldOut));
  }
  return split;
}

} // namespace revgan
