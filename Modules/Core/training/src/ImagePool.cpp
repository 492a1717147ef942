// SPDX-License-Identifier: Apache-2.0
#include "revgan/ImagePool.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace revgan
{

ImagePool::ImagePool(int64_t capacity)
  : capacity_(capacity)
{
  if (capacity < 0)
    throw std::invalid_argument("image pool capacity must not be negative, got " + std::to_string(capacity));
}

torch::Tensor
ImagePool::query(const torch::Tensor & samples)
{
  const torch::Tensor detached = samples.detach();
  if (capacity_ == 0)
    return detached;
  std::vector<torch::Tensor> chosen;
  for (int64_t i = 0; i < detached.size(0); ++i)
  {
    torch::Tensor sample = detached[i].clone();
    if (static_cast<int64_t>(images_.size()) < capacity_)
    {
      images_.push_back(sample);
      chosen.push_back(sample);
    }
    else if (torch::rand({ 1 }).item<double>() > 0.5)
    {
      const int64_t index = torch::randint(capacity_, { 1 }).item<int64_t>();
      chosen.push_back(images_[index]);
      images_[index] = sample;
    }
    else
    {
      chosen.push_back(sample);
    }
  }
  return torch::stack(chosen);
}

void
ImagePool::save(torch::serialize::OutputArchive & archive) const
{
  archive.write("capacity", c10::IValue(capacity_));
  archive.write("count", c10::IValue(static_cast<int64_t>(images_.size())));
  if (!images_.empty())
    archive.write("images", torch::stack(images_));
}

void
ImagePool::load(torch::serialize::InputArchive & archive)
{
  c10::IValue capacity, count;
  archive.read("capacity", capacity);
  archive.read("count", count);
  capacity_ = capacity.toInt();
  images_.clear();
  if (count.toInt() > 0)
  {
    torch::Tensor stacked;
    archive.read("images", stacked);
    for (int64_t i = 0; i < stacked.size(0); ++i)
      images_.push_back(stacked[i].clone());
  }
}

} // namespace revgan
