// SPDX-License-Identifier: Apache-2.0
// What libraries print on their own to standard error while a capture lives — through C's stdio,
// std::cerr or the file descriptor itself — is captured, in order, and standard error is the
// process's own again afterwards.
#include "revgan/StderrCapture.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <iostream>
#include <string>

TEST(StderrCapture, CapturesStdioStreamsAndTheDescriptorAndRestoresThem)
{
  testing::internal::CaptureStderr(); // googletest's own capture: what reaches stderr after ours ends
  std::string captured;
  {
    revgan::StderrCapture capture;
    std::fprintf(stderr, "from stdio\n");
    std::cerr << "from cerr\n";
    const char text[] = "from write\n";
    ASSERT_EQ(::write(STDERR_FILENO, text, sizeof(text) - 1), static_cast<ssize_t>(sizeof(text) - 1));
    captured = capture.release();
    std::cerr << "after release\n";
    EXPECT_EQ(capture.release(), ""); // once only
  }
  std::cerr << "after the capture\n";
  EXPECT_EQ(captured, "from stdio\nfrom cerr\nfrom write\n");
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "after release\nafter the capture\n");
}

TEST(StderrCapture, ManyMegabytesDoNotBlockTheLibrary)
{
  revgan::StderrCapture capture;
  const std::string     line(1023, 'x');
  for (int i = 0; i < 4096; ++i) // 4 MiB: far more than a pipe would hold
    std::fprintf(stderr, "%s\n", line.c_str());
  EXPECT_EQ(capture.release().size(), 4096u * 1024u);
}
