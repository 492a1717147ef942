// Every image application prints a SlicerExecutionModel description with --xml that parses and has
// the elements 3D Slicer needs.
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <sstream>
#include <string>

namespace
{

std::string
run(const std::string & command)
{
  std::string output;
  FILE *      pipe = popen(command.c_str(), "r");
  if (!pipe)
    return output;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof(buffer), pipe)) > 0;)
    output.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  return output;
}

class SlicerXml : public ::testing::TestWithParam<std::string>
{
};

TEST_P(SlicerXml, DescribesTheModule)
{
  const std::string           executable = std::string(REVGAN_APPLICATION_DIR) + "/" + GetParam();
  std::istringstream          xml(run(executable + " --xml"));
  boost::property_tree::ptree tree;
  ASSERT_NO_THROW(boost::property_tree::read_xml(xml, tree)) << "not well-formed XML";
  const auto & module = tree.get_child("executable");
  for (const char * element : { "category", "title", "description", "version", "contributor" })
    EXPECT_FALSE(module.get<std::string>(element, "").empty()) << "missing <" << element << ">";

  std::set<std::string> longflags;
  int                   images = 0, outputs = 0;
  for (const auto & [type, parameter] : module.get_child("parameters"))
  {
    if (type == "label" || type == "description")
      continue;
    EXPECT_FALSE(parameter.get<std::string>("name", "").empty()) << type;
    EXPECT_FALSE(parameter.get<std::string>("label", "").empty()) << type;
    EXPECT_FALSE(parameter.get<std::string>("description", "").empty()) << type;
    if (parameter.count("index"))
    {
      // Positional: no flags, and a position not taken by another parameter.
      EXPECT_EQ(parameter.count("longflag") + parameter.count("flag"), 0u) << parameter.get<std::string>("name");
      EXPECT_TRUE(longflags.insert("#" + parameter.get<std::string>("index")).second) << "duplicate index";
    }
    else
    {
      const std::string longflag = parameter.get<std::string>("longflag", "");
      EXPECT_EQ(longflag.rfind("--", 0), 0u) << "longflag of " << parameter.get<std::string>("name");
      EXPECT_TRUE(longflags.insert(longflag).second) << "duplicate " << longflag;
      if (parameter.count("flag"))
      {
        const std::string flag = parameter.get<std::string>("flag");
        EXPECT_TRUE(flag.size() == 2 && flag[0] == '-') << flag;
        EXPECT_TRUE(longflags.insert(flag).second) << "duplicate " << flag;
      }
    }
    if (type == "image")
    {
      ++images;
      EXPECT_FALSE(parameter.get<std::string>("<xmlattr>.type", "").empty()) << "image without type";
      const std::string channel = parameter.get<std::string>("channel", "");
      EXPECT_TRUE(channel == "input" || channel == "output") << channel;
      outputs += channel == "output" ? 1 : 0;
    }
    if (type == "string-enumeration")
      EXPECT_GT(parameter.count("element"), 1u);
    if (parameter.count("constraints"))
      EXPECT_TRUE(parameter.get_child("constraints").count("minimum") ||
                  parameter.get_child("constraints").count("maximum"));
  }
  EXPECT_GT(images + static_cast<int>(longflags.count("--x")), 0) << "an image application without image parameters";
  if (GetParam() == "revgan-translate" || GetParam() == "revgan-evaluate")
    EXPECT_EQ(longflags.count("#0") + longflags.count("#1"), 2u) << "input and output (or both images) by position";
  if (GetParam() == "revgan-translate")
    EXPECT_EQ(outputs, 1);
}

TEST(SlicerXml, TensorImagesAreDeclaredAsTensors)
{
  const std::string xml = run(std::string(REVGAN_APPLICATION_DIR) + "/revgan-prepare --xml");
  EXPECT_NE(xml.find("<image type=\"tensor\">"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
  Applications,
  SlicerXml,
  ::testing::Values("revgan-translate", "revgan-evaluate", "revgan-train", "revgan-prepare", "revgan-figure"),
  [](const auto & info)
  {
    std::string name = info.param;
    for (auto & c : name)
      c = c == '-' ? '_' : c;
    return name;
  });

} // namespace
