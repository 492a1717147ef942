// SPDX-License-Identifier: Apache-2.0
// The 3D Slicer modules as Slicer finds them: every executable in the module folder answers
// Slicer's --xml probe in time with a description that SlicerExecutionModel's parser accepts, and
// the folder holds nothing else. The programs' own descriptions follow the same rules, and the
// programs accept the underscore spellings Slicer passes besides the dashed ones.
#include "SlicerHost.h"
#include "SlicerModules.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <unistd.h>

namespace
{

const std::filesystem::path moduleFolder = REVGAN_SLICER_MODULE_DIR;
const std::filesystem::path programFolder = REVGAN_APPLICATION_DIR;

std::string
problemsOf(const slicer_host::Description & description)
{
  std::string text;
  for (const auto & problem : description.problems)
    text += "\n  " + problem;
  return text;
}

/// Runs `--xml` as Slicer's factory does: in the executable's folder, ITK_AUTOLOAD_PATH empty.
slicer_host::Result
probe(const std::filesystem::path & executable)
{
  setenv("ITK_AUTOLOAD_PATH", "", 1);
  return slicer_host::run({ executable.string(), "--xml" }, executable.parent_path().string());
}

} // namespace

namespace revgan
{
// Names the module in test listings instead of its bytes.
void
PrintTo(const SlicerModule & module, std::ostream * out)
{
  *out << module.executable;
}
} // namespace revgan

namespace
{

class SlicerModule : public ::testing::TestWithParam<revgan::SlicerModule>
{
};

TEST_P(SlicerModule, AnswersTheProbeWithADescriptionSlicerAccepts)
{
  const auto executable = moduleFolder / GetParam().executable;
  ASSERT_TRUE(std::filesystem::exists(executable)) << executable;
  // Slicer takes only executables without a '.' in their name (qSlicerUtils::isCLIExecutable).
  EXPECT_EQ(GetParam().executable.find('.'), std::string::npos);
  const auto result = probe(executable);
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(result.errors, "");
  // Slicer waits 5 s for the answer, then drops the module; ours must not come near that.
  EXPECT_LT(result.seconds, 5.0);
  std::cout << GetParam().executable << " --xml: " << result.seconds << " s" << std::endl;
  const auto description = slicer_host::parseDescription(result.output);
  EXPECT_TRUE(description.problems.empty()) << GetParam().executable << problemsOf(description);
  EXPECT_FALSE(description.parameters.empty());
}

TEST_P(SlicerModule, LinksNeitherLibTorchNorITK)
{
  // What keeps --xml fast under load: the module loads only Boost before it answers.
  const auto result = slicer_host::run({ "/usr/bin/ldd", (moduleFolder / GetParam().executable).string() });
  ASSERT_EQ(result.status, 0) << result.errors;
  EXPECT_EQ(result.output.find("libtorch"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("libITK"), std::string::npos) << result.output;
}

TEST_P(SlicerModule, OffersVolumesOfItsKind)
{
  const auto          description = slicer_host::parseDescription(probe(moduleFolder / GetParam().executable).output);
  const std::string & name = GetParam().executable;
  auto                endsWith = [&](const std::string & suffix)
  { return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0; };
  for (const auto & parameter : description.parameters)
  {
    if (parameter.tag != "image" || parameter.name == "mask" || parameter.name == "t1")
      continue;
    std::string expected = "any";
    if (name == "revgan-prepare-dti")
      expected = parameter.channel == "input" ? "diffusion-weighted" : "tensor";
    else if (name == "revgan-prepare-phantom" || endsWith("-dti"))
      expected = "tensor";
    else if (endsWith("-scalar"))
      expected = "scalar";
    else if (endsWith("-vector"))
      expected = "vector";
    if (expected != "any")
    {
      EXPECT_EQ(parameter.type, expected) << name << " " << parameter.name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Modules,
                         SlicerModule,
                         ::testing::ValuesIn(revgan::slicerModules()),
                         [](const auto & info)
                         {
                           std::string name = info.param.executable;
                           for (auto & c : name)
                             c = c == '-' ? '_' : c;
                           return name;
                         });

TEST(SlicerModuleFolder, HoldsOnlyModules)
{
  // Slicer probes every executable file of a module path (qSlicerCLIExecutableModuleFactory).
  std::set<std::string> expected;
  for (const auto & module : revgan::slicerModules())
    expected.insert(module.executable);
  std::set<std::string> found;
  for (const auto & entry : std::filesystem::directory_iterator(moduleFolder))
  {
    if (entry.is_regular_file() && access(entry.path().c_str(), X_OK) == 0)
      found.insert(entry.path().filename().string());
  }
  EXPECT_EQ(found, expected);
}

class Program : public ::testing::TestWithParam<std::string>
{
};

TEST_P(Program, DescriptionFollowsSlicersRules)
{
  const auto result = slicer_host::run({ (programFolder / GetParam()).string(), "--xml" });
  EXPECT_EQ(result.status, 0);
  const auto description = slicer_host::parseDescription(result.output);
  EXPECT_TRUE(description.problems.empty()) << GetParam() << problemsOf(description);
}

INSTANTIATE_TEST_SUITE_P(
  Applications,
  Program,
  ::testing::Values("revgan-translate", "revgan-evaluate", "revgan-train", "revgan-prepare", "revgan-figure"),
  [](const auto & info)
  {
    std::string name = info.param;
    for (auto & c : name)
      c = c == '-' ? '_' : c;
    return name;
  });

TEST(CommandLine, TakesTheUnderscoreSpellingsSlicerPassesAndTheDashedOnes)
{
  for (const std::string spelling : { "--interior_radius", "--interior-radius", "--interior_radius=99" })
  {
    std::vector<std::string> arguments{ (programFolder / "revgan-evaluate").string(), spelling };
    if (spelling.find('=') == std::string::npos)
      arguments.push_back("99");
    arguments.insert(arguments.end(), { "prediction.nrrd", "reference.nrrd" });
    const auto result = slicer_host::run(arguments);
    EXPECT_EQ(result.status, 1) << spelling;
    EXPECT_EQ(result.errors, "revgan-evaluate: error: --interior-radius must lie in [0.000000, 50.000000], got 99\n")
      << spelling;
  }
}

TEST(CommandLine, ModulesRefuseUnusableOutputsBeforeAnyWorkInOneLine)
{
  const auto folder = std::filesystem::temp_directory_path() / ("revgan-output-check-" + std::to_string(getpid()));
  std::filesystem::create_directories(folder);
  const auto module = (moduleFolder / "revgan-translate-scalar").string();
  // The input and the model do not exist: the output is checked first.
  for (const auto & [output, message] : std::vector<std::pair<std::string, std::string>>{
         { (folder / "missing" / "out.nrrd").string(), "does not exist" },
         { folder.string(), "is a folder" },
         { (folder / "out.unknown").string(), "not an image file type this toolkit can write" } })
  {
    const auto result = slicer_host::run({ module, "--model", "none.pt", "none.nrrd", output });
    EXPECT_EQ(result.status, 1) << output;
    EXPECT_NE(result.errors.find(message), std::string::npos) << result.errors;
    EXPECT_EQ(std::count(result.errors.begin(), result.errors.end(), '\n'), 1) << result.errors;
  }
  EXPECT_TRUE(std::filesystem::is_empty(folder));
  std::filesystem::remove_all(folder);
}

} // namespace
