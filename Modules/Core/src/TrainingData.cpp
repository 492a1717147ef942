#include "revgan/TrainingData.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

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

TrainingBatch
CropSource::nextBatch(int64_t batchSize)
{
  std::vector<torch::Tensor> xs, ys;
  for (int64_t b = 0; b < batchSize; ++b)
  {
    const int64_t xi = randomBelow(static_cast<int64_t>(x_.size()));
    const int64_t yi = paired_ ? xi : randomBelow(static_cast<int64_t>(y_.size()));
    const auto    xCorner = randomCorner(x_[xi], cropSize_);
    const auto    yCorner = paired_ ? xCorner : randomCorner(y_[yi], cropSize_);
    torch::Tensor xCrop = crop(x_[xi], xCorner, cropSize_);
    torch::Tensor yCrop = crop(y_[yi], yCorner, cropSize_);
    if (randomFlips_)
    {
      // Flip along the last axis (left-right), the same way for both images of a pair.
      const bool flipX = randomBelow(2) == 1;
      const bool flipY = paired_ ? flipX : randomBelow(2) == 1;
      if (flipX)
        xCrop = xCrop.flip({ -1 });
      if (flipY)
        yCrop = yCrop.flip({ -1 });
    }
    xs.push_back(xCrop);
    ys.push_back(yCrop);
  }
  return { torch::stack(xs), torch::stack(ys) };
}

} // namespace revgan
