// SPDX-License-Identifier: Apache-2.0
// The Slicer modules run the way 3D Slicer runs them — command lines built from each module's own
// --xml by Slicer's rules (SlicerHost.h), input files in the layouts Slicer writes, outputs read
// back as Slicer reads them — on the real test data:
// - the T1/PD brain slices as one-slice 3D volumes (Slicer's 2D images) through a 2D model;
// - the T1 volume with rotated axes, slice by slice through a 2D model;
// - a DTI volume written byte by byte as Slicer's DTI writer does (9-value 3D-matrix, RAS space,
//   a measurement frame), with position-coded tensors, and the real diffusion scan as a Slicer
//   DWI NRRD (DWMRI_ keys).
// Outputs are checked for kind, size, geometry, measurement frame and tensor values, against the
// same work done by the programs on files in the toolkit's own conventions.
#include "SlicerHost.h"
#include "TemporaryFolder.h"

#include "NrrdIO.h"
#include "itkDiffusionTensor3D.h"
#include "itkImage.h"
#include "itkImageFileReader.h"
#include "itkImageFileWriter.h"
#include "itkImageRegionConstIterator.h"
#include "itkImageRegionIterator.h"
#include "itkRGBPixel.h"
#include "itkVectorImage.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

namespace
{

using Matrix3 = std::array<std::array<double, 3>, 3>; // [row][column]
using TensorImage = itk::Image<itk::DiffusionTensor3D<float>, 3>;
using Vectors2 = itk::VectorImage<float, 2>;
using Vectors3 = itk::VectorImage<float, 3>;
using Scalars3 = itk::Image<float, 3>;

const std::string programs = REVGAN_APPLICATION_DIR;
const std::string modules = REVGAN_SLICER_MODULE_DIR;

std::string
dataFile(const std::string & name)
{
  const char * folder = std::getenv("REVGAN_DATA_DIR");
  return std::string(folder ? folder : "") + "/" + name;
}

Matrix3
product(const Matrix3 & a, const Matrix3 & b)
{
  Matrix3 c{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 3; ++k)
        c[i][j] += a[i][k] * b[k][j];
  return c;
}

Matrix3
transposed(const Matrix3 & a)
{
  Matrix3 t{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      t[i][j] = a[j][i];
  return t;
}

/// R D Rᵀ of a tensor in ITK's order (xx, xy, xz, yy, yz, zz).
std::array<double, 6>
rotated(const Matrix3 & r, const std::array<double, 6> & d)
{
  const Matrix3 full{ { { d[0], d[1], d[2] }, { d[1], d[3], d[4] }, { d[2], d[4], d[5] } } };
  const Matrix3 m = product(product(r, full), transposed(r));
  return { m[0][0], m[0][1], m[0][2], m[1][1], m[1][2], m[2][2] };
}

Matrix3
rotationAbout(int axis, double degrees)
{
  const double c = std::cos(degrees * M_PI / 180.0), s = std::sin(degrees * M_PI / 180.0);
  Matrix3      r{};
  const int    a = (axis + 1) % 3, b = (axis + 2) % 3;
  r[axis][axis] = 1.0;
  r[a][a] = c;
  r[a][b] = -s;
  r[b][a] = s;
  r[b][b] = c;
  return r;
}

/// RAS ↔ LPS.
const Matrix3 flipXY{ { { -1, 0, 0 }, { 0, -1, 0 }, { 0, 0, 1 } } };

/// A NRRD header as teem (the library Slicer's reader uses) reads it.
struct NrrdFacts
{
  std::string              space;
  std::vector<std::string> kinds;
  std::vector<size_t>      sizes;
  bool                     hasFrame{ false };
  Matrix3                  frame{}; // columns: the measurement axes in the file's space
  std::string              type;
};

NrrdFacts
readNrrdFacts(const std::string & path)
{
  std::unique_ptr<Nrrd, Nrrd * (*)(Nrrd *)>                      nrrd(nrrdNew(), nrrdNix);
  std::unique_ptr<NrrdIoState, NrrdIoState * (*)(NrrdIoState *)> state(nrrdIoStateNew(), nrrdIoStateNix);
  nrrdIoStateSet(state.get(), nrrdIoStateSkipData, 1);
  NrrdFacts facts;
  if (nrrdLoad(nrrd.get(), path.c_str(), state.get()) != 0)
  {
    ADD_FAILURE() << path << ": teem cannot read it";
    return facts;
  }
  facts.space = nrrd->space ? airEnumStr(nrrdSpace, nrrd->space) : "";
  facts.type = airEnumStr(nrrdType, nrrd->type);
  for (unsigned int a = 0; a < nrrd->dim; ++a)
  {
    facts.kinds.push_back(nrrd->axis[a].kind ? airEnumStr(nrrdKind, nrrd->axis[a].kind) : "");
    facts.sizes.push_back(nrrd->axis[a].size);
  }
  facts.hasFrame = nrrd->spaceDim == 3 && AIR_EXISTS(nrrd->measurementFrame[0][0]);
  for (int vector = 0; facts.hasFrame && vector < 3; ++vector)
    for (int component = 0; component < 3; ++component)
      facts.frame[component][vector] = nrrd->measurementFrame[vector][component];
  return facts;
}

std::string
vectorText(const std::array<double, 3> & v)
{
  std::ostringstream text;
  text.precision(17);
  text << "(" << v[0] << "," << v[1] << "," << v[2] << ")";
  return text.str();
}

/// A file as Slicer's vtkTeemNRRDWriter writes a DTI volume for a CLI: 9 values per voxel
/// (row-major 3×3, kind 3D-matrix) first, RAS space, raw native floats, a measurement frame.
struct SlicerTensorVolume
{
  std::array<size_t, 3> size{ 12, 10, 6 };
  std::array<double, 3> spacing{ 2.0, 2.5, 3.0 };
  Matrix3               directionRas = rotationAbout(2, 30.0);
  std::array<double, 3> originRas{ 10.0, -20.0, 30.0 };
  Matrix3               frameRas = rotationAbout(0, 20.0);
  /// 3D-matrix (Slicer), or 3D-masked-symmetric-matrix (teem: a mask value, then the six).
  std::string kind = "3D-matrix";

  /// The tensor of a voxel in the measurement frame: each component says where it is and which it
  /// is (xx 1, xy 2, xz 3, yy 4, yz 5, zz 6).
  std::array<double, 6>
  tensor(size_t i, size_t j, size_t k) const
  {
    const double base = 10.0 * static_cast<double>(i + size[0] * (j + size[1] * k));
    return { base + 1, base + 2, base + 3, base + 4, base + 5, base + 6 };
  }

  void
  write(const std::string & path) const
  {
    std::ofstream file(path, std::ios::binary);
    file << "NRRD0004\ntype: float\ndimension: 4\nspace: right-anterior-superior\n";
    file << "sizes: " << (kind == "3D-matrix" ? 9 : 7) << " " << size[0] << " " << size[1] << " " << size[2]
         << "\nspace directions: none";
    for (int axis = 0; axis < 3; ++axis)
      file << " "
           << vectorText({ directionRas[0][axis] * spacing[axis],
                           directionRas[1][axis] * spacing[axis],
                           directionRas[2][axis] * spacing[axis] });
    file << "\nkinds: " << kind
         << " domain domain domain\nendian: little\nencoding: raw\nspace origin: " << vectorText(originRas)
         << "\nmeasurement frame:";
    for (int axis = 0; axis < 3; ++axis)
      file << " " << vectorText({ frameRas[0][axis], frameRas[1][axis], frameRas[2][axis] });
    file << "\nmodality:=DTMRI\n\n";
    for (size_t k = 0; k < size[2]; ++k)
      for (size_t j = 0; j < size[1]; ++j)
        for (size_t i = 0; i < size[0]; ++i)
        {
          const auto  d = tensor(i, j, k);
          const float full[9] = { float(d[0]), float(d[1]), float(d[2]), float(d[1]), float(d[3]),
                                  float(d[4]), float(d[2]), float(d[4]), float(d[5]) };
          const float masked[7] = {
            1.0f, float(d[0]), float(d[1]), float(d[2]), float(d[3]), float(d[4]), float(d[5])
          };
          if (kind == "3D-matrix")
            file.write(reinterpret_cast<const char *>(full), sizeof(full));
          else
            file.write(reinterpret_cast<const char *>(masked), sizeof(masked));
        }
  }
};

/// Runs a module as Slicer does and checks what Slicer checks: exit 0, and the progress it shows.
void
runModule(const std::string & module, const std::map<std::string, std::string> & values)
{
  const auto description = slicer_host::parseDescription(slicer_host::run({ modules + "/" + module, "--xml" }).output);
  ASSERT_TRUE(description.problems.empty()) << module;
  const auto  arguments = slicer_host::commandLine(modules + "/" + module, description, values);
  const auto  result = slicer_host::run(arguments);
  std::string command;
  for (const auto & argument : arguments)
    command += " " + argument;
  ASSERT_EQ(result.status, 0) << command << "\n" << result.errors;
  EXPECT_NE(result.output.find("<filter-start>"), std::string::npos) << module;
  EXPECT_NE(result.output.find("<filter-progress>0</filter-progress>"), std::string::npos) << module;
  EXPECT_NE(result.output.find("<filter-progress>1</filter-progress>"), std::string::npos) << module;
  EXPECT_NE(result.output.find("<filter-end>"), std::string::npos) << module;
}

/// Runs a program from a shell's point of view; returns its standard output.
std::string
runProgram(const std::vector<std::string> & arguments)
{
  std::vector<std::string> command{ programs + "/" + arguments.at(0) };
  command.insert(command.end(), arguments.begin() + 1, arguments.end());
  const auto result = slicer_host::run(command);
  EXPECT_EQ(result.status, 0) << arguments.at(0) << ": " << result.errors;
  return result.output;
}

/// The tensors of a NRRD output taken from its measurement frame into the image axes (T = Rᵀ M)
/// are those of a NIfTI file, which holds them in the image axes, within `tolerance` of their
/// largest magnitude.
void
expectSameTensorsInImageAxes(const std::string & nrrd,
                             const NrrdFacts &   facts,
                             const std::string & nifti,
                             double              tolerance)
{
  const auto fromSlicer = itk::ReadImage<TensorImage>(nrrd);
  const auto fromNifti = itk::ReadImage<TensorImage>(nifti);
  Matrix3    directionLps{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      directionLps[i][j] = fromSlicer->GetDirection()[i][j];
  const Matrix3                              outputToAxes = product(transposed(directionLps), facts.frame);
  double                                     largest = 0.0, scale = 0.0;
  itk::ImageRegionConstIterator<TensorImage> n(fromNifti, fromNifti->GetLargestPossibleRegion());
  for (itk::ImageRegionConstIterator<TensorImage> s(fromSlicer, fromSlicer->GetLargestPossibleRegion()); !s.IsAtEnd();
       ++s, ++n)
  {
    std::array<double, 6> d;
    for (unsigned int c = 0; c < 6; ++c)
      d[c] = s.Get()[c];
    const auto inAxes = rotated(outputToAxes, d);
    for (unsigned int c = 0; c < 6; ++c)
    {
      largest = std::max(largest, std::abs(inAxes[c] - n.Get()[c]));
      scale = std::max(scale, std::abs(static_cast<double>(n.Get()[c])));
    }
  }
  EXPECT_GT(scale, 0.0);
  EXPECT_LT(largest, tolerance * scale) << nrrd << " against " << nifti;
}

/// A model of width 4 and depth 1 from one X and one Y image, trained in seconds; `extra` adds
/// options (e.g. another generator).
void
trainTinyModel(const std::string &              x,
               const std::string &              y,
               const std::string &              output,
               const std::string &              patchSize,
               const std::vector<std::string> & extra = {})
{
  std::vector<std::string> arguments{ "revgan-train",
                                      "--x",
                                      x,
                                      "--y",
                                      y,
                                      "--output",
                                      output,
                                      "--width",
                                      "4",
                                      "--depth",
                                      "1",
                                      "--patch-size",
                                      patchSize,
                                      "--samples-per-epoch",
                                      "2",
                                      "--epochs",
                                      "1",
                                      "--decay-epochs",
                                      "0",
                                      "--batch-size",
                                      "2",
                                      "--threads",
                                      "1" };
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  runProgram(arguments);
}

class SlicerRun : public ::testing::Test
{
protected:
  static void
  SetUpTestSuite()
  {
    folder_ = std::make_unique<revgan::test::TemporaryFolder>("revgan-slicer-run");
    // Small models, trained by the toolkit's own program on the real data.
    trainTinyModel(dataFile("BrainT1Slice.png"), dataFile("BrainProtonDensitySlice.png"), path("rgb2d.pt"), "32");
    // A scalar 2D model: the red channel of each slice as a scalar image.
    for (const char * name : { "BrainT1Slice", "BrainProtonDensitySlice" })
    {
      const auto rgb = itk::ReadImage<Vectors2>(dataFile(std::string(name) + ".png"));
      auto       gray = itk::Image<float, 2>::New();
      gray->CopyInformation(rgb);
      gray->SetRegions(rgb->GetLargestPossibleRegion());
      gray->Allocate();
      itk::ImageRegionConstIterator<Vectors2>        in(rgb, rgb->GetLargestPossibleRegion());
      itk::ImageRegionIterator<itk::Image<float, 2>> out(gray, gray->GetLargestPossibleRegion());
      for (; !in.IsAtEnd(); ++in, ++out)
        out.Set(in.Get()[0]);
      itk::WriteImage(gray, path(std::string(name) + "-gray.nrrd"));
    }
    trainTinyModel(path("BrainT1Slice-gray.nrrd"), path("BrainProtonDensitySlice-gray.nrrd"), path("gray2d.pt"), "32");
  }
  static void
  TearDownTestSuite()
  {
    folder_.reset();
  }
  static std::string
  path(const std::string & name)
  {
    return folder_->path(name);
  }

  static std::unique_ptr<revgan::test::TemporaryFolder> folder_;
};

std::unique_ptr<revgan::test::TemporaryFolder> SlicerRun::folder_;

template<typename TImage>
void
expectSameGeometry(const TImage * a, const TImage * b)
{
  EXPECT_EQ(a->GetLargestPossibleRegion().GetSize(), b->GetLargestPossibleRegion().GetSize());
  for (unsigned int d = 0; d < TImage::ImageDimension; ++d)
  {
    EXPECT_NEAR(a->GetOrigin()[d], b->GetOrigin()[d], 1e-4);
    EXPECT_NEAR(a->GetSpacing()[d], b->GetSpacing()[d], 1e-6);
    for (unsigned int e = 0; e < TImage::ImageDimension; ++e)
      EXPECT_NEAR(a->GetDirection()[d][e], b->GetDirection()[d][e], 1e-6);
  }
}

TEST_F(SlicerRun, TwoDimensionalModelOnOneSliceVolume)
{
  // Slicer loads the RGB slice as a vector volume and hands it over as a one-slice 3D NRRD
  // written by ITK (vtkITKImageWriter).
  using Rgb3 = itk::Image<itk::RGBPixel<unsigned char>, 3>;
  const auto     slice = itk::ReadImage<itk::Image<itk::RGBPixel<unsigned char>, 2>>(dataFile("BrainT1Slice.png"));
  auto           volume = Rgb3::New();
  Rgb3::SizeType size{
    { slice->GetLargestPossibleRegion().GetSize(0), slice->GetLargestPossibleRegion().GetSize(1), 1 }
  };
  volume->SetRegions(size);
  volume->Allocate();
  std::copy(slice->GetBufferPointer(),
            slice->GetBufferPointer() + slice->GetLargestPossibleRegion().GetNumberOfPixels(),
            volume->GetBufferPointer());
  const std::string input = path("BCDEF_vtkMRMLVectorVolumeNodeB.nrrd");
  const std::string output = path("BCDEF_vtkMRMLVectorVolumeNodeC.nrrd");
  itk::WriteImage(volume, input);
  runModule("revgan-translate-vector",
            { { "input", input },
              { "output", output },
              { "model", path("rgb2d.pt") },
              { "patch_size", "64" },
              { "threads", "1" } });
  // What the same model makes of the PNG itself.
  runProgram({ "revgan-translate",
               dataFile("BrainT1Slice.png"),
               path("direct.nrrd"),
               "--model",
               path("rgb2d.pt"),
               "--patch-size",
               "64",
               "--threads",
               "1" });
  const auto facts = readNrrdFacts(output);
  ASSERT_EQ(facts.sizes, (std::vector<size_t>{ 3, size[0], size[1], 1 }));
  const auto translated = itk::ReadImage<Vectors3>(output);
  const auto direct = itk::ReadImage<Vectors2>(path("direct.nrrd"));
  expectSameGeometry(translated.GetPointer(), itk::ReadImage<Vectors3>(input).GetPointer());
  const float * a = translated->GetBufferPointer();
  const float * b = direct->GetBufferPointer();
  const size_t  values = direct->GetPixelContainer()->Size();
  ASSERT_EQ(translated->GetPixelContainer()->Size(), values);
  double largest = 0.0;
  for (size_t v = 0; v < values; ++v)
    largest = std::max(largest, static_cast<double>(std::abs(a[v] - b[v])));
  EXPECT_LT(largest, 1e-3);
}

TEST_F(SlicerRun, TwoDimensionalModelSliceBySliceOnRotatedVolume)
{
  // The T1 volume with rotated axes, as Slicer writes a scalar volume (ITK NRRD, LPS).
  auto                    volume = itk::ReadImage<Scalars3>(dataFile("KmeansTest_T1UCharRaw.nii.gz"));
  const Matrix3           rotation = product(rotationAbout(2, 25.0), rotationAbout(0, 90.0));
  Scalars3::DirectionType direction;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      direction[i][j] = rotation[i][j];
  volume->SetDirection(direction);
  const std::string input = path("BCDEF_vtkMRMLScalarVolumeNodeB.nrrd");
  const std::string output = path("BCDEF_vtkMRMLScalarVolumeNodeC.nrrd");
  itk::WriteImage(volume, input);
  runModule("revgan-translate-scalar",
            { { "input", input },
              { "output", output },
              { "model", path("gray2d.pt") },
              { "patch_size", "64" },
              { "overlap", "8" },
              { "threads", "1" } });
  const auto translated = itk::ReadImage<Scalars3>(output);
  expectSameGeometry(translated.GetPointer(), volume.GetPointer());
  // Slice 31 across z, translated alone, is slice 31 of the output.
  const auto                     size = volume->GetLargestPossibleRegion().GetSize();
  auto                           slice = itk::Image<float, 2>::New();
  itk::Image<float, 2>::SizeType sliceSize{ { size[0], size[1] } };
  slice->SetRegions(sliceSize);
  slice->Allocate();
  const size_t plane = size[0] * size[1];
  std::copy(
    volume->GetBufferPointer() + 31 * plane, volume->GetBufferPointer() + 32 * plane, slice->GetBufferPointer());
  itk::WriteImage(slice, path("slice31.nrrd"));
  runProgram({ "revgan-translate",
               path("slice31.nrrd"),
               path("slice31-translated.nrrd"),
               "--model",
               path("gray2d.pt"),
               "--patch-size",
               "64",
               "--overlap",
               "8",
               "--threads",
               "1" });
  const auto alone = itk::ReadImage<itk::Image<float, 2>>(path("slice31-translated.nrrd"));
  double     largest = 0.0, sum = 0.0;
  for (size_t v = 0; v < plane; ++v)
  {
    const double got = translated->GetBufferPointer()[31 * plane + v];
    largest = std::max(largest, std::abs(got - alone->GetBufferPointer()[v]));
    sum += std::abs(got - volume->GetBufferPointer()[31 * plane + v]);
  }
  EXPECT_LT(largest, 1e-3);
  EXPECT_GT(sum, 0.0) << "the model changed nothing";
}

void
expectTensorsKept(const SlicerTensorVolume & dti, const std::string & input, const std::string & output)
{
  dti.write(input);
  // Factor 1 leaves every tensor as it is: what comes back must be the input, in Slicer's terms.
  runModule("revgan-prepare-degrade-dti", { { "input", input }, { "output", output }, { "factor", "1" } });
  const NrrdFacts facts = readNrrdFacts(output);
  // Slicer's DTI reader takes 3D-symmetric-matrix in float, with a measurement frame.
  EXPECT_EQ(facts.kinds, (std::vector<std::string>{ "3D-symmetric-matrix", "domain", "domain", "domain" }));
  EXPECT_EQ(facts.sizes, (std::vector<size_t>{ 6, dti.size[0], dti.size[1], dti.size[2] }));
  EXPECT_EQ(facts.type, "float");
  ASSERT_TRUE(facts.hasFrame);
  ASSERT_EQ(facts.space, "left-posterior-superior");
  // The same measurement frame, expressed in LPS.
  const Matrix3 frameLps = product(flipXY, dti.frameRas);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_NEAR(facts.frame[i][j], frameLps[i][j], 1e-9);
  const auto tensors = itk::ReadImage<TensorImage>(output);
  const auto directionLps = product(flipXY, dti.directionRas);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_NEAR(tensors->GetDirection()[i][j], directionLps[i][j], 1e-9);
  size_t wrong = 0;
  for (itk::ImageRegionConstIterator<TensorImage> it(tensors, tensors->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    const auto index = it.GetIndex();
    const auto expected = dti.tensor(index[0], index[1], index[2]);
    for (unsigned int c = 0; c < 6; ++c)
      wrong += std::abs(it.Get()[c] - expected[c]) < 0.05 ? 0 : 1;
  }
  EXPECT_EQ(wrong, 0u) << "components out of order or in another frame";
  // The input's other metadata are kept.
  std::unique_ptr<Nrrd, Nrrd * (*)(Nrrd *)>                      nrrd(nrrdNew(), nrrdNix);
  std::unique_ptr<NrrdIoState, NrrdIoState * (*)(NrrdIoState *)> state(nrrdIoStateNew(), nrrdIoStateNix);
  nrrdIoStateSet(state.get(), nrrdIoStateSkipData, 1);
  ASSERT_EQ(nrrdLoad(nrrd.get(), output.c_str(), state.get()), 0);
  const char * modality = nrrdKeyValueGet(nrrd.get(), "modality");
  EXPECT_STREQ(modality, "DTMRI");
  std::free(const_cast<char *>(modality));

  // revgan-evaluate-dti sees the 9-value RAS file and the 6-value LPS file as the same tensors.
  const auto description =
    slicer_host::parseDescription(slicer_host::run({ modules + "/revgan-evaluate-dti", "--xml" }).output);
  const auto evaluation = slicer_host::run(
    slicer_host::commandLine(modules + "/revgan-evaluate-dti",
                             description,
                             { { "prediction", output }, { "reference", input }, { "json", "true" } }));
  ASSERT_EQ(evaluation.status, 0) << evaluation.errors;
  const size_t at = evaluation.output.find("\"rmse_total\":");
  ASSERT_NE(at, std::string::npos) << evaluation.output;
  EXPECT_LT(std::strtod(evaluation.output.c_str() + at + 13, nullptr), 0.05);
}

TEST_F(SlicerRun, TensorVolumeKeepsComponentOrderAndMeasurementFrame)
{
  expectTensorsKept(SlicerTensorVolume{},
                    path("BCDEF_vtkMRMLDiffusionTensorVolumeNodeB.nrrd"),
                    path("BCDEF_vtkMRMLDiffusionTensorVolumeNodeC.nrrd"));
}

TEST_F(SlicerRun, MaskedSymmetricTensorVolumeToo)
{
  SlicerTensorVolume dti;
  dti.kind = "3D-masked-symmetric-matrix";
  expectTensorsKept(dti, path("masked.nrrd"), path("masked-out.nrrd"));
}

TEST_F(SlicerRun, TensorModelSeesTensorsInImageAxesWhateverTheFrame)
{
  SlicerTensorVolume dti;
  dti.size = { 24, 20, 18 }; // room for SRCNN's training crops
  const std::string input = path("BCDEF_vtkMRMLDiffusionTensorVolumeNodeD.nrrd");
  const std::string output = path("BCDEF_vtkMRMLDiffusionTensorVolumeNodeE.nrrd");
  dti.write(input);
  // The same tensors as the toolkit keeps them: NIfTI, in the image axes (T = Rᵀ M).
  const Matrix3         toAxes = product(transposed(dti.directionRas), dti.frameRas);
  auto                  axes = TensorImage::New();
  TensorImage::SizeType size{ { dti.size[0], dti.size[1], dti.size[2] } };
  axes->SetRegions(size);
  TensorImage::DirectionType direction;
  TensorImage::SpacingType   spacing;
  TensorImage::PointType     origin;
  const Matrix3              directionLps = product(flipXY, dti.directionRas);
  for (int i = 0; i < 3; ++i)
  {
    spacing[i] = dti.spacing[i];
    origin[i] = (i < 2 ? -1.0 : 1.0) * dti.originRas[i];
    for (int j = 0; j < 3; ++j)
      direction[i][j] = directionLps[i][j];
  }
  axes->SetDirection(direction);
  axes->SetSpacing(spacing);
  axes->SetOrigin(origin);
  axes->Allocate();
  for (itk::ImageRegionIterator<TensorImage> it(axes, axes->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    const auto                    index = it.GetIndex();
    const auto                    d = rotated(toAxes, dti.tensor(index[0], index[1], index[2]));
    itk::DiffusionTensor3D<float> tensor;
    for (unsigned int c = 0; c < 6; ++c)
      tensor[c] = static_cast<float>(d[c]);
    it.Set(tensor);
  }
  itk::WriteImage(axes, path("axes.nii.gz"));
  trainTinyModel(
    path("axes.nii.gz"), path("axes.nii.gz"), path("dti.pt"), "8", { "--generator", "srcnn", "--gan-weight", "0" });
  runModule("revgan-translate-dti",
            { { "input", input },
              { "output", output },
              { "model", path("dti.pt") },
              { "patch_size", "8" },
              { "overlap", "2" },
              { "threads", "1" } });
  runProgram({ "revgan-translate",
               path("axes.nii.gz"),
               path("axes-translated.nii.gz"),
               "--model",
               path("dti.pt"),
               "--patch-size",
               "8",
               "--overlap",
               "2",
               "--threads",
               "1" });
  // Slicer's output, taken from its measurement frame to the image axes, is the NIfTI output.
  const NrrdFacts facts = readNrrdFacts(output);
  ASSERT_TRUE(facts.hasFrame);
  EXPECT_EQ(facts.kinds.front(), "3D-symmetric-matrix");
  expectSameTensorsInImageAxes(output, facts, path("axes-translated.nii.gz"), 1e-4);
}

TEST_F(SlicerRun, DiffusionWeightedNrrdGivesTheTensorsOfTheNiftiScan)
{
  // The real scan as Slicer writes a DWI volume: gradients in DWMRI_ keys, scaled by
  // sqrt(b/b_max), in the measurement frame, here the image axes in RAS.
  using Scan = itk::Image<float, 4>;
  const auto          scan = itk::ReadImage<Scan>(dataFile("small_64D.nii"));
  const auto          size = scan->GetLargestPossibleRegion().GetSize();
  std::vector<double> b;
  {
    std::ifstream bval(dataFile("small_64D.bval"));
    for (std::string token; bval >> token;)
      b.push_back(std::strtod(token.c_str(), nullptr));
  }
  ASSERT_EQ(b.size(), size[3]);
  std::vector<std::array<double, 3>> g(b.size());
  {
    std::ifstream            bvec(dataFile("small_64D.bvec"));
    std::vector<std::string> lines;
    for (std::string line; std::getline(bvec, line);)
      if (line.find_first_not_of(" \t\r") != std::string::npos)
        lines.push_back(line);
    const bool threeRows = lines.size() == 3;
    for (size_t row = 0; row < lines.size(); ++row)
    {
      std::istringstream tokens(lines[row]);
      size_t             column = 0;
      for (std::string token; tokens >> token; ++column)
      {
        const double value = std::strtod(token.c_str(), nullptr);
        (threeRows ? g[column][row] : g[row][column]) = std::isfinite(value) ? value : 0.0;
      }
    }
  }
  const double bMax = *std::max_element(b.begin(), b.end());
  Matrix3      directionRas{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      directionRas[i][j] = (i < 2 ? -1.0 : 1.0) * scan->GetDirection()[i][j];
  const std::string input = path("BCDEF_vtkMRMLDiffusionWeightedVolumeNodeB.nrrd");
  const std::string output = path("BCDEF_vtkMRMLDiffusionTensorVolumeNodeF.nrrd");
  {
    std::ofstream file(input, std::ios::binary);
    file << "NRRD0004\ntype: float\ndimension: 4\nspace: right-anterior-superior\nsizes: " << size[3] << " " << size[0]
         << " " << size[1] << " " << size[2] << "\nspace directions: none";
    for (int axis = 0; axis < 3; ++axis)
      file << " "
           << vectorText({ directionRas[0][axis] * scan->GetSpacing()[axis],
                           directionRas[1][axis] * scan->GetSpacing()[axis],
                           directionRas[2][axis] * scan->GetSpacing()[axis] });
    file << "\nkinds: list domain domain domain\nendian: little\nencoding: raw\nspace origin: "
         << vectorText({ -scan->GetOrigin()[0], -scan->GetOrigin()[1], scan->GetOrigin()[2] })
         << "\nmeasurement frame:";
    for (int axis = 0; axis < 3; ++axis)
      file << " " << vectorText({ directionRas[0][axis], directionRas[1][axis], directionRas[2][axis] });
    file << "\nmodality:=DWMRI\nDWMRI_b-value:=" << bMax << "\n";
    for (size_t v = 0; v < b.size(); ++v)
    {
      const double norm = std::sqrt(g[v][0] * g[v][0] + g[v][1] * g[v][1] + g[v][2] * g[v][2]);
      const double scale = norm > 0.0 ? std::sqrt(b[v] / bMax) / norm : 0.0;
      char         key[48];
      std::snprintf(key, sizeof(key), "DWMRI_gradient_%04zu", v);
      file.precision(17);
      file << key << ":=" << g[v][0] * scale << "   " << g[v][1] * scale << "   " << g[v][2] * scale << "\n";
    }
    file << "\n";
    const size_t voxels = size[0] * size[1] * size[2];
    for (size_t voxel = 0; voxel < voxels; ++voxel)
      for (size_t v = 0; v < size[3]; ++v)
        file.write(reinterpret_cast<const char *>(scan->GetBufferPointer() + v * voxels + voxel), sizeof(float));
  }
  runModule("revgan-prepare-dti", { { "input", input }, { "output", output } });
  runProgram({ "revgan-prepare",
               "--task",
               "dti",
               "--input",
               dataFile("small_64D.nii"),
               "--bval",
               dataFile("small_64D.bval"),
               "--bvec",
               dataFile("small_64D.bvec"),
               "--output",
               path("scan-dti.nii.gz") });
  const NrrdFacts facts = readNrrdFacts(output);
  EXPECT_EQ(facts.kinds.front(), "3D-symmetric-matrix");
  ASSERT_TRUE(facts.hasFrame);
  expectSameTensorsInImageAxes(output, facts, path("scan-dti.nii.gz"), 1e-3);
}

} // namespace
