// SPDX-License-Identifier: Apache-2.0
#include "itkRevGANImageFilter.h"
#include "itkRevGANInputGrid.h"

#include "itkCommand.h"
#include "itkDiffusionTensor3D.h"
#include "itkImage.h"
#include "itkImageRegionConstIterator.h"
#include "itkImageRegionIterator.h"
#include "itkImageRegionIteratorWithIndex.h"
#include "itkStreamingImageFilter.h"
#include "itkVector.h"
#include "itkVectorImage.h"
#include "revgan/Generators.h"
#include "revgan/ModelFile.h"
#include "revgan/ModelRunner.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <array>
#include <filesystem>
#include <random>
#include <sstream>

namespace
{

using revgan::Direction;
using revgan::GeneratorKind;

/// `frameX` records how the model's X images were given in training (a coarser grid, for one).
std::shared_ptr<revgan::ModelRunner>
makeRunner(GeneratorKind               kind,
           int64_t                     dimensions,
           int64_t                     channelsX,
           int64_t                     channelsY,
           int64_t                     width,
           int64_t                     depth,
           const revgan::DomainFrame & frameX = {})
{
  torch::manual_seed(17);
  revgan::Model model;
  model.frameX = frameX;
  model.spec.kind = kind;
  model.spec.dimensions = dimensions;
  model.spec.channelsX = channelsX;
  model.spec.channelsY = channelsY;
  model.spec.width = width;
  model.spec.depth = depth;
  model.generator = revgan::makeGenerator(model.spec);
  // Give the identity-initialised blocks real weights, so that they matter in the tests.
  torch::NoGradGuard noGrad;
  for (auto & p : model.generator->parameters())
    p.normal_(0.0, 0.2);
  return revgan::ModelRunner::fromModel(model);
}

template<typename TImage>
typename TImage::Pointer
randomImage(const typename TImage::SizeType & size, unsigned int components = 1)
{
  auto image = TImage::New();
  image->SetRegions(size);
  image->SetNumberOfComponentsPerPixel(components);
  image->Allocate();
  std::mt19937                          random(3);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  const unsigned int                    length = image->GetNumberOfComponentsPerPixel();
  for (itk::ImageRegionIterator<TImage> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    auto pixel = it.Get();
    for (unsigned int c = 0; c < length; ++c)
      itk::RevGANPixelAccess<typename TImage::PixelType>::Set(pixel, c, uniform(random));
    it.Set(pixel);
  }
  return image;
}

/// The network run once on the whole image (which must fit the model's size multiple).
template<typename TInput>
std::vector<float>
wholeImagePass(const revgan::ModelRunner & runner, const TInput * image, Direction direction)
{
  const auto         region = image->GetLargestPossibleRegion();
  const size_t       pixels = region.GetNumberOfPixels();
  const auto         in = static_cast<unsigned int>(runner.inputChannels(direction));
  std::vector<float> input(in * pixels), output(static_cast<size_t>(runner.outputChannels(direction)) * pixels);
  size_t             linear = 0;
  for (itk::ImageRegionConstIterator<TInput> it(image, region); !it.IsAtEnd(); ++it, ++linear)
  {
    for (unsigned int c = 0; c < in; ++c)
      input[c * pixels + linear] = itk::RevGANPixelAccess<typename TInput::PixelType>::Get(it.Get(), c);
  }
  std::vector<int64_t> spatial;
  for (unsigned int d = TInput::ImageDimension; d-- > 0;)
    spatial.push_back(static_cast<int64_t>(region.GetSize(d)));
  runner.run(input.data(), output.data(), 1, spatial, direction);
  return output;
}

/// Largest difference between an image and a whole-image pass in channel-major layout.
template<typename TOutput>
double
maxDifference(const TOutput * image, const std::vector<float> & expected)
{
  const auto   region = image->GetLargestPossibleRegion();
  const size_t pixels = region.GetNumberOfPixels();
  double       worst = 0.0;
  size_t       linear = 0;
  for (itk::ImageRegionConstIterator<TOutput> it(image, region); !it.IsAtEnd(); ++it, ++linear)
  {
    for (unsigned int c = 0; c < image->GetNumberOfComponentsPerPixel(); ++c)
    {
      const double value = itk::RevGANPixelAccess<typename TOutput::PixelType>::Get(it.Get(), c);
      worst = std::max(worst, std::abs(value - expected[c * pixels + linear]));
    }
  }
  return worst;
}

/// A filter over `image` with `model` in patches of 8 overlapping by 2 (the streaming tests' setting).
template<typename TImage>
typename itk::RevGANImageFilter<TImage>::Pointer
smallPatchFilter(TImage * image, std::shared_ptr<revgan::ModelRunner> model)
{
  auto filter = itk::RevGANImageFilter<TImage>::New();
  filter->SetInput(image);
  filter->SetModel(std::move(model));
  filter->SetPatchSize({ { 8, 8, 8 } });
  filter->SetOverlap({ { 2, 2, 2 } });
  return filter;
}

/// The output of `filter` made by itk::StreamingImageFilter in `pieces` pieces.
template<typename TFilter>
typename TFilter::OutputImageType::Pointer
streamedOutput(TFilter * filter, unsigned int pieces)
{
  using ImageType = typename TFilter::OutputImageType;
  auto streamer = itk::StreamingImageFilter<ImageType, ImageType>::New();
  streamer->SetInput(filter->GetOutput());
  streamer->SetNumberOfStreamDivisions(pieces);
  streamer->Update();
  typename ImageType::Pointer output = streamer->GetOutput();
  output->DisconnectPipeline();
  return output;
}

/// Largest difference between two images of the same region, component by component.
template<typename TA, typename TB>
double
largestDifference(const TA * a, const TB * b)
{
  double                            worst = 0.0;
  itk::ImageRegionConstIterator<TA> first(a, a->GetLargestPossibleRegion());
  itk::ImageRegionConstIterator<TB> second(b, a->GetLargestPossibleRegion());
  for (; !first.IsAtEnd(); ++first, ++second)
  {
    for (unsigned int c = 0; c < a->GetNumberOfComponentsPerPixel(); ++c)
    {
      const double difference = itk::RevGANPixelAccess<typename TA::PixelType>::Get(first.Get(), c) -
                                itk::RevGANPixelAccess<typename TB::PixelType>::Get(second.Get(), c);
      worst = std::max(worst, std::abs(difference));
    }
  }
  return worst;
}

using Scalar2D = itk::Image<float, 2>;
using Scalar3D = itk::Image<float, 3>;
using Vector3D = itk::VectorImage<float, 3>;
using Tensor3D = itk::Image<itk::DiffusionTensor3D<float>, 3>;

TEST(RevGANImageFilter, VolumeInOnePatchEqualsTheWholeVolumePass)
{
  auto runner = makeRunner(GeneratorKind::SRCNN, 3, 6, 6, 8, 2);
  auto image = randomImage<Vector3D>({ { 16, 12, 8 } }, 6);
  auto filter = itk::RevGANImageFilter<Vector3D>::New();
  filter->SetInput(image);
  filter->SetModel(runner);
  filter->SetPatchSize({ { 32, 32, 32 } });
  filter->SetOverlap({ { 4, 4, 4 } });
  filter->Update();
  EXPECT_EQ(filter->GetOutput()->GetNumberOfComponentsPerPixel(), 6u);
  EXPECT_LE(maxDifference(filter->GetOutput(), wholeImagePass(*runner, image.GetPointer(), Direction::Forward)), 1e-5);
}

// The blending's names come from one table (itkRevGANBlending.h): the filter prints it by name,
// and names round-trip; an unknown name is refused naming the choices.
TEST(RevGANImageFilter, BlendingIsPrintedAndParsedByItsName)
{
  for (const auto & [blending, name] : itk::RevGANBlendingNames)
  {
    std::ostringstream printed;
    printed << blending;
    EXPECT_EQ(printed.str(), name);
    EXPECT_EQ(itk::RevGANBlendingFromName(name), blending);
    auto filter = itk::RevGANImageFilter<Scalar2D>::New();
    filter->SetBlending(blending);
    std::ostringstream self;
    filter->Print(self);
    EXPECT_NE(self.str().find(std::string("Blending: ") + name + "\n"), std::string::npos) << self.str();
  }
  EXPECT_EQ(itk::RevGANBlendingNameList(), (std::vector<std::string>{ "gaussian", "constant" }));
  try
  {
    itk::RevGANBlendingFromName("median");
    FAIL() << "an unknown blending was accepted";
  }
  catch (const std::invalid_argument & error)
  {
    EXPECT_STREQ(error.what(), "unknown blending 'median' (expected gaussian or constant)");
  }
}

// Overlap-tile: with overlap ≥ 2 × the receptive radius (SRCNN: conv 3 then conv 1, radius 1), the
// patches' valid parts carry no border effect, so there is no seam anywhere.
TEST(RevGANImageFilter, OverlappingPatchesLeaveNoSeams)
{
  auto       runner = makeRunner(GeneratorKind::SRCNN, 2, 1, 1, 8, 0);
  auto       image = randomImage<Scalar2D>({ { 50, 37 } });
  const auto expected = wholeImagePass(*runner, image.GetPointer(), Direction::Forward);
  for (const auto blending : { itk::RevGANBlending::Constant, itk::RevGANBlending::Gaussian })
  {
    auto filter = itk::RevGANImageFilter<Scalar2D>::New();
    filter->SetInput(image);
    filter->SetModel(runner);
    filter->SetPatchSize({ { 16, 16 } });
    filter->SetOverlap({ { 4, 4 } });
    filter->SetBlending(blending);
    filter->SetPatchesPerBatch(3);
    filter->Update();
    EXPECT_LE(maxDifference(filter->GetOutput(), expected), 1e-5);
  }

  // The check can fail: a network that sees further than the overlap shows the patch borders.
  auto deeper = makeRunner(GeneratorKind::SRCNN, 2, 1, 1, 8, 1);
  auto filter = itk::RevGANImageFilter<Scalar2D>::New();
  filter->SetInput(image);
  filter->SetModel(deeper);
  filter->SetPatchSize({ { 16, 16 } });
  filter->SetOverlap({ { 0, 0 } });
  filter->Update();
  EXPECT_GT(maxDifference(filter->GetOutput(), wholeImagePass(*deeper, image.GetPointer(), Direction::Forward)), 1e-3);
}

TEST(RevGANImageFilter, StreamingInPiecesGivesTheSameVolume)
{
  auto runner = makeRunner(GeneratorKind::SRCNN, 3, 1, 1, 4, 1);
  auto image = randomImage<Scalar3D>({ { 24, 20, 18 } });
  auto whole = smallPatchFilter(image.GetPointer(), runner);
  whole->Update();
  auto streamed = smallPatchFilter(image.GetPointer(), runner);
  EXPECT_EQ(largestDifference(whole->GetOutput(), streamedOutput(streamed.GetPointer(), 5).GetPointer()), 0.0);
  // Each piece read less than the whole input.
  EXPECT_LT(image->GetRequestedRegion().GetNumberOfPixels(), image->GetLargestPossibleRegion().GetNumberOfPixels());
}

TEST(RevGANImageFilter, OutputKeepsTheInputGeometry)
{
  auto                  runner = makeRunner(GeneratorKind::SRCNN, 3, 1, 1, 4, 0);
  auto                  image = randomImage<Scalar3D>({ { 9, 7, 5 } });
  Scalar3D::PointType   origin;
  Scalar3D::SpacingType spacing;
  origin[0] = 3.0;
  origin[1] = -7.5;
  origin[2] = 12.0;
  spacing[0] = 0.9;
  spacing[1] = 1.1;
  spacing[2] = 2.5;
  Scalar3D::DirectionType direction;
  direction.Fill(0.0);
  direction[0][1] = 1.0;
  direction[1][0] = -1.0;
  direction[2][2] = 1.0;
  image->SetOrigin(origin);
  image->SetSpacing(spacing);
  image->SetDirection(direction);
  auto filter = itk::RevGANImageFilter<Scalar3D>::New();
  filter->SetInput(image);
  filter->SetModel(runner);
  filter->Update();
  const Scalar3D * output = filter->GetOutput();
  EXPECT_EQ(output->GetOrigin(), origin);
  EXPECT_EQ(output->GetSpacing(), spacing);
  EXPECT_EQ(output->GetDirection(), direction);
  EXPECT_EQ(output->GetLargestPossibleRegion(), image->GetLargestPossibleRegion());
}

// DiffusionTensor3D pixels are fed to the network in ITK's component order, the same as a
// 6-component vector image holding those components.
TEST(RevGANImageFilter, TensorPixelsMatchTheVectorImagePath)
{
  auto runner = makeRunner(GeneratorKind::EDSRF, 3, 6, 6, 4, 1);
  auto tensors = randomImage<Tensor3D>({ { 10, 8, 6 } });
  auto vectors = Vector3D::New();
  vectors->SetRegions(tensors->GetLargestPossibleRegion());
  vectors->SetNumberOfComponentsPerPixel(6);
  vectors->Allocate();
  itk::ImageRegionConstIterator<Tensor3D> t(tensors, tensors->GetLargestPossibleRegion());
  itk::ImageRegionIterator<Vector3D>      v(vectors, vectors->GetLargestPossibleRegion());
  for (; !t.IsAtEnd(); ++t, ++v)
  {
    Vector3D::PixelType pixel(6);
    for (unsigned int c = 0; c < 6; ++c)
      pixel[c] = t.Get()[c];
    v.Set(pixel);
  }
  auto tensorFilter = itk::RevGANImageFilter<Tensor3D>::New();
  tensorFilter->SetInput(tensors);
  tensorFilter->SetModel(runner);
  tensorFilter->SetPatchSize({ { 8, 8, 8 } });
  tensorFilter->SetOverlap({ { 2, 2, 2 } });
  tensorFilter->Update();
  auto vectorFilter = itk::RevGANImageFilter<Vector3D>::New();
  vectorFilter->SetInput(vectors);
  vectorFilter->SetModel(runner);
  vectorFilter->SetPatchSize({ { 8, 8, 8 } });
  vectorFilter->SetOverlap({ { 2, 2, 2 } });
  vectorFilter->Update();
  itk::ImageRegionConstIterator<Tensor3D> a(tensorFilter->GetOutput(), tensors->GetLargestPossibleRegion());
  itk::ImageRegionConstIterator<Vector3D> b(vectorFilter->GetOutput(), vectors->GetLargestPossibleRegion());
  double                                  worst = 0.0;
  for (; !a.IsAtEnd(); ++a, ++b)
  {
    for (unsigned int c = 0; c < 6; ++c)
      worst = std::max(worst, static_cast<double>(std::abs(a.Get()[c] - b.Get()[c])));
  }
  EXPECT_EQ(worst, 0.0);
}

TEST(RevGANImageFilter, InverseDirectionRunsTheInverseOfTheSameModel)
{
  auto runner = makeRunner(GeneratorKind::RevGAN, 2, 1, 3, 4, 2);
  using RGB = itk::Image<itk::Vector<float, 3>, 2>;
  auto image = randomImage<RGB>({ { 16, 12 } });
  auto filter = itk::RevGANImageFilter<RGB, Scalar2D>::New();
  filter->SetInput(image);
  filter->SetModel(runner);
  filter->SetDirection(Direction::Inverse);
  filter->SetPatchSize({ { 16, 16 } });
  filter->SetOverlap({ { 4, 4 } });
  filter->Update();
  EXPECT_LE(maxDifference(filter->GetOutput(), wholeImagePass(*runner, image.GetPointer(), Direction::Inverse)), 1e-5);

  auto forward = itk::RevGANImageFilter<Scalar2D, RGB>::New();
  forward->SetInput(filter->GetOutput());
  forward->SetModel(runner);
  forward->SetPatchSize({ { 16, 16 } });
  forward->SetOverlap({ { 4, 4 } });
  forward->Update();
  EXPECT_EQ(forward->GetOutput()->GetNumberOfComponentsPerPixel(), 3u);
}

/// Expects Update() to throw an itk::ExceptionObject whose description contains `text`.
template<typename TFilter>
void
expectUpdateError(TFilter * filter, const std::string & text)
{
  try
  {
    filter->Update();
    ADD_FAILURE() << "no error; expected: " << text;
  }
  catch (const itk::ExceptionObject & error)
  {
    EXPECT_NE(std::string(error.GetDescription()).find(text), std::string::npos) << error.GetDescription();
  }
}

TEST(RevGANImageFilter, MismatchesAreClearErrors)
{
  auto image2d = randomImage<Scalar2D>({ { 16, 16 } });
  auto filter = itk::RevGANImageFilter<Scalar2D>::New();
  filter->SetInput(image2d);
  expectUpdateError(filter.GetPointer(), "no model set");

  filter->SetModel(makeRunner(GeneratorKind::SRCNN, 3, 1, 1, 4, 0));
  expectUpdateError(filter.GetPointer(), "the model is 3D but the image is 2D");

  filter->SetModel(makeRunner(GeneratorKind::SRCNN, 2, 6, 6, 4, 0));
  expectUpdateError(filter.GetPointer(), "the input has 1 component(s) per pixel but the forward direction");

  filter->SetModel(makeRunner(GeneratorKind::RevGAN, 2, 1, 1, 4, 1));
  filter->SetPatchSize({ { 18, 16 } });
  expectUpdateError(filter.GetPointer(), "patch size 18 along axis 0 is not a positive multiple of 4");

  filter->SetPatchSize({ { 16, 16 } });
  filter->SetOverlap({ { 16, 2 } });
  expectUpdateError(filter.GetPointer(), "overlap 16 along axis 0 must be smaller than the patch size 16");

  // A model file is read when the filter updates: the setter stores, Update reports.
  const std::string missing = (std::filesystem::temp_directory_path() / "no-such-model.pt").string();
  filter->SetModelFileName(missing);
  EXPECT_EQ(filter->GetModelFileName(), missing);
  expectUpdateError(filter.GetPointer(), missing);
}

TEST(RevGANImageFilter, LoadsAModelFile)
{
  torch::manual_seed(4);
  revgan::GeneratorSpec spec;
  spec.kind = GeneratorKind::SRCNN;
  spec.dimensions = 2;
  spec.channelsX = 1;
  spec.channelsY = 1;
  spec.width = 4;
  spec.depth = 0;
  auto              generator = revgan::makeGenerator(spec);
  const std::string path = (std::filesystem::temp_directory_path() / "revgan-filter-test-model.pt").string();
  revgan::IntensityNormalization normalization;
  normalization.offsetX = { 100.0 };
  normalization.scaleX = { 50.0 };
  normalization.offsetY = { 10.0 };
  normalization.scaleY = { 2.0 };
  revgan::saveModel(path, *generator, normalization);

  auto image = randomImage<Scalar2D>({ { 8, 8 } });
  auto filter = itk::RevGANImageFilter<Scalar2D>::New();
  filter->SetInput(image);
  // The device is the one set when the filter runs, whatever the order of the setters.
  filter->SetDevice("no-such-device");
  filter->SetModelFileName(path);
  expectUpdateError(filter.GetPointer(), "no-such-device");
  filter->SetDevice("cpu");
  filter->Update();
  ASSERT_NE(filter->GetModel(), nullptr);
  // The model file's normalization is applied: raw → (raw − 100) / 50 → network → · 2 + 10.
  torch::NoGradGuard  noGrad;
  const torch::Tensor raw = torch::from_blob(image->GetBufferPointer(), { 1, 1, 8, 8 }, torch::kFloat);
  const torch::Tensor expected = generator->forward((raw - 100.0) / 50.0) * 2.0 + 10.0;
  const torch::Tensor actual = torch::from_blob(filter->GetOutput()->GetBufferPointer(), { 1, 1, 8, 8 }, torch::kFloat);
  EXPECT_LE((actual - expected).abs().max().item<double>(), 1e-5);
  std::filesystem::remove(path);
}

TEST(RevGANImageFilter, ReportsProgressAndHonoursAbort)
{
  auto image = randomImage<Scalar2D>({ { 40, 40 } });
  auto filter = itk::RevGANImageFilter<Scalar2D>::New();
  filter->SetInput(image);
  filter->SetModel(makeRunner(GeneratorKind::SRCNN, 2, 1, 1, 4, 0));
  filter->SetPatchSize({ { 8, 8 } });
  filter->SetOverlap({ { 0, 0 } });
  filter->SetPatchesPerBatch(5);
  std::vector<float> progress;
  auto               command = itk::CStyleCommand::New();
  command->SetCallback(
    [](itk::Object * caller, const itk::EventObject &, void * data)
    { static_cast<std::vector<float> *>(data)->push_back(static_cast<itk::ProcessObject *>(caller)->GetProgress()); });
  command->SetClientData(&progress);
  filter->AddObserver(itk::ProgressEvent(), command);
  filter->Update();
  ASSERT_GE(progress.size(), 5u); // 25 patches in batches of 5
  EXPECT_FLOAT_EQ(progress.back(), 1.0f);

  auto abortCommand = itk::CStyleCommand::New();
  abortCommand->SetCallback(
    [](itk::Object * caller, const itk::EventObject &, void *)
    {
      auto * process = static_cast<itk::ProcessObject *>(caller);
      if (process->GetProgress() > 0.1f && process->GetProgress() < 1.0f)
        process->AbortGenerateDataOn();
    });
  filter->AddObserver(itk::ProgressEvent(), abortCommand);
  filter->Modified();
  EXPECT_THROW(filter->Update(), itk::ProcessAborted);
}

} // namespace

/// ITK 5.2 has no itk::MakeVector / itk::MakePoint.
template<unsigned int D>
itk::Vector<double, D>
vector(std::array<double, D> values)
{
  itk::Vector<double, D> result;
  std::copy(values.begin(), values.end(), result.Begin());
  return result;
}

template<unsigned int D>
itk::Point<double, D>
point(std::array<double, D> values)
{
  itk::Point<double, D> result;
  std::copy(values.begin(), values.end(), result.Begin());
  return result;
}

/// The frame of a super-resolution model's X images given on a grid `factors` times coarser.
revgan::DomainFrame
coarseInput(std::vector<int64_t> factors, const std::string & interpolation)
{
  revgan::DomainFrame frame;
  frame.gridFactors = std::move(factors);
  frame.interpolation = interpolation;
  return frame;
}

// A model trained on coarse inputs: the filter takes the coarse image, and the output lies on its
// fine grid, with the values of the network run on the image interpolated as in training.
TEST(RevGANImageFilter, ACoarseInputIsInterpolatedOntoTheModelsGrid)
{
  const auto coarseModel = makeRunner(GeneratorKind::SRCNN, 2, 1, 1, 4, 1, coarseInput({ 3, 2 }, "nearest"));
  const auto fineModel = makeRunner(GeneratorKind::SRCNN, 2, 1, 1, 4, 1);
  auto       coarse = randomImage<Scalar2D>({ { 7, 9 } });
  coarse->SetSpacing(vector<2>({ 1.5, 0.8 }));
  coarse->SetOrigin(point<2>({ -4.0, 11.0 }));
  Scalar2D::DirectionType direction;
  direction.Fill(0.0);
  direction[0][1] = 1.0;
  direction[1][0] = -1.0;
  coarse->SetDirection(direction);
  auto filter = itk::RevGANImageFilter<Scalar2D>::New();
  filter->SetInput(coarse);
  filter->SetModel(coarseModel);
  // The output's grid is known before the network runs, as from any ITK filter.
  filter->UpdateOutputInformation();
  EXPECT_EQ(filter->GetOutput()->GetLargestPossibleRegion().GetSize(), (Scalar2D::SizeType{ { 21, 18 } }));
  EXPECT_EQ(filter->GetOutput()->GetBufferedRegion().GetNumberOfPixels(), 0u);
  filter->Update();
  const Scalar2D * output = filter->GetOutput();

  // Spacing divided by the factors, the first fine centre half a fine voxel inside the coarse
  // voxel's corner (along the image axes, which the direction turns).
  EXPECT_EQ(output->GetLargestPossibleRegion().GetSize(), (Scalar2D::SizeType{ { 21, 18 } }));
  EXPECT_NEAR(output->GetSpacing()[0], 0.5, 1e-12);
  EXPECT_NEAR(output->GetSpacing()[1], 0.4, 1e-12);
  EXPECT_EQ(output->GetDirection(), direction);
  const auto corner = coarse->GetOrigin() + direction * vector<2>({ -0.75, -0.4 });
  const auto firstFine = corner + direction * vector<2>({ 0.25, 0.2 });
  EXPECT_NEAR(output->GetOrigin()[0], firstFine[0], 1e-12);
  EXPECT_NEAR(output->GetOrigin()[1], firstFine[1], 1e-12);

  // Nearest neighbour onto the fine grid by hand: each coarse pixel repeated 3 × 2 times.
  auto fine = Scalar2D::New();
  fine->SetRegions(output->GetLargestPossibleRegion());
  fine->Allocate();
  for (itk::ImageRegionIteratorWithIndex<Scalar2D> it(fine, fine->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
    it.Set(coarse->GetPixel({ { it.GetIndex()[0] / 3, it.GetIndex()[1] / 2 } }));
  EXPECT_LT(maxDifference(output, wholeImagePass(*fineModel, fine.GetPointer(), Direction::Forward)), 1e-5);

  // The inverse runs on the fine grid as it is (the output's grid changes, so as for any ITK
  // filter whose output shrinks, the whole of it is requested anew).
  filter->SetDirection(Direction::Inverse);
  filter->UpdateLargestPossibleRegion();
  EXPECT_EQ(filter->GetOutput()->GetLargestPossibleRegion(), coarse->GetLargestPossibleRegion());
  EXPECT_EQ(filter->GetOutput()->GetSpacing(), coarse->GetSpacing());
}

// Cubic B-spline in pieces: each streamed piece interpolates the part it reads from the whole
// coarse volume, so the pieces give what one pass gives, which is what interpolating first gives;
// pixels of any type are interpolated by their components.
TEST(RevGANImageFilter, ACoarseInputStreamsAsOnePass)
{
  const auto coarseModel = makeRunner(GeneratorKind::SRCNN, 3, 6, 6, 4, 1, coarseInput({ 2, 2, 2 }, "bspline"));
  const auto fineModel = makeRunner(GeneratorKind::SRCNN, 3, 6, 6, 4, 1);
  auto       vectors = randomImage<Vector3D>({ { 9, 8, 7 } }, 6);
  vectors->SetSpacing(vector<3>({ 2.0, 2.0, 3.0 }));
  vectors->SetOrigin(point<3>({ 5.0, -3.0, 1.5 }));
  auto tensors = Tensor3D::New();
  tensors->CopyInformation(vectors);
  tensors->SetRegions(vectors->GetLargestPossibleRegion());
  tensors->Allocate();
  itk::ImageRegionConstIterator<Vector3D> from(vectors, vectors->GetLargestPossibleRegion());
  for (itk::ImageRegionIterator<Tensor3D> to(tensors, tensors->GetLargestPossibleRegion()); !to.IsAtEnd(); ++to, ++from)
  {
    Tensor3D::PixelType tensor;
    for (unsigned int c = 0; c < 6; ++c)
      tensor[c] = from.Get()[c];
    to.Set(tensor);
  }
  auto whole = smallPatchFilter(tensors.GetPointer(), coarseModel);
  whole->Update();
  auto streamed = smallPatchFilter(tensors.GetPointer(), coarseModel);
  auto interpolatedFirst = smallPatchFilter(
    itk::RevGANInputOnFineGrid<3>(vectors.GetPointer(), { 2, 2, 2 }, "bspline").GetPointer(), fineModel);
  interpolatedFirst->Update();
  ASSERT_EQ(whole->GetOutput()->GetLargestPossibleRegion(), interpolatedFirst->GetOutput()->GetLargestPossibleRegion());
  ASSERT_EQ(whole->GetOutput()->GetLargestPossibleRegion().GetSize(), (Tensor3D::SizeType{ { 18, 16, 14 } }));
  EXPECT_EQ(largestDifference(whole->GetOutput(), streamedOutput(streamed.GetPointer(), 4).GetPointer()), 0.0);
  EXPECT_LT(largestDifference(whole->GetOutput(), interpolatedFirst->GetOutput()), 1e-5);
}

TEST(RevGANImageFilter, ACoarseGridThatDoesNotFitTheImageIsAClearError)
{
  auto filter = itk::RevGANImageFilter<Scalar2D>::New();
  filter->SetInput(randomImage<Scalar2D>({ { 6, 6 } }));
  filter->SetModel(makeRunner(GeneratorKind::SRCNN, 2, 1, 1, 4, 0, coarseInput({ 2, 2, 2 }, "bspline")));
  try
  {
    filter->Update();
    FAIL() << "expected an exception";
  }
  catch (const itk::ExceptionObject & error)
  {
    EXPECT_NE(std::string(error.GetDescription()).find("records an input grid that does not fit a 2D image"),
              std::string::npos)
      << error.GetDescription();
  }
}
