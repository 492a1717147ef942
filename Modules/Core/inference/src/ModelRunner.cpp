// SPDX-License-Identifier: Apache-2.0
#include "revgan/ModelRunner.h"

#include "revgan/DeviceSelection.h"
#include "revgan/ModelFile.h"

#include <torch/torch.h>

#include <cstring>
#include <sstream>
#include <stdexcept>

namespace revgan
{

struct ModelRunner::Impl
{
  Model         model;
  torch::Device device{ torch::kCPU };
};

ModelRunner::ModelRunner(std::unique_ptr<Impl> impl)
  : impl_(std::move(impl))
{
}

ModelRunner::~ModelRunner() = default;

std::shared_ptr<ModelRunner>
ModelRunner::fromModel(const Model & model, const std::string & device)
{
  auto impl = std::make_unique<Impl>();
  impl->model = model;
  impl->device = selectDevice(device);
  impl->model.generator->to(impl->device);
  impl->model.generator->eval();
  return std::shared_ptr<ModelRunner>(new ModelRunner(std::move(impl)));
}

std::shared_ptr<ModelRunner>
ModelRunner::fromFile(const std::string & path, const std::string & device)
{
  return fromModel(loadModel(path), device);
}

int64_t
ModelRunner::dimensions() const
{
  return impl_->model.spec.dimensions;
}

int64_t
ModelRunner::inputChannels(Direction direction) const
{
  return direction == Direction::Forward ? impl_->model.spec.channelsX : impl_->model.spec.channelsY;
}

const DomainFrame &
ModelRunner::inputFrame(Direction direction) const
{
  return direction == Direction::Forward ? impl_->model.frameX : impl_->model.frameY;
}

int64_t
ModelRunner::outputChannels(Direction direction) const
{
  return direction == Direction::Forward ? impl_->model.spec.channelsY : impl_->model.spec.channelsX;
}

int64_t
ModelRunner::sizeMultiple() const
{
  return impl_->model.spec.sizeMultiple();
}

std::string
ModelRunner::description() const
{
  const GeneratorSpec & spec = impl_->model.spec;
  std::ostringstream    text;
  text << toString(spec.kind) << ' ' << spec.dimensions << "D, X " << spec.channelsX << " channel(s), Y "
       << spec.channelsY << " channel(s), width " << spec.width << ", depth " << spec.depth
       << (spec.residual ? ", residual" : "");
  return text.str();
}

void
ModelRunner::run(const float *                input,
                 float *                      output,
                 int64_t                      batch,
                 const std::vector<int64_t> & spatial,
                 Direction                    direction) const
{
  if (static_cast<int64_t>(spatial.size()) != dimensions())
    throw std::invalid_argument("model runner: a " + std::to_string(dimensions()) + "D model got a " +
                                std::to_string(spatial.size()) + "D patch");
  for (const int64_t extent : spatial)
  {
    if (extent % sizeMultiple() != 0)
      throw std::invalid_argument("model runner: patch extent " + std::to_string(extent) + " is not a multiple of " +
                                  std::to_string(sizeMultiple()));
  }
  std::vector<int64_t> shape{ batch, inputChannels(direction) };
  shape.insert(shape.end(), spatial.begin(), spatial.end());

  torch::NoGradGuard noGrad;
  const bool         domainY = direction == Direction::Inverse;
  // from_blob does not copy; the caller's buffer outlives this call.
  const torch::Tensor raw = torch::from_blob(const_cast<float *>(input), shape, torch::kFloat).to(impl_->device);
  const torch::Tensor normalized = impl_->model.normalization.normalize(raw, domainY);
  const torch::Tensor translated = impl_->model.generator->run(normalized, direction);
  const torch::Tensor result =
    impl_->model.normalization.denormalize(translated, !domainY).to(torch::kCPU, torch::kFloat).contiguous();
  std::memcpy(output, result.data_ptr<float>(), static_cast<size_t>(result.numel()) * sizeof(float));
}

} // namespace revgan
