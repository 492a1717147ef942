// SPDX-License-Identifier: Apache-2.0
#include "revgan/TrainingData.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace revgan
{

namespace
{

void
checkImages(const std::vector<torch::Tensor> & images, const std::vector<int64_t> & cropSize, const char * domain)
{
  if (images.empty())
    throw std::invalid_argument(std::string("no training images for domain ") + domain);
  for (size_t i = 0; i < images.size(); ++i)
  {
    const auto & image = images[i];
    if (image.dim() != static_cast<int64_t>(cropSize.size()) + 1)
      throw std::invalid_argument(std::string("training image ") + std::to_string(i) + " of domain " + domain +
                                  " must have shape (C, spatial...) with " + std::to_string(cropSize.size()) +
                                  " spatial dimensions");
    for (size_t d = 0; d < cropSize.size(); ++d)
    {
      if (image.size(static_cast<int64_t>(d) + 1) < cropSize[d])
        throw std::invalid_argument(std::string("training image ") + std::to_string(i) + " of domain " + domain +
                                    " is smaller than the crop size along dimension " + std::to_string(d));
    }
  }
}

int64_t
randomBelow(int64_t bound)
{
  return bound <= 1 ? 0 : torch::randint(bound, { 1 }).item<int64_t>();
}

/// A random crop position for `image` (C, spatial...).
std::vector<int64_t>
randomCorner(const torch::Tensor & image, const std::vector<int64_t> & cropSize)
{
  std::vector<int64_t> corner;
  for (size_t d = 0; d < cropSize.size(); ++d)
    corner.push_back(randomBelow(image.size(static_cast<int64_t>(d) + 1) - cropSize[d] + 1));
  return corner;
}

torch::Tensor
crop(const torch::Tensor & image, const std::vector<int64_t> & corner, const std::vector<int64_t> & cropSize)
{
  torch::Tensor result = image;
  for (size_t d = 0; d < cropSize.size(); ++d)
    result = result.narrow(static_cast<int64_t>(d) + 1, corner[d], cropSize[d]);
  return result;
}

} // namespace

torch::Tensor
tensorFromBuffer(const ImageBuffer & buffer)
{
  int64_t count = 1;
  for (const int64_t extent : buffer.shape)
    count *= extent;
  if (buffer.shape.size() < 2 || count != static_cast<int64_t>(buffer.data.size()))
    throw std::invalid_argument("image buffer of " + std::to_string(buffer.data.size()) +
                                " values does not match its shape");
  return torch::tensor(buffer.data).reshape(buffer.shape);
}

CropSource::CropSource(std::vector<torch::Tensor> x,
                       std::vector<torch::Tensor> y,
                       std::vector<int64_t>       cropSize,
                       bool                       paired,
                       bool                       randomFlips,
                       int64_t                    samplesPerEpoch)
  : x_(std::move(x))
  , y_(std::move(y))
  , cropSize_(std::move(cropSize))
  , paired_(paired)
  , randomFlips_(randomFlips)
  , samplesPerEpoch_(samplesPerEpoch)
{
  if (cropSize_.size() != 2 && cropSize_.size() != 3)
    throw std::invalid_argument("crop size must have 2 or 3 entries, got " + std::to_string(cropSize_.size()));
  checkImages(x_, cropSize_, "X");
  checkImages(y_, cropSize_, "Y");
  if (paired_)
  {
    if (x_.size() != y_.size())
      throw std::invalid_argument("paired training needs as many X as Y images, got " + std::to_string(x_.size()) +
                                  " and " + std::to_string(y_.size()));
    for (size_t i = 0; i < x_.size(); ++i)
    {
      if (x_[i].sizes().slice(1) != y_[i].sizes().slice(1))
        throw std::invalid_argument("paired images " + std::to_string(i) + " differ in spatial size");
    }
  }
  if (samplesPerEpoch_ <= 0)
    samplesPerEpoch_ = static_cast<int64_t>(std::max(x_.size(), y_.size()));
}

void
CropSource::setMasks(std::vector<torch::Tensor> masksX, std::vector<torch::Tensor> masksY, double minimumMaskFraction)
{
  if (minimumMaskFraction < 0.0 || minimumMaskFraction > 1.0)
    throw std::invalid_argument("minimum mask fraction must lie in [0, 1], got " + std::to_string(minimumMaskFraction));
  auto check = [&](std::vector<torch::Tensor> & masks, const std::vector<torch::Tensor> & images, const char * domain)
  {
    if (masks.empty())
      return;
    if (masks.size() != images.size())
      throw std::invalid_argument(std::string("domain ") + domain + " has " + std::to_string(images.size()) +
                                  " images but " + std::to_string(masks.size()) + " masks");
    for (size_t i = 0; i < masks.size(); ++i)
    {
      torch::Tensor mask = masks[i].dim() == images[i].dim() ? masks[i] : masks[i].unsqueeze(0);
      if (mask.sizes().slice(1) != images[i].sizes().slice(1))
        throw std::invalid_argument(std::string("mask ") + std::to_string(i) + " of domain " + domain +
                                    " differs in size from its image");
      masks[i] = (mask.narrow(0, 0, 1) != 0).to(torch::kFloat);
    }
  };
  check(masksX, x_, "X");
  check(masksY, y_, "Y");
  masksX_ = std::move(masksX);
  masksY_ = std::move(masksY);
  minimumMaskFraction_ = minimumMaskFraction;
}

std::vector<int64_t>
CropSource::drawCorner(const std::vector<torch::Tensor> & images,
                       const std::vector<torch::Tensor> & masks,
                       int64_t                            index,
                       const char *                       domain) const
{
  const torch::Tensor & image = images[static_cast<size_t>(index)];
  if (masks.empty() || minimumMaskFraction_ <= 0.0)
    return randomCorner(image, cropSize_);
  for (int attempt = 0; attempt < 10000; ++attempt)
  {
    auto corner = randomCorner(image, cropSize_);
    if (crop(masks[static_cast<size_t>(index)], corner, cropSize_).mean().item<double>() >= minimumMaskFraction_)
      return corner;
  }
  throw std::runtime_error(std::string("no crop of image ") + std::to_string(index) + " of domain " + domain +
                           " has the minimum mask fraction " + std::to_string(minimumMaskFraction_) +
                           " (10,000 tries)");
}

namespace
{

/// A symmetry of a crop's grid: new image axis a is old axis `sourceAxis[a]`, reversed when
/// `flipped[a]` (image axes 0 = x, 1 = y, 2 = z).
struct GridSymmetry
{
  std::vector<int64_t> sourceAxis;
  std::vector<bool>    flipped;
};

/// The grid as it is: every axis its own, none reversed.
GridSymmetry
identitySymmetry(size_t axes)
{
  GridSymmetry symmetry;
  for (size_t axis = 0; axis < axes; ++axis)
    symmetry.sourceAxis.push_back(static_cast<int64_t>(axis));
  symmetry.flipped.assign(axes, false);
  return symmetry;
}

/// The channel of tensor component (a, b) of the six (xx, xy, xz, yy, yz, zz).
int64_t
componentChannel(int64_t a, int64_t b)
{
  static const int64_t channels[3][3]{ { 0, 1, 2 }, { 1, 3, 4 }, { 2, 4, 5 } };
  return channels[a][b];
}

/// `crop` (C, spatial...) on the grid `symmetry` makes; a tensor crop (6, z, y, x) has each tensor
/// turned too: D'(a, b) = s(a) s(b) D(π(a), π(b)), s the flips' signs and π the source axes.
torch::Tensor
applySymmetry(const torch::Tensor & crop, const GridSymmetry & symmetry, bool tensors)
{
  const int64_t        axes = crop.dim() - 1;
  auto                 dimensionOf = [axes](int64_t axis) { return 1 + (axes - 1 - axis); }; // x is the last
  std::vector<int64_t> order(static_cast<size_t>(crop.dim()), 0);
  std::vector<int64_t> flips;
  for (int64_t axis = 0; axis < axes; ++axis)
  {
    order[static_cast<size_t>(dimensionOf(axis))] = dimensionOf(symmetry.sourceAxis[static_cast<size_t>(axis)]);
    if (symmetry.flipped[static_cast<size_t>(axis)])
      flips.push_back(dimensionOf(axis));
  }
  torch::Tensor result = crop.permute(order);
  if (!flips.empty())
    result = result.flip(flips);
  if (!tensors)
    return result;
  std::vector<torch::Tensor> components;
  for (int64_t a = 0; a < 3; ++a)
    for (int64_t b = a; b < 3; ++b)
    {
      const bool          sign = symmetry.flipped[static_cast<size_t>(a)] != symmetry.flipped[static_cast<size_t>(b)];
      const torch::Tensor component = result[componentChannel(symmetry.sourceAxis[static_cast<size_t>(a)],
                                                              symmetry.sourceAxis[static_cast<size_t>(b)])];
      components.push_back(sign ? -component : component);
    }
  return torch::stack(components);
}

void
requireTensorImages(const std::vector<torch::Tensor> & images, const char * domain)
{
  for (size_t i = 0; i < images.size(); ++i)
  {
    if (images[i].dim() != 4 || images[i].size(0) != 6)
      throw std::invalid_argument(std::string("training image ") + std::to_string(i) + " of domain " + domain +
                                  " is declared to hold tensors but is not a volume of 6 channels (xx, xy, xz, yy, yz, "
                                  "zz)");
  }
}

} // namespace

void
CropSource::setTensorDomains(bool xHoldsTensors, bool yHoldsTensors)
{
  if (xHoldsTensors)
    requireTensorImages(x_, "X");
  if (yHoldsTensors)
    requireTensorImages(y_, "Y");
  tensorsX_ = xHoldsTensors;
  tensorsY_ = yHoldsTensors;
}

void
CropSource::setRandomSymmetries(const std::vector<std::vector<int64_t>> & exchangeableAxes)
{
  const int64_t     axes = static_cast<int64_t>(cropSize_.size());
  std::vector<bool> grouped(cropSize_.size(), false);
  for (const std::vector<int64_t> & group : exchangeableAxes)
    for (const int64_t axis : group)
    {
      if (axis < 0 || axis >= axes)
        throw std::invalid_argument("random symmetries: axis " + std::to_string(axis) + " of a " +
                                    std::to_string(axes) + "D crop does not exist");
      if (grouped[static_cast<size_t>(axis)])
        throw std::invalid_argument("random symmetries: axis " + std::to_string(axis) + " is in two groups");
      grouped[static_cast<size_t>(axis)] = true;
      // cropSize_ is in tensor order (z, y, x for volumes): image axis a is entry axes − 1 − a.
      if (cropSize_[static_cast<size_t>(axes - 1 - axis)] != cropSize_[static_cast<size_t>(axes - 1 - group.front())])
        throw std::invalid_argument("random symmetries: axes " + std::to_string(group.front()) + " and " +
                                    std::to_string(axis) + " cannot be exchanged: the crop extents differ");
    }
  exchangeableAxes_ = exchangeableAxes;
  randomSymmetries_ = true;
}

TrainingBatch
CropSource::nextBatch(int64_t batchSize)
{
  auto drawSymmetry = [this]()
  {
    GridSymmetry symmetry = identitySymmetry(cropSize_.size());
    for (const std::vector<int64_t> & group : exchangeableAxes_)
    {
      std::vector<int64_t> shuffled = group;
      for (size_t i = shuffled.size(); i > 1; --i) // Fisher–Yates
        std::swap(shuffled[i - 1], shuffled[static_cast<size_t>(randomBelow(static_cast<int64_t>(i)))]);
      for (size_t i = 0; i < group.size(); ++i)
        symmetry.sourceAxis[static_cast<size_t>(group[i])] = shuffled[i];
    }
    for (size_t axis = 0; axis < cropSize_.size(); ++axis)
      symmetry.flipped[axis] = randomBelow(2) == 1;
    return symmetry;
  };
  // --flips: the left-right flip alone (a tensor's xy and xz change sign with the grid).
  GridSymmetry leftRight = identitySymmetry(cropSize_.size());
  leftRight.flipped[0] = true;
  std::vector<torch::Tensor> xs, ys;
  for (int64_t b = 0; b < batchSize; ++b)
  {
    const int64_t xi = randomBelow(static_cast<int64_t>(x_.size()));
    const int64_t yi = paired_ ? xi : randomBelow(static_cast<int64_t>(y_.size()));
    const auto    xCorner = drawCorner(x_, masksX_, xi, "X");
    const auto    yCorner = paired_ ? xCorner : drawCorner(y_, masksY_, yi, "Y");
    torch::Tensor xCrop = crop(x_[xi], xCorner, cropSize_);
    torch::Tensor yCrop = crop(y_[yi], yCorner, cropSize_);
    if (randomSymmetries_)
    {
      const GridSymmetry symmetry = drawSymmetry();
      xCrop = applySymmetry(xCrop, symmetry, tensorsX_);
      yCrop = applySymmetry(yCrop, paired_ ? symmetry : drawSymmetry(), tensorsY_);
    }
    else if (randomFlips_)
    {
      // Flip along the last axis (left-right), the same way for both images of a pair.
      const bool flipX = randomBelow(2) == 1;
      const bool flipY = paired_ ? flipX : randomBelow(2) == 1;
      if (flipX)
        xCrop = applySymmetry(xCrop, leftRight, tensorsX_);
      if (flipY)
        yCrop = applySymmetry(yCrop, leftRight, tensorsY_);
    }
    xs.push_back(xCrop);
    ys.push_back(yCrop);
  }
  return { torch::stack(xs), torch::stack(ys) };
}

namespace
{

/// SplitMix64's finaliser: neighbouring inputs give unrelated seeds.
uint64_t
mixBits(uint64_t value)
{
  value += 0x9E3779B97F4A7C15ULL;
  value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
  value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
  return value ^ (value >> 31);
}

} // namespace

TrainingBatch
drawSamples(TrainingSource & source, const SampleShare & share)
{
  if (share.count < 1)
    throw std::invalid_argument("a share of samples must hold at least one sample");
  std::vector<torch::Tensor> xs, ys;
  for (int64_t j = share.first; j < share.first + share.count; ++j)
  {
    uint64_t seed = mixBits(share.seed);
    for (const int64_t part : { share.epoch, share.iteration, j })
      seed = mixBits(seed ^ static_cast<uint64_t>(part));
    torch::manual_seed(seed);
    TrainingBatch one = source.nextBatch(1);
    xs.push_back(one.x);
    ys.push_back(one.y);
  }
  return { torch::cat(xs), torch::cat(ys) };
}

} // namespace revgan
