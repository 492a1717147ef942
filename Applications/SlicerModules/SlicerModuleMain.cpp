// SPDX-License-Identifier: Apache-2.0
// A 3D Slicer CLI module of the RevGAN toolkit; REVGAN_SLICER_MODULE names which (SlicerModules.cpp).
#include "SlicerModules.h"

int
main(int argc, char ** argv)
{
  return revgan::runSlicerModule(REVGAN_SLICER_MODULE, argc, argv);
}
