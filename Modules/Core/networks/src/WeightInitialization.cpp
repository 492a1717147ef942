// SPDX-License-Identifier: Apache-2.0
#include "revgan/WeightInitialization.h"

#include "revgan/CouplingBranch.h"

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>

#include <vector>

namespace revgan
{

namespace
{

template<typename Layer>
bool
initializeLayer(torch::nn::Module & module, double mean, double standardDeviation)
{
  auto * layer = dynamic_cast<Layer *>(&module);
  if (layer == nullptr)
  {
    return false;
  }
  if (layer->weight.defined())
  {
    layer->weight.normal_(mean, standardDeviation);
  }
  if (layer->bias.defined())
  {
    layer->bias.zero_();
  }
  return true;
}

} // namespace

void
initializeWeights(torch::nn::Module & module, double standardDeviation)
{
  torch::NoGradGuard noGrad;
  // modules(false) and `module` itself rather than modules(true): the latter needs the module to be
  // owned by a shared_ptr already, which is not the case inside a constructor.
  std::vector<torch::nn::Module *> all{ &module };
  for (const auto & child : module.modules(/*include_self=*/false))
    all.push_back(child.get());

  for (torch::nn::Module * layer : all)
  {
    initializeLayer<torch::nn::Conv1dImpl>(*layer, 0.0, standardDeviation) ||
      initializeLayer<torch::nn::Conv2dImpl>(*layer, 0.0, standardDeviation) ||
      initializeLayer<torch::nn::Conv3dImpl>(*layer, 0.0, standardDeviation) ||
      initializeLayer<torch::nn::ConvTranspose2dImpl>(*layer, 0.0, standardDeviation) ||
      initializeLayer<torch::nn::ConvTranspose3dImpl>(*layer, 0.0, standardDeviation) ||
      initializeLayer<torch::nn::BatchNorm2dImpl>(*layer, 1.0, standardDeviation) ||
      initializeLayer<torch::nn::BatchNorm3dImpl>(*layer, 1.0, standardDeviation);
  }
  for (torch::nn::Module * layer : all)
  {
    if (auto * branch = dynamic_cast<CouplingBranchImpl *>(layer))
      branch->applyZeroInitialization();
  }
}

} // namespace revgan
