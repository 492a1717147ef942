// SPDX-License-Identifier: Apache-2.0
// ImageBuffer, the images' way into LibTorch (tensorFromBuffer): a tensor of its shape, or a clear error.
#include "revgan/ImageBuffer.h"
#include "revgan/TrainingData.h" // tensorFromBuffer

#include <gtest/gtest.h>
#include <stdexcept>
#include <torch/torch.h>

namespace revgan
{
namespace
{

TEST(ImageBuffer, BecomesATensorOfItsShape)
{
  ImageBuffer buffer;
  buffer.shape = { 2, 2, 3 };
  buffer.data = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
  const torch::Tensor tensor = tensorFromBuffer(buffer);
  EXPECT_EQ(tensor.sizes(), torch::IntArrayRef({ 2, 2, 3 }));
  EXPECT_EQ(tensor[1][0][2].item<float>(), 8.0f);
  EXPECT_EQ(buffer.pixels(), 6);
  buffer.data.pop_back();
  EXPECT_THROW(tensorFromBuffer(buffer), std::invalid_argument);
}

} // namespace
} // namespace revgan
