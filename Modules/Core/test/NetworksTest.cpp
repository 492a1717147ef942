// SPDX-License-Identifier: Apache-2.0
// Architectures and parameter counts of the paper (RGB, 2D, unless stated).
#include "GradientComparison.h"

#include "revgan/Generators.h"
#include "revgan/PatchDiscriminator.h"

#include <gtest/gtest.h>

#include <sstream>

namespace revgan
{
namespace
{

int64_t
parameterCount(const torch::nn::Module & module)
{
  int64_t count = 0;
  for (const auto & p : module.parameters())
    count += p.numel();
  return count;
}

GeneratorSpec
spec(GeneratorKind kind, int64_t width, int64_t depth, int64_t dimensions = 2, int64_t channels = 3)
{
  GeneratorSpec s;
  s.kind = kind;
  s.width = width;
  s.depth = depth;
  s.dimensions = dimensions;
  s.channelsX = channels;
  s.channelsY = channels;
  return s;
}

TEST(Networks, EncoderDecoderAndBlocksMatchThePaper)
{
  const GeneratorSpec revgan64 = spec(GeneratorKind::RevGAN, 64, 0);
  EXPECT_EQ(parameterCount(*LiftingEncoder(revgan64.encoderOptions(3))), 378496);
  EXPECT_EQ(parameterCount(*ProjectionDecoder(revgan64.decoderOptions(3))), 378243);
  EXPECT_EQ(parameterCount(*AdditiveCoupling(revgan64.coreBlockOptions())), 590336);
  EXPECT_EQ(parameterCount(*ResidualBlock(256, 2)), 1180160);
}

TEST(Networks, PatchGanMatchesThePaper)
{
  EXPECT_EQ(parameterCount(*PatchDiscriminator(PatchDiscriminatorOptions(3, 2))), 2764737);
  EXPECT_EQ(parameterCount(*PatchDiscriminator(PatchDiscriminatorOptions(6, 2))), 2767809);
}

TEST(Networks, GeneratorTotalsMatchThePaper)
{
  for (const int64_t depth : { 0, 1, 6, 9 })
  {
    EXPECT_EQ(parameterCount(*makeGenerator(spec(GeneratorKind::RevGAN, 64, depth))), 1513478 + 590336 * depth)
      << "depth " << depth;
  }
  EXPECT_EQ(parameterCount(*makeGenerator(spec(GeneratorKind::ResNet, 32, 6))), 3930118);
  // Paper tables (millions, rounded): CycleGAN w32 d9 5.70 M; RevGAN w32 d6 1.27 M, w56 d6 3.88 M,
  // w32 d9 1.72 M, w58 d9 5.61 M, w64 d9 6.83 M.
  auto millions = [](const GeneratorSpec & s) { return static_cast<double>(parameterCount(*makeGenerator(s))) / 1e6; };
  EXPECT_NEAR(millions(spec(GeneratorKind::ResNet, 32, 9)), 5.70, 0.005);
  EXPECT_NEAR(millions(spec(GeneratorKind::RevGAN, 32, 6)), 1.27, 0.005);
  EXPECT_NEAR(millions(spec(GeneratorKind::RevGAN, 56, 6)), 3.88, 0.005);
  EXPECT_NEAR(millions(spec(GeneratorKind::RevGAN, 32, 9)), 1.72, 0.005);
  EXPECT_NEAR(millions(spec(GeneratorKind::RevGAN, 58, 9)), 5.61, 0.005);
  EXPECT_NEAR(millions(spec(GeneratorKind::RevGAN, 64, 9)), 6.83, 0.005);
}

TEST(Networks, GeneratorsPreserveImageShapeAndMapChannels)
{
  torch::NoGradGuard noGrad;
  GeneratorSpec      revgan = spec(GeneratorKind::RevGAN, 4, 2);
  revgan.channelsX = 1;
  revgan.channelsY = 3;
  auto generator = makeGenerator(revgan);
  EXPECT_EQ(generator->forward(torch::randn({ 2, 1, 16, 20 })).sizes(), torch::IntArrayRef({ 2, 3, 16, 20 }));
  EXPECT_EQ(generator->inverse(torch::randn({ 2, 3, 16, 20 })).sizes(), torch::IntArrayRef({ 2, 1, 16, 20 }));

  for (const auto kind : { GeneratorKind::SRCNN, GeneratorKind::EDSRF })
  {
    auto                volumetric = makeGenerator(spec(kind, 8, 2, 3, 6));
    const torch::Tensor dti = torch::randn({ 1, 6, 12, 10, 8 });
    EXPECT_EQ(volumetric->forward(dti).sizes(), dti.sizes()) << toString(kind);
    EXPECT_EQ(volumetric->inverse(dti).sizes(), dti.sizes()) << toString(kind);
  }
  auto scalar = makeGenerator(spec(GeneratorKind::SRCNN, 8, 0, 3, 1));
  EXPECT_EQ(scalar->forward(torch::randn({ 1, 1, 9, 9, 9 })).sizes(), torch::IntArrayRef({ 1, 1, 9, 9, 9 }));

  GeneratorSpec threeLevels = spec(GeneratorKind::RevGAN, 4, 1);
  threeLevels.downsamplings = 3;
  auto deeper = std::dynamic_pointer_cast<RevGANGeneratorImpl>(makeGenerator(threeLevels));
  EXPECT_EQ(deeper->encoderX->forward(torch::randn({ 1, 3, 32, 32 })).sizes(), torch::IntArrayRef({ 1, 32, 4, 4 }));
  EXPECT_EQ(deeper->forward(torch::randn({ 1, 3, 32, 32 })).sizes(), torch::IntArrayRef({ 1, 3, 32, 32 }));

  // A residual generator adds its input: with a zero decoder it is the identity.
  GeneratorSpec residualSpec = spec(GeneratorKind::SRCNN, 4, 1, 3, 6);
  residualSpec.residual = true;
  auto residual = std::dynamic_pointer_cast<RevGANGeneratorImpl>(makeGenerator(residualSpec));
  for (auto & p : residual->decoderY->parameters())
    p.zero_();
  const torch::Tensor volume = torch::randn({ 1, 6, 8, 8, 8 });
  EXPECT_TRUE(torch::equal(residual->forward(volume), volume));
  residualSpec.channelsY = 1;
  EXPECT_THROW(makeGenerator(residualSpec), std::invalid_argument);

  PatchDiscriminator discriminator3d(PatchDiscriminatorOptions(12, 3).strided_layers(2));
  EXPECT_EQ(discriminator3d->forward(torch::randn({ 1, 12, 24, 24, 24 })).size(1), 1);
}

// LibTorch's clone(): a copy that computes the same and owns its parameters, for every kind and for
// the discriminator; the networks print themselves with their settings.
TEST(Networks, ClonedNetworksGiveTheSameOutputWithParametersOfTheirOwn)
{
  torch::manual_seed(6);
  auto expectIndependentCopy = [](torch::nn::Module & original, torch::nn::Module & copy, const std::string & what)
  {
    const auto parameters = original.named_parameters();
    ASSERT_EQ(copy.named_parameters().size(), parameters.size()) << what;
    for (const auto & parameter : copy.named_parameters())
    {
      EXPECT_TRUE(torch::equal(parameter.value(), parameters[parameter.key()])) << what << " " << parameter.key();
      EXPECT_NE(parameter.value().data_ptr(), parameters[parameter.key()].data_ptr()) << what << " " << parameter.key();
    }
  };
  for (const GeneratorDefinition & row : generatorTable())
  {
    const int64_t dimensions = row.kind == GeneratorKind::SRCNN ? 3 : 2;
    const auto    generator = makeGenerator(spec(row.kind, 4, 2, dimensions, 2), GradientMode::ReversibleCore);
    const auto    copy = std::dynamic_pointer_cast<TranslationGenerator>(generator->clone());
    ASSERT_TRUE(copy) << row.name;
    EXPECT_TRUE(typeid(*copy) == typeid(*generator)) << row.name;
    EXPECT_EQ(copy->spec(), generator->spec()) << row.name;
    expectIndependentCopy(*generator, *copy, row.name);
    const torch::Tensor x =
      torch::randn(dimensions == 3 ? std::vector<int64_t>{ 1, 2, 8, 8, 8 } : std::vector<int64_t>{ 1, 2, 8, 8 });
    {
      torch::NoGradGuard noGrad;
      EXPECT_TRUE(torch::equal(copy->forward(x), generator->forward(x))) << row.name;
      EXPECT_TRUE(torch::equal(copy->inverse(x), generator->inverse(x))) << row.name;
    }
    // Training the copy leaves the original as it was.
    const torch::Tensor before = generator->forward(x).detach();
    copy->forward(x).square().mean().backward();
    for (const auto & parameter : generator->parameters())
      EXPECT_FALSE(parameter.grad().defined()) << row.name;
    {
      torch::NoGradGuard noGrad;
      for (auto & parameter : copy->parameters())
        parameter.add_(0.5);
      EXPECT_TRUE(torch::equal(generator->forward(x), before)) << row.name;
    }
  }
  PatchDiscriminator discriminator(PatchDiscriminatorOptions(2, 3).width(4).strided_layers(2));
  PatchDiscriminator copy(std::dynamic_pointer_cast<PatchDiscriminatorImpl>(discriminator->clone()));
  ASSERT_TRUE(copy);
  expectIndependentCopy(*discriminator, *copy, "discriminator");
  const torch::Tensor volume = torch::randn({ 1, 2, 16, 16, 16 });
  EXPECT_TRUE(torch::equal(copy->forward(volume), discriminator->forward(volume)));
}

TEST(Networks, NetworksPrintTheirSettings)
{
  GeneratorSpec srcnn = spec(GeneratorKind::SRCNN, 8, 2, 3, 1);
  srcnn.residual = true;
  std::ostringstream printed;
  printed << *makeGenerator(srcnn);
  const std::string text = printed.str();
  for (const char * line :
       { "revgan::RevGANGenerator(kind=srcnn, dimensions=3, channels_x=1, channels_y=1, width=8, depth=2, "
         "downsamplings=0, residual=true, gradient_mode=reversible)",
         "(encoderX): revgan::LiftingEncoder(in_channels=1, width=8, dimensions=3, kernel_size=3, downsamplings=0, "
         "padding=replicate, normalization=none)",
         "(core): revgan::ReversibleSequence(depth=2, gradient_mode=reversible)",
         "(block0): revgan::AdditiveCoupling",
         "(F): revgan::CouplingBranch(channels=4, dimensions=3, kernel_size=3, padding=replicate, normalization=none, "
         "pre_normalization=false, zero_init_last=true)",
         "revgan::VolumeConvolution(4, 4, kernel_size=[3, 3, 3]",
         "(decoderY): revgan::ProjectionDecoder(width=8, out_channels=1, dimensions=3, kernel_size=1, upsamplings=0, "
         "padding=reflect, normalization=none, tanh=false)" })
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n in:\n" << text;
  std::ostringstream pair;
  pair << *makeGenerator(spec(GeneratorKind::ResNet, 4, 1));
  EXPECT_EQ(pair.str().rfind("revgan::ResnetGeneratorPair(kind=resnet, dimensions=2, channels_x=3, channels_y=3, "
                             "width=4, depth=1, downsamplings=2, residual=false)",
                             0),
            0u)
    << pair.str();
  EXPECT_NE(pair.str().find("revgan::ResidualBlock(channels=16, dimensions=2)"), std::string::npos) << pair.str();
  std::ostringstream discriminator;
  discriminator << *PatchDiscriminator(PatchDiscriminatorOptions(2, 3).strided_layers(2));
  EXPECT_EQ(discriminator.str().rfind("revgan::PatchDiscriminator(in_channels=2, dimensions=3, width=64, "
                                      "strided_layers=2, normalization=instance)",
                                      0),
            0u)
    << discriminator.str();
}

// SRCNN+kR and EDSR-F blocks start as the identity, so the deeper model starts as the shallower one.
TEST(Networks, IdentityInitialisedCoresStartAsTheBaseline)
{
  torch::NoGradGuard noGrad;
  for (const auto kind : { GeneratorKind::SRCNN, GeneratorKind::EDSRF })
  {
    auto generator = std::dynamic_pointer_cast<RevGANGeneratorImpl>(makeGenerator(spec(kind, 8, 3, 3, 6)));
    const torch::Tensor x = torch::randn({ 1, 6, 8, 8, 8 });
    const torch::Tensor lifted = generator->encoderX->forward(x);
    EXPECT_TRUE(torch::allclose(generator->core->forward(lifted), lifted, 0.0, 1e-6)) << toString(kind);
  }
}

// Why EDSR-F trails its own input in Documentation/Results.md: instance normalisation right after
// its first convolution takes each patch's scale away, so what EDSR-F adds to a volume is the same
// for the volume at three times its contrast (up to the normalisation's epsilon). SRCNN's grows.
TEST(Networks, EdsrfIsBlindToTheScaleOfItsInputWhereSrcnnIsNot)
{
  torch::NoGradGuard  noGrad;
  const torch::Tensor x = torch::randn({ 1, 6, 12, 12, 12 }, torch::TensorOptions().dtype(torch::kDouble));
  for (const auto kind : { GeneratorKind::EDSRF, GeneratorKind::SRCNN })
  {
    auto generator = makeGenerator(spec(kind, 8, 2, 3, 6));
    generator->to(torch::kDouble);
    const torch::Tensor once = generator->forward(x), thrice = generator->forward(3.0 * x);
    const double        change = (thrice - once).abs().max().item<double>() / once.abs().max().item<double>();
    if (kind == GeneratorKind::EDSRF)
      EXPECT_LT(change, 1e-3) << "EDSR-F's output changed with the input's scale";
    else
      EXPECT_GT(change, 0.5) << "SRCNN's output should grow with its input";
  }
}

TEST(Networks, InvalidSpecsAreClearErrors)
{
  EXPECT_THROW(makeGenerator(spec(GeneratorKind::RevGAN, 0, 2)), std::invalid_argument);
  EXPECT_THROW(makeGenerator(spec(GeneratorKind::RevGAN, 8, -1)), std::invalid_argument);
  EXPECT_THROW(makeGenerator(spec(GeneratorKind::SRCNN, 7, 2, 3, 6)), std::invalid_argument);
  EXPECT_THROW(makeGenerator(spec(GeneratorKind::RevGAN, 8, 2, 4)), std::invalid_argument);
  EXPECT_THROW(parseGeneratorKind("unet"), std::invalid_argument);
  GeneratorSpec downsampledSrcnn = spec(GeneratorKind::SRCNN, 8, 1, 3, 6);
  downsampledSrcnn.downsamplings = 1;
  EXPECT_THROW(makeGenerator(downsampledSrcnn), std::invalid_argument);
  for (const auto kind : { GeneratorKind::RevGAN, GeneratorKind::ResNet, GeneratorKind::SRCNN, GeneratorKind::EDSRF })
    EXPECT_EQ(parseGeneratorKind(toString(kind)), kind);
}

TEST(Networks, EveryRowOfTheGeneratorTableBuildsItsFamily)
{
  ASSERT_EQ(generatorNames(), (std::vector<std::string>{ "revgan", "resnet", "srcnn", "edsr-f" }));
  for (const GeneratorDefinition & row : generatorTable())
  {
    EXPECT_EQ(parseGeneratorKind(row.name), row.kind);
    EXPECT_EQ(toString(row.kind), row.name);
    const GeneratorSpec s = spec(row.kind, 4, 1, 3, 1);
    EXPECT_EQ(s.effectiveDownsamplings(), row.downsamplings) << row.name;
    const auto generator = makeGenerator(s);
    const bool invertible = std::dynamic_pointer_cast<RevGANGeneratorImpl>(generator) != nullptr;
    EXPECT_EQ(invertible, row.family == GeneratorFamily::Invertible) << row.name;
  }
  try
  {
    parseGeneratorKind("unet");
    FAIL() << "unet parsed";
  }
  catch (const std::invalid_argument & error)
  {
    EXPECT_STREQ(error.what(), "unknown generator 'unet' (expected revgan, resnet, srcnn or edsr-f)");
  }
}

TEST(Networks, EnumerationNamesRoundTripAndListTheChoices)
{
  for (const auto mode : { PaddingMode::Reflect, PaddingMode::Replicate, PaddingMode::Zero })
    EXPECT_EQ(parsePaddingMode(toString(mode)), mode);
  for (const auto normalization : { Normalization::Instance, Normalization::Batch, Normalization::None })
    EXPECT_EQ(parseNormalization(toString(normalization)), normalization);
  EXPECT_EQ(toString(GradientMode::Reversible), "reversible");
  EXPECT_EQ(parseDirection("inverse"), Direction::Inverse);
  try
  {
    parseNormalization("layer");
    FAIL() << "layer parsed";
  }
  catch (const std::invalid_argument & error)
  {
    EXPECT_STREQ(error.what(), "unknown normalization 'layer' (expected instance, batch or none)");
  }
}

using GeneratorCase = std::tuple<GeneratorKind, int64_t /*dimensions*/, Direction>;
class GeneratorGradientTest : public ::testing::TestWithParam<GeneratorCase>
{
};

// Whole generator — encoders, core, decoders — in reversible and reversible-core mode against
// naive, in double. The
// core's input is produced by a ReLU that saved it for backward: it must not be replaced by the
// reconstructed (ε-different) tensor, or the encoder's gradients go wrong.
TEST_P(GeneratorGradientTest, EveryRecomputationMatchesNaiveEndToEnd)
{
  const auto [kind, dimensions, direction] = GetParam();
  torch::manual_seed(41);
  auto generator = makeGenerator(spec(kind, 4, 4, dimensions, 2));
  generator->to(torch::kDouble);
  const std::vector<int64_t> shape =
    dimensions == 2 ? std::vector<int64_t>{ 2, 2, 16, 12 } : std::vector<int64_t>{ 1, 2, 8, 8, 12 };
  const torch::Tensor input = torch::randn(shape, torch::kDouble);
  const torch::Tensor target = torch::randn(shape, torch::kDouble);

  auto gradientsIn = [&, direction = direction](GradientMode mode) // C++17 lambdas cannot capture bindings
  {
    generator->setGradientMode(mode);
    torch::Tensor x = input.clone().requires_grad_(true);
    (generator->run(x, direction) - target).abs().mean().backward();
    auto gradients = test::takeGradients(*generator);
    gradients["<input>"] = x.grad().clone();
    return gradients;
  };
  auto naive = gradientsIn(GradientMode::Naive);
  // Every choice of what to recompute (the memory budget's choices) gives the same gradients.
  for (const GradientMode mode : { GradientMode::ReversibleCore, GradientMode::Reversible })
  {
    SCOPED_TRACE(toString(mode));
    auto recomputed = gradientsIn(mode);
    auto expected = naive;
    // The other direction's encoder and decoder take no part: no gradient in either mode.
    for (auto it = expected.begin(); it != expected.end();)
    {
      if (it->second.defined())
      {
        ++it;
        continue;
      }
      EXPECT_FALSE(recomputed.at(it->first).defined()) << it->first;
      recomputed.erase(it->first);
      it = expected.erase(it);
    }
    EXPECT_GT(expected.size(), static_cast<size_t>(4 * 8)); // core, one encoder, one decoder, input
    test::expectGradientsMatch(recomputed, expected, 1e-8);
  }
}

INSTANTIATE_TEST_SUITE_P(Generators,
                         GeneratorGradientTest,
                         ::testing::Values(GeneratorCase{ GeneratorKind::RevGAN, 2, Direction::Forward },
                                           GeneratorCase{ GeneratorKind::RevGAN, 2, Direction::Inverse },
                                           GeneratorCase{ GeneratorKind::RevGAN, 3, Direction::Forward },
                                           GeneratorCase{ GeneratorKind::RevGAN, 3, Direction::Inverse },
                                           GeneratorCase{ GeneratorKind::SRCNN, 3, Direction::Forward },
                                           GeneratorCase{ GeneratorKind::SRCNN, 3, Direction::Inverse },
                                           GeneratorCase{ GeneratorKind::EDSRF, 3, Direction::Forward },
                                           GeneratorCase{ GeneratorKind::EDSRF, 3, Direction::Inverse }),
                         [](const auto & info)
                         {
                           return toString(std::get<0>(info.param)) == "edsr-f"
                                    ? std::string("edsrf_") + toString(std::get<2>(info.param))
                                    : toString(std::get<0>(info.param)) + std::to_string(std::get<1>(info.param)) +
                                        "d_" + toString(std::get<2>(info.param));
                         });

} // namespace
} // namespace revgan
