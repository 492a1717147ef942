// SPDX-License-Identifier: Apache-2.0
#include "revgan/ConvolutionFlopCounter.h"

#include <ATen/record_function.h>

#include <atomic>
#include <cstring>
#include <stdexcept>

namespace revgan
{

namespace
{

std::atomic<double> countedOperations{ 0.0 };
std::atomic<bool>   counterExists{ false };
// A backend may implement a convolution by calling another one; only the outermost counts.
thread_local int nestedConvolutions = 0;

/// Multiply-adds per element on the side that the kernel slides over (the output; for a
/// transposed convolution, the input): weight.size(1) · kernel volume.
double
multiplyAddsPerElement(const at::Tensor & weight)
{
  double result = static_cast<double>(weight.size(1));
  for (int64_t d = 2; d < weight.dim(); ++d)
    result *= static_cast<double>(weight.size(d));
  return result;
}

double
forwardOperations(const at::Tensor & slidingSide, const at::Tensor & weight)
{
  return 2.0 * static_cast<double>(slidingSide.numel()) * multiplyAddsPerElement(weight);
}

int64_t
outputExtent(int64_t input, int64_t kernel, int64_t stride, int64_t padding, int64_t dilation)
{
  return (input + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
}

/// aten::convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups)
double
convolutionOperations(c10::ArrayRef<const c10::IValue> inputs)
{
  const at::Tensor & input = inputs[0].toTensor();
  const at::Tensor & weight = inputs[1].toTensor();
  if (inputs[6].toBool())
    return forwardOperations(input, weight);
  const auto stride = inputs[3].toIntVector();
  const auto padding = inputs[4].toIntVector();
  const auto dilation = inputs[5].toIntVector();
  double     outputElements = static_cast<double>(input.size(0) * weight.size(0));
  for (int64_t d = 2; d < input.dim(); ++d)
  {
    const size_t i = static_cast<size_t>(d - 2);
    auto         pick = [i](const std::vector<int64_t> & values) { return values.size() == 1 ? values[0] : values[i]; };
    outputElements *=
      static_cast<double>(outputExtent(input.size(d), weight.size(d), pick(stride), pick(padding), pick(dilation)));
  }
  return 2.0 * outputElements * multiplyAddsPerElement(weight);
}

/// aten::convolution_backward(grad_output, input, weight, bias_sizes, stride, padding, dilation,
/// transposed, output_padding, groups, output_mask): each of the input and weight gradients costs
/// one forward convolution.
double
convolutionBackwardOperations(c10::ArrayRef<const c10::IValue> inputs)
{
  const bool         transposed = inputs[7].toBool();
  const at::Tensor & weight = inputs[2].toTensor();
  const double       forward = forwardOperations(transposed ? inputs[1].toTensor() : inputs[0].toTensor(), weight);
  const auto         mask = inputs[10].toBoolList();
  return forward * (static_cast<double>(mask.get(0)) + static_cast<double>(mask.get(1)));
}

/// Marks the calls that onOperatorStart counted (ObserverContext itself cannot be created).
struct CountedCall : at::ObserverContext
{
};

void
add(double operations)
{
  double current = countedOperations.load();
  while (!countedOperations.compare_exchange_weak(current, current + operations))
  {
  }
}

std::unique_ptr<at::ObserverContext>
onOperatorStart(const at::RecordFunction & call)
{
  const char * name = call.name();
  const bool   forward = std::strcmp(name, "aten::convolution") == 0;
  const bool   backward = !forward && std::strcmp(name, "aten::convolution_backward") == 0;
  if (!forward && !backward)
    return nullptr;
  if (nestedConvolutions++ == 0)
    add(forward ? convolutionOperations(call.inputs()) : convolutionBackwardOperations(call.inputs()));
  return std::make_unique<CountedCall>();
}

void
onOperatorEnd(const at::RecordFunction &, at::ObserverContext * context)
{
  // Only calls that onOperatorStart counted carry a context.
  if (context != nullptr)
    --nestedConvolutions;
}

} // namespace

ConvolutionFlopCounter::ConvolutionFlopCounter()
{
  if (counterExists.exchange(true))
    throw std::logic_error("only one ConvolutionFlopCounter may exist at a time");
  countedOperations = 0.0;
  callback_ = at::addGlobalCallback(
    at::RecordFunctionCallback(onOperatorStart, onOperatorEnd).needsInputs(true).scopes({ at::RecordScope::FUNCTION }));
}

ConvolutionFlopCounter::~ConvolutionFlopCounter()
{
  at::removeCallback(callback_);
  counterExists = false;
}

double
ConvolutionFlopCounter::operations() const
{
  return countedOperations.load();
}

void
ConvolutionFlopCounter::reset()
{
  countedOperations = 0.0;
}

} // namespace revgan
