// SPDX-License-Identifier: Apache-2.0
// Training on the real T1/PD brain slice pair (Data/: BrainT1Slice.png, BrainProtonDensitySlice.png).
#include "GradientComparison.h"
#include "itkRevGANImageBuffer.h"
#include "revgan/ThreadConfiguration.h"
#include "revgan/Trainer.h"

#include <gtest/gtest.h>
#include <itkImage.h>
#include <itkImageFileReader.h>

#include <chrono>
#include <cstdlib>
#include <numeric>
#include <string>

namespace revgan
{
namespace
{

/// The slice as a (1, H, W) float tensor scaled from [0, 255] to [−1, 1].
torch::Tensor
readSlice(const std::string & name)
{
  const char * folder = std::getenv("REVGAN_DATA_DIR");
  if (folder == nullptr)
    throw std::runtime_error("REVGAN_DATA_DIR is not set; run the tests through ctest");
  using ImageType = itk::Image<unsigned char, 2>;
  const auto image = itk::ReadImage<ImageType>(std::string(folder) + "/" + name);
  const auto size = image->GetLargestPossibleRegion().GetSize();
  // ITK's buffer is x fastest, i.e. row-major (H, W).
  const torch::Tensor pixels = torch::from_blob(
    image->GetBufferPointer(), { 1, static_cast<int64_t>(size[1]), static_cast<int64_t>(size[0]) }, torch::kUInt8);
  return pixels.to(torch::kFloat) / 127.5 - 1.0;
}

class BrainSlices : public ::testing::Test
{
protected:
  static void
  SetUpTestSuite()
  {
    // One thread: ctest runs these long tests side by side.
    configureThreads(1);
  }

  void
  SetUp() override
  {
    const torch::Tensor t1 = readSlice("BrainT1Slice.png");
    const torch::Tensor pd = readSlice("BrainProtonDensitySlice.png");
    ASSERT_EQ(t1.sizes(), pd.sizes());
    // Train on the upper 60 % of the slice; hold out the rest (sizes cut to multiples of 4).
    const int64_t height = t1.size(1);
    const int64_t width = t1.size(2) / 4 * 4;
    const int64_t split = height * 6 / 10;
    const int64_t heldOutRows = (height - split) / 4 * 4;
    trainT1_ = t1.narrow(1, 0, split).narrow(2, 0, width);
    trainPD_ = pd.narrow(1, 0, split).narrow(2, 0, width);
    heldOutT1_ = t1.narrow(1, split, heldOutRows).narrow(2, 0, width).unsqueeze(0);
    heldOutPD_ = pd.narrow(1, split, heldOutRows).narrow(2, 0, width).unsqueeze(0);
  }

  static GeneratorSpec
  smallRevGAN()
  {
    GeneratorSpec spec;
    spec.kind = GeneratorKind::RevGAN;
    spec.channelsX = 1;
    spec.channelsY = 1;
    spec.width = 8;
    spec.depth = 4;
    return spec;
  }

  /// Held-out mean absolute errors (T1→PD, PD→T1) of the trainer's generator.
  std::pair<double, double>
  heldOutErrors(Trainer & trainer) const
  {
    torch::NoGradGuard noGrad;
    auto               generator = trainer.generator();
    generator->eval();
    const double forward = (generator->forward(heldOutT1_) - heldOutPD_).abs().mean().item<double>();
    const double inverse = (generator->inverse(heldOutPD_) - heldOutT1_).abs().mean().item<double>();
    generator->train();
    return { forward, inverse };
  }

  torch::Tensor trainT1_, trainPD_, heldOutT1_, heldOutPD_;
};

TEST_F(BrainSlices, PairedRevGANLearnsT1ToPDAndBack)
{
  TrainerOptions options = TrainerOptions::forObjective(Objective::Paired);
  options.epochs = 1;
  options.decayEpochs = 0;
  options.discriminatorWidth = 16;
  options.batchSize = 4;
  options.seed = 1;
  CropSource source({ trainT1_ }, { trainPD_ }, { 64, 64 }, /*paired=*/true, /*randomFlips=*/true, 1200);
  Trainer    trainer(smallRevGAN(), options);

  const auto before = heldOutErrors(trainer);
  const auto start = std::chrono::steady_clock::now();
  trainer.train(source);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto   after = heldOutErrors(trainer);
  std::cout << "held-out L1 T1->PD " << before.first << " -> " << after.first << ", PD->T1 " << before.second << " -> "
            << after.second << " (300 iterations of 4 crops, " << seconds << " s)\n";
  EXPECT_LT(after.first, 0.5 * before.first);
  EXPECT_LT(after.second, 0.5 * before.second);
}

TEST_F(BrainSlices, UnpairedRevGANCycleLossFalls)
{
  TrainerOptions options = TrainerOptions::forObjective(Objective::Unpaired);
  options.epochs = 1;
  options.decayEpochs = 0;
  options.discriminatorWidth = 16;
  options.seed = 2;
  CropSource          source({ trainT1_ }, { trainPD_ }, { 64, 64 }, /*paired=*/false, /*randomFlips=*/true, 200);
  Trainer             trainer(smallRevGAN(), options);
  std::vector<double> cycle;
  trainer.train(source,
                -1,
                [&](const TrainingProgress & progress)
                {
                  double total = 0.0;
                  for (const auto & [name, value] : progress.losses)
                    total += name.rfind("cycle_", 0) == 0 ? value : 0.0;
                  cycle.push_back(total);
                });
  ASSERT_EQ(cycle.size(), 200u);
  const double first = std::accumulate(cycle.begin(), cycle.begin() + 20, 0.0) / 20.0;
  const double last = std::accumulate(cycle.end() - 20, cycle.end(), 0.0) / 20.0;
  std::cout << "cycle loss (mean of 20 iterations): first " << first << ", last " << last << '\n';
  // last / first over seeds 0-3 (2026-12-02): 0.51-0.60 with the per-sample seeded crops, 0.48-0.55
  // with the single random stream they replaced; an untrained generator stays near 1.
  EXPECT_LT(last, 0.7 * first);
}

// A few steps on the real crops give the same model with either gradient mode. In double precision:
// in float, Adam (which divides by the root of tiny second moments) turns the rounding differences
// of near-zero gradients — many here, where crops hold flat background — into visible weight
// differences within a few steps. The biases of convolutions followed by instance normalization
// have a gradient that is exactly zero up to rounding and do not change the output: left out.
TEST_F(BrainSlices, NaiveAndReversibleTrainingAgree)
{
  auto trainedWith = [&](GradientMode mode)
  {
    TrainerOptions options = TrainerOptions::forObjective(Objective::Unpaired);
    options.epochs = 1;
    options.decayEpochs = 0;
    options.discriminatorWidth = 8;
    options.gradientMode = mode;
    options.precision = torch::kDouble;
    CropSource source({ trainT1_ }, { trainPD_ }, { 48, 48 }, /*paired=*/false, /*randomFlips=*/false, 5);
    Trainer    trainer(smallRevGAN(), options);
    trainer.train(source);
    return trainer.generator();
  };
  const auto          naive = trainedWith(GradientMode::Naive);
  const auto          reversible = trainedWith(GradientMode::Reversible);
  const double        weightDifference = test::maxParameterDifference(*reversible, *naive, "weight");
  torch::NoGradGuard  noGrad;
  const torch::Tensor t1 = heldOutT1_.to(torch::kDouble);
  const torch::Tensor pd = heldOutPD_.to(torch::kDouble);
  const double        forwardDifference = (naive->forward(t1) - reversible->forward(t1)).abs().max().item<double>();
  const double        inverseDifference = (naive->inverse(pd) - reversible->inverse(pd)).abs().max().item<double>();
  std::cout << "naive vs reversible after 5 steps: weights " << weightDifference << ", outputs " << forwardDifference
            << " / " << inverseDifference << '\n';
  EXPECT_LE(weightDifference, 1e-9);
  EXPECT_LE(forwardDifference, 1e-8);
  EXPECT_LE(inverseDifference, 1e-8);
}

// Training patches from the real brain volume: 24³ patches with at least 1 % brain (the paper's
// sampling), drawn through ITK → ImageBuffer → CropSource, repeatable from a seed.
TEST(BrainVolume, MaskedPatchSamplingKeepsEnoughBrain)
{
  const char * folder = std::getenv("REVGAN_DATA_DIR");
  ASSERT_NE(folder, nullptr);
  using VolumeType = itk::Image<float, 3>;
  const auto          volume = itk::ReadImage<VolumeType>(std::string(folder) + "/KmeansTest_T1UCharRaw.nii.gz");
  const auto          mask = itk::ReadImage<VolumeType>(std::string(folder) + "/KmeansTest_T1RawSkullStrip.nii.gz");
  const torch::Tensor image = tensorFromBuffer(itk::ImageToRevGANBuffer(volume.GetPointer()));
  const torch::Tensor brain = tensorFromBuffer(itk::ImageToRevGANBuffer(mask.GetPointer()));
  EXPECT_EQ(image.sizes(), torch::IntArrayRef({ 1, 62, 128, 128 }));

  auto draw = [&](uint64_t seed)
  {
    torch::manual_seed(seed);
    CropSource source({ image }, { image }, { 24, 24, 24 }, /*paired=*/true, /*randomFlips=*/true);
    source.setMasks({ brain }, {}, 0.01);
    return source.nextBatch(50).x;
  };
  const torch::Tensor patches = draw(7);
  EXPECT_EQ(patches.sizes(), torch::IntArrayRef({ 50, 1, 24, 24, 24 }));
  EXPECT_TRUE(torch::equal(patches, draw(7)));
  EXPECT_FALSE(torch::equal(patches, draw(8)));
  // Without the mask, many patches of this volume would be mostly background (value 0).
  const torch::Tensor nonzero = (patches != 0).to(torch::kFloat).mean({ 1, 2, 3, 4 });
  EXPECT_GT(nonzero.min().item<double>(), 0.0);
}

} // namespace
} // namespace revgan
