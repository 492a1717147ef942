// SPDX-License-Identifier: Apache-2.0
#include "GradientComparison.h"

#include "revgan/AdditiveCoupling.h"
#include "revgan/CouplingBranch.h"
#include "revgan/WeightInitialization.h"

#include <gtest/gtest.h>
#include <torch/nn/cloneable.h>

#include <sstream>

namespace revgan
{
namespace
{

TEST(AdditiveCoupling, ComputesTheCouplingEquations)
{
  torch::manual_seed(1);
  AdditiveCoupling block(AdditiveCouplingOptions(6, 2));
  initializeWeights(*block);
  block->to(torch::kDouble);
  torch::NoGradGuard  noGrad;
  const torch::Tensor x = torch::randn({ 2, 6, 5, 7 }, torch::kDouble);
  const torch::Tensor x1 = x.slice(1, 0, 3);
  const torch::Tensor x2 = x.slice(1, 3, 6);
  const torch::Tensor y1 = x1 + block->f().forward(x2);
  const torch::Tensor y2 = x2 + block->g().forward(y1);
  EXPECT_TRUE(torch::allclose(block->forward(x), torch::cat({ y1, y2 }, 1), 0.0, 1e-14));
  EXPECT_LE((block->inverse(block->forward(x)) - x).abs().max().item<double>(), 1e-13);
}

TEST(AdditiveCoupling, PaperBranchHasTheExpectedLayersAndParameters)
{
  CouplingBranch branch(AdditiveCouplingOptions(256, 2));
  // Two 3×3 convolutions 128→128 with bias; instance norm without affine parameters.
  int64_t count = 0;
  for (const auto & p : branch->parameters())
    count += p.numel();
  EXPECT_EQ(count, 2 * (128 * 128 * 9 + 128));
  // The paper's reversible block at width 64 (256 channels, halves of 128): 590,336 parameters.
  AdditiveCoupling block(AdditiveCouplingOptions(256, 2));
  count = 0;
  for (const auto & p : block->parameters())
    count += p.numel();
  EXPECT_EQ(count, 590336);

  CouplingBranch volumetric(AdditiveCouplingOptions(8, 3));
  EXPECT_EQ(volumetric->forward(torch::randn({ 1, 4, 5, 6, 7 })).sizes(), torch::IntArrayRef({ 1, 4, 5, 6, 7 }));
}

TEST(AdditiveCoupling, PaddingModesKeepTheShape)
{
  for (const PaddingMode mode : { PaddingMode::Reflect, PaddingMode::Replicate, PaddingMode::Zero })
  {
    for (const Normalization norm : { Normalization::Instance, Normalization::Batch, Normalization::None })
    {
      AdditiveCoupling block(AdditiveCouplingOptions(4, 3).padding(mode).normalization(norm));
      block->eval();
      torch::NoGradGuard  noGrad;
      const torch::Tensor x = torch::randn({ 1, 4, 4, 5, 6 });
      const torch::Tensor y = block->forward(x);
      EXPECT_EQ(y.sizes(), x.sizes()) << toString(mode) << " " << toString(norm);
      EXPECT_LE((block->inverse(y) - x).abs().max().item<double>(), 1e-5) << toString(mode) << " " << toString(norm);
    }
  }
}

TEST(AdditiveCoupling, ZeroInitialisedBlockStartsAsIdentity)
{
  AdditiveCoupling block(AdditiveCouplingOptions(8, 3).zero_init_last(true));
  initializeWeights(*block); // must not undo the zero initialisation
  torch::NoGradGuard  noGrad;
  const torch::Tensor x = torch::randn({ 1, 8, 4, 4, 4 });
  EXPECT_TRUE(torch::allclose(block->forward(x), x, 0.0, 1e-6));
}

TEST(AdditiveCoupling, OddChannelCountIsAClearError)
{
  try
  {
    AdditiveCoupling block(AdditiveCouplingOptions(5, 2));
    FAIL() << "an odd channel count was accepted";
  }
  catch (const std::invalid_argument & error)
  {
    EXPECT_NE(std::string(error.what()).find("odd channel count 5"), std::string::npos) << error.what();
  }
  AdditiveCoupling block(AdditiveCouplingOptions(4, 2));
  EXPECT_THROW(block->forward(torch::randn({ 1, 3, 4, 4 })), std::invalid_argument);
  EXPECT_THROW(block->inverse(torch::randn({ 1, 3, 4, 4 })), std::invalid_argument);
}

/// A user-written branch: a convolution followed by `Tail` (dropout, tanh, ...).
template<typename Tail>
struct ConvThenImpl : torch::nn::Module
{
  ConvThenImpl(int64_t channels, Tail tailModule)
    : conv(register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, channels, 3).padding(1))))
    , tail(register_module("tail", std::move(tailModule)))
  {
  }
  torch::Tensor
  forward(const torch::Tensor & x)
  {
    return tail->forward(conv->forward(x));
  }
  torch::nn::Conv2d conv;
  Tail              tail;
};
template<typename Tail>
torch::nn::AnyModule
convThen(int64_t channels, Tail tail)
{
  return torch::nn::AnyModule(std::make_shared<ConvThenImpl<Tail>>(channels, std::move(tail)));
}

TEST(AdditiveCoupling, DropoutIsRejected)
{
  try
  {
    AdditiveCoupling block(convThen(2, torch::nn::Dropout(0.5)), torch::nn::AnyModule(torch::nn::Conv2d(2, 2, 1)));
    FAIL() << "dropout inside F was accepted";
  }
  catch (const std::invalid_argument & error)
  {
    EXPECT_NE(std::string(error.what()).find("Dropout"), std::string::npos) << error.what();
  }
  auto makeBlockWithDropoutInG = [] {
    return AdditiveCoupling(torch::nn::AnyModule(torch::nn::Conv2d(2, 2, 1)), convThen(2, torch::nn::Dropout2d(0.5)));
  };
  EXPECT_THROW(makeBlockWithDropoutInG(), std::invalid_argument);
}

/// A deterministic branch whose class name contains "Dropout": dropout is found by type, not name.
struct DropoutFreeBranchImpl : torch::nn::Cloneable<DropoutFreeBranchImpl>
{
  DropoutFreeBranchImpl()
  {
    reset();
  }
  void
  reset() override
  {
    conv = register_module("conv", torch::nn::Conv2d(2, 2, 1));
  }
  torch::Tensor
  forward(const torch::Tensor & x)
  {
    return conv->forward(x);
  }
  torch::nn::Conv2d conv{ nullptr };
};

TEST(AdditiveCoupling, DropoutIsFoundByTypeNotByName)
{
  const auto branch = std::make_shared<DropoutFreeBranchImpl>();
  ASSERT_NE(branch->name().find("Dropout"), std::string::npos) << branch->name();
  AdditiveCoupling block(torch::nn::AnyModule(branch), torch::nn::AnyModule(torch::nn::Conv2d(2, 2, 1)));
  EXPECT_EQ(block->parameters().size(), 4u);
  auto conv = [] { return torch::nn::AnyModule(torch::nn::Conv2d(2, 2, 1)); };
  EXPECT_THROW(AdditiveCoupling(convThen(2, torch::nn::Dropout3d(0.1)), conv()), std::invalid_argument);
  EXPECT_THROW(AdditiveCoupling(convThen(2, torch::nn::AlphaDropout(0.1)), conv()), std::invalid_argument);
  EXPECT_THROW(AdditiveCoupling(conv(), convThen(2, torch::nn::FeatureAlphaDropout(0.1))), std::invalid_argument);
}

TEST(AdditiveCoupling, CloneCopiesTheBranchesIntoParametersOfItsOwn)
{
  torch::manual_seed(4);
  AdditiveCoupling block(AdditiveCouplingOptions(4, 2).normalization(Normalization::None));
  AdditiveCoupling copy(std::dynamic_pointer_cast<AdditiveCouplingImpl>(block->clone()));
  ASSERT_TRUE(copy);
  const torch::Tensor x = torch::randn({ 1, 4, 5, 5 });
  torch::NoGradGuard  noGrad;
  EXPECT_TRUE(torch::equal(copy->forward(x), block->forward(x)));
  const auto original = block->named_parameters();
  ASSERT_EQ(copy->named_parameters().size(), original.size());
  for (const auto & parameter : copy->named_parameters())
    EXPECT_NE(parameter.value().data_ptr(), original[parameter.key()].data_ptr()) << parameter.key();
  for (auto & parameter : copy->parameters())
    parameter.add_(1.0);
  EXPECT_FALSE(torch::equal(copy->forward(x), block->forward(x)));
  std::ostringstream printed;
  printed << *copy;
  EXPECT_NE(printed.str().find("revgan::AdditiveCoupling"), std::string::npos) << printed.str();
  EXPECT_NE(printed.str().find("revgan::CouplingBranch(channels=2, dimensions=2, kernel_size=3, padding=reflect, "
                               "normalization=none, pre_normalization=false, zero_init_last=false)"),
            std::string::npos)
    << printed.str();
}

// F and G may be any modules; the block stays exactly invertible.
TEST(AdditiveCoupling, AcceptsAnyBranchModules)
{
  torch::manual_seed(2);
  AdditiveCoupling block(torch::nn::AnyModule(torch::nn::Conv2d(3, 3, 1)), convThen(3, torch::nn::Tanh()));
  block->to(torch::kDouble);
  torch::NoGradGuard  noGrad;
  const torch::Tensor x = torch::randn({ 2, 6, 5, 5 }, torch::kDouble);
  EXPECT_LE((block->inverse(block->forward(x)) - x).abs().max().item<double>(), 1e-13);
  EXPECT_EQ(block->parameters().size(), 4u);
}

} // namespace
} // namespace revgan
