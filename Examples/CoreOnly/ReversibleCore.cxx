// SPDX-License-Identifier: Apache-2.0
// The reversible core from LibTorch code, without ITK: a stack of additive coupling blocks maps x
// to y and, run backwards with the same weights, y back to x.
//
//   ReversibleCore
//
// prints the largest |C⁻¹(C(x)) − x| for a random 3D batch; exits 1 if it exceeds 1e-4.
#include "revgan/ReversibleSequence.h"

#include <torch/torch.h>

#include <iostream>

int
main()
{
  torch::manual_seed(0);
  revgan::ReversibleSequence core(revgan::ReversibleSequenceOptions(4, revgan::AdditiveCouplingOptions(8, 3)));
  torch::NoGradGuard         noGrad;
  const torch::Tensor        x = torch::randn({ 2, 8, 12, 12, 12 });
  const torch::Tensor        y = core->forward(x);
  const double               error = (core->inverse(y) - x).abs().max().item<double>();
  std::cout << "reconstruction_error " << error << std::endl;
  return error < 1e-4 ? 0 : 1;
}
