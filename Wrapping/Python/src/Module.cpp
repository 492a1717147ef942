// SPDX-License-Identifier: Apache-2.0
// revgan._revgan: the compiled part of the Python package `revgan` (Wrapping/Python/revgan). It
// holds no toolkit code of its own: it binds the toolkit's libraries (Modules/Core, IO,
// Filtering), and the package's Python files give them ITK-Python's shape.
#include "Bindings.h"

#include "itkMultiThreaderBase.h"
#include "revgan/HeapConfiguration.h"
#include "revgan/ThreadConfiguration.h"

#include <cstdlib>
#include <cstring>

namespace py = pybind11;

PYBIND11_MODULE(_revgan, module)
{
  module.doc() = "The compiled part of the RevGAN toolkit's Python package; use `import revgan`.";
  // As the programs do (revgan::keepFreedMemoryForReuse): without it every large tensor of a 3D
  // network is a fresh mmap, paged in and zeroed again — revgan.translate took 2.2 times as long
  // as revgan-translate on the main job's volume. REVGAN_KEEP_FREED_MEMORY=0 leaves glibc as it is.
  const char * keep = std::getenv("REVGAN_KEEP_FREED_MEMORY");
  module.attr("_keeps_freed_memory") =
    (keep != nullptr && std::strcmp(keep, "0") == 0) ? false : revgan::keepFreedMemoryForReuse();
  revgan::python::bindErrors(module);
  revgan::python::bindImageFiles(module);
  revgan::python::bindTranslation(module); // before bindTorchBridge: it registers the predictors' base
  revgan::python::bindTorchBridge(module);
  revgan::python::bindMetrics(module);
  revgan::python::bindPreparation(module);
  revgan::python::bindTraining(module);
  revgan::python::bindNetworks(module);
  module.def(
    "set_num_threads",
    [](int threads)
    {
      if (threads < 0)
        throw std::invalid_argument("the number of threads must be 0 (all) or positive, not " +
                                    std::to_string(threads));
      // One count for both pools: LibTorch's (and OpenBLAS's) inside the network, ITK's around it.
      const int applied = revgan::configureThreads(threads);
      itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(applied);
      return applied;
    },
    py::arg("threads"),
    "Sets the threads of LibTorch, OpenBLAS and ITK together (0: REVGAN_NUM_THREADS, or all the "
    "machine's); returns the count applied.");
}
