// SPDX-License-Identifier: Apache-2.0
// The pool of generated samples that the unpaired discriminators see.
#include "TemporaryFolder.h"

#include "revgan/ImagePool.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

namespace revgan
{
namespace
{

using test::temporaryPath;

TEST(ImagePool, FillsThenMixesHistoryAndRoundTrips)
{
  torch::manual_seed(1);
  ImagePool pool(3);
  for (int i = 0; i < 3; ++i)
  {
    const torch::Tensor sample = torch::full({ 1, 1, 2, 2 }, static_cast<double>(i));
    EXPECT_TRUE(torch::equal(pool.query(sample), sample)); // returned as is while filling
  }
  EXPECT_EQ(pool.size(), 3u);
  int fromHistory = 0;
  for (int i = 0; i < 200; ++i)
  {
    const torch::Tensor sample = torch::full({ 1, 1, 2, 2 }, 100.0 + i);
    fromHistory += torch::equal(pool.query(sample), sample) ? 0 : 1;
  }
  EXPECT_GT(fromHistory, 60); // about half
  EXPECT_LT(fromHistory, 140);

  const std::string               path = temporaryPath("pool.pt");
  torch::serialize::OutputArchive out;
  pool.save(out);
  out.save_to(path);
  torch::serialize::InputArchive in;
  in.load_from(path);
  ImagePool restored(0);
  restored.load(in);
  EXPECT_EQ(restored.capacity(), 3);
  EXPECT_EQ(restored.size(), 3u);
  std::filesystem::remove(path);
}

} // namespace
} // namespace revgan
