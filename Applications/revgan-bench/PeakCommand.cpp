// SPDX-License-Identifier: Apache-2.0
// revgan-bench peak: the machine's single-precision matrix-multiply rate, against which the other
// benchmarks report their convolution throughput.
#include "BenchmarkCommands.h"
#include "BenchmarkTable.h"
#include "JsonLine.h"

#include "revgan/DeviceSelection.h"
#include "revgan/MatrixMultiplyRate.h"

#include <iostream>

namespace revgan
{

int
runPeakCommand(const std::vector<std::string> & arguments)
{
  int64_t          size = 2048;
  int              repetitions = 5;
  MachineSettings  machine;
  BenchmarkOptions options("Usage: revgan-bench peak [options]\n\n"
                           "Measures sgemm: the median time of n x n float matrix products (2 n^3 operations).");
  options.add("size", size, "matrix size n").add("repeat", repetitions, "timed products (median)");
  machine.addTo(options);
  if (!options.parse(arguments, std::cout))
    return 0;
  const c10::Device device = selectDevice(machine.device);
  const int         threadCount = machine.apply();
  const double      rate = measureMatrixMultiplyRate(device, size, repetitions);
  if (machine.json)
  {
    std::cout << JsonLine()
                   .add("benchmark", "peak")
                   .add("sgemm_gflops", rate)
                   .add("size", size)
                   .add("device", device.str())
                   .add("threads", threadCount)
                   .str()
              << std::endl;
    return 0;
  }
  std::cout << "sgemm " << size << "x" << size << " on " << device.str() << ", " << threadCount
            << " threads: " << formatFixed(rate, 1) << " GFLOP/s\n";
  return 0;
}

} // namespace revgan
