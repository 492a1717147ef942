// SPDX-License-Identifier: Apache-2.0
#include "revgan/MemoryTracker.h"
#include "revgan/ThreadConfiguration.h"

#include <gtest/gtest.h>

// Tracking is installed before any test allocates, so that every tensor is counted.
int
main(int argc, char ** argv)
{
  revgan::MemoryTracker::installTracking();
  revgan::configureThreads();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
