// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <torch/nn/module.h>

namespace revgan
{

/// The reference models' initialisation: every convolution and transposed convolution weight
/// drawn from N(0, standardDeviation²) with zero bias; BatchNorm scale from N(1, standardDeviation²)
/// with zero shift. Coupling branches configured with zero_init_last are zeroed again afterwards,
/// so their blocks still start as the identity.
void
initializeWeights(torch::nn::Module & module, double standardDeviation = 0.02);

} // namespace revgan
