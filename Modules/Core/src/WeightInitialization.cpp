#include "revgan/WeightInitialization.h"

#include "revgan/CouplingBranch.h"

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>

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
  for (const auto & child : module.modules(/*include_self=*/true))
  {
    initializeLayer<torch::nn::Conv1dImpl>(*child, 0.0, standardDeviation) ||
      initializeLayer<torch::nn::Conv2dImpl>(*child, 0.0, standardDeviation) ||
      initializeLayer<torch::nn::Conv3dImpl>(*child, 0.0, standardDeviation) ||
      initializeLayer<torch::nn::ConvTranspose2dImpl>(*child, 0.0, standardDeviation) ||
      initializeLayer<torch::nn::ConvTranspose3dImpl>(*child, 0.0, standardDeviation) ||
      initializeLayer<torch::nn::BatchNorm2dImpl>(*child, 1.0, standardDeviation) ||
      initializeLayer<torch::nn::BatchNorm3dImpl>(*child, 1.0, standardDeviation);
  }
  for (const auto & child : module.modules(/*include_self=*/true))
  {
    if (auto * branch = dynamic_cast<CouplingBranchImpl *>(child.get()))
    {
      branch->applyZeroInitialization();
    }
  }
}

} // namespace revgan
