// SPDX-License-Identifier: Apache-2.0
#include "revgan/OperatorProfile.h"

#include "revgan/Recomputation.h"

#include <ATen/record_function.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <utility>

namespace revgan
{

namespace
{

using Clock = std::chrono::steady_clock;

/// How a call's own time is counted. Wrapper: an operator that only dispatches to a categorised
/// one (aten::conv3d to aten::convolution); its callees categorise themselves.
enum class Kind
{
  Categorised,
  Wrapper,
  AutogradNode,
  UserScope
};

struct Frame
{
  Clock::time_point start;
  double            childSeconds{ 0.0 };
  Kind              kind{ Kind::Categorised };
  std::string       category;
  /// The convolution's kernel and pass, or the operator's name.
  std::string key;
  bool        inRecomputation{ false };
  /// False for the operators a categorised one calls: a call is counted once, where it starts.
  bool countsCall{ true };
};

struct Totals
{
  double  seconds{ 0.0 };
  double  recomputationSeconds{ 0.0 };
  int64_t calls{ 0 };
};

std::atomic<bool>                                     profileExists{ false };
std::mutex                                            totalsMutex;
std::map<std::pair<std::string, std::string>, Totals> totals;
thread_local std::vector<Frame>                       frames;

bool
isOneOf(const std::string & name, const std::set<std::string> & names)
{
  return names.count(name) > 0;
}

bool
startsWith(const std::string & name, const char * prefix)
{
  return name.rfind(prefix, 0) == 0;
}

/// The category of an aten operator by its name without "aten::"; empty for wrappers.
std::string
categoryOf(const std::string & op)
{
  static const std::set<std::string> elementWise{ "add",
                                                  "add_",
                                                  "sub",
                                                  "sub_",
                                                  "mul",
                                                  "mul_",
                                                  "div",
                                                  "div_",
                                                  "rsub",
                                                  "neg",
                                                  "abs",
                                                  "sgn",
                                                  "sign",
                                                  "relu",
                                                  "relu_",
                                                  "threshold",
                                                  "tanh",
                                                  "tanh_",
                                                  "sigmoid",
                                                  "leaky_relu",
                                                  "clamp",
                                                  "clamp_",
                                                  "where",
                                                  "addcmul_",
                                                  "addcdiv_",
                                                  "sqrt",
                                                  "exp",
                                                  "log",
                                                  "pow",
                                                  "lerp_",
                                                  "maximum",
                                                  "minimum",
                                                  "eq",
                                                  "ne",
                                                  "gt",
                                                  "lt",
                                                  "ge",
                                                  "le",
                                                  "fill_",
                                                  "zero_",
                                                  "masked_fill_",
                                                  "threshold_backward",
                                                  "tanh_backward",
                                                  "sigmoid_backward",
                                                  "leaky_relu_backward",
                                                  "add_out",
                                                  "mul_out",
                                                  "reciprocal",
                                                  "square",
                                                  "_foreach_add_",
                                                  "addcmul",
                                                  "addcdiv",
                                                  "lerp",
                                                  "isnan",
                                                  "logical_not",
                                                  "bitwise_not",
                                                  "silu",
                                                  "gelu" };
  static const std::set<std::string> creation{ "empty",   "empty_like", "empty_strided", "zeros",     "zeros_like",
                                               "ones",    "ones_like",  "full",          "full_like", "rand",
                                               "randn",   "normal_",    "uniform_",      "randint",   "scalar_tensor",
                                               "resize_", "new_empty",  "new_zeros",     "bernoulli_" };
  static const std::set<std::string> copies{ "copy_",    "clone",  "contiguous", "cat",          "stack", "to",
                                             "_to_copy", "repeat", "index",      "index_select", "flip",  "_cat" };
  static const std::set<std::string> views{ "view",
                                            "reshape",
                                            "_reshape_alias",
                                            "slice",
                                            "chunk",
                                            "split",
                                            "narrow",
                                            "select",
                                            "permute",
                                            "transpose",
                                            "t",
                                            "unsqueeze",
                                            "squeeze",
                                            "expand",
                                            "expand_as",
                                            "as_strided",
                                            "detach",
                                            "alias",
                                            "unbind",
                                            "flatten",
                                            "unflatten",
                                            "view_as",
                                            "split_with_sizes",
                                            "lift_fresh",
                                            "_unsafe_view",
                                            "detach_" };
  static const std::set<std::string> reductions{ "sum",
                                                 "mean",
                                                 "l1_loss",
                                                 "mse_loss",
                                                 "max",
                                                 "min",
                                                 "norm",
                                                 "std",
                                                 "var",
                                                 "amax",
                                                 "amin",
                                                 "item",
                                                 "_local_scalar_dense",
                                                 "binary_cross_entropy_with_logits",
                                                 "l1_loss_backward",
                                                 "mse_loss_backward",
                                                 "linalg_vector_norm",
                                                 "all",
                                                 "any",
                                                 "allclose",
                                                 "equal",
                                                 "mean_backward" };
  if (op == "convolution" || op == "convolution_backward")
    return "convolution";
  if (startsWith(op, "conv") || op == "_convolution")
    return {};
  if (op.find("norm") != std::string::npos && !isOneOf(op, reductions))
    return "normalization";
  if (op.find("pad") != std::string::npos)
    return "padding";
  if (isOneOf(op, elementWise))
    return "element-wise";
  if (isOneOf(op, creation))
    return "tensor creation";
  if (isOneOf(op, copies))
    return "copies and concatenation";
  if (isOneOf(op, views))
    return "views";
  if (isOneOf(op, reductions))
    return "reductions and losses";
  return "other operators";
}

std::string
convolutionKey(c10::ArrayRef<const c10::IValue> inputs, bool backward)
{
  // aten::convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups)
  // aten::convolution_backward(grad_output, input, weight, bias_sizes, stride, padding, dilation,
  //                            transposed, output_padding, groups, output_mask)
  const at::Tensor & weight = inputs[backward ? 2 : 1].toTensor();
  const bool         transposed = inputs[backward ? 7 : 6].toBool();
  const int64_t      groups = inputs[backward ? 9 : 8].toInt();
  const auto         stride = inputs[backward ? 4 : 3].toIntVector();
  std::string        key;
  for (int64_t d = 2; d < weight.dim(); ++d)
    key += (d > 2 ? "x" : "") + std::to_string(weight.size(d));
  const int64_t first = weight.size(0), second = weight.size(1) * groups;
  key += " " + std::to_string(transposed ? first : second) + "->" + std::to_string(transposed ? second : first);
  if (transposed)
    key += " transposed";
  if (std::any_of(stride.begin(), stride.end(), [](int64_t s) { return s != 1; }))
    key += " stride " + std::to_string(stride.front());
  return key + (backward ? " backward" : " forward");
}

std::unique_ptr<at::ObserverContext>
onCallStart(const at::RecordFunction & call)
{
  Frame        frame;
  const char * name = call.name();
  frame.inRecomputation = !frames.empty() && frames.back().inRecomputation;
  const Frame * parent = frames.empty() ? nullptr : &frames.back();
  if (call.scope() == at::RecordScope::USER_SCOPE)
  {
    frame.kind = Kind::UserScope;
    frame.inRecomputation = frame.inRecomputation || std::strcmp(name, kRecomputationScope) == 0;
  }
  else if (call.scope() == at::RecordScope::BACKWARD_FUNCTION)
  {
    frame.kind = Kind::AutogradNode;
    frame.category = "autograd node";
    frame.key = name;
  }
  else if (parent != nullptr && parent->kind == Kind::Categorised)
  {
    // Called by a categorised operator: counts for it (mkldnn_convolution for aten::convolution).
    frame.category = parent->category;
    frame.key = parent->key;
    frame.countsCall = false;
  }
  else
  {
    const std::string op = startsWith(name, "aten::") ? std::string(name + 6) : std::string(name);
    frame.category = categoryOf(op);
    if (frame.category.empty())
    {
      frame.kind = Kind::Wrapper;
      frame.category = "convolution";
      frame.key = "dispatch (" + op + ")";
    }
    else if (frame.category == "convolution")
      frame.key = convolutionKey(call.inputs(), op == "convolution_backward");
    else
      frame.key = op;
  }
  frame.start = Clock::now();
  frames.push_back(std::move(frame));
  return nullptr;
}

void
onCallEnd(const at::RecordFunction &, at::ObserverContext *)
{
  if (frames.empty()) // started before the profile existed
    return;
  const Frame frame = std::move(frames.back());
  frames.pop_back();
  const double seconds = std::chrono::duration<double>(Clock::now() - frame.start).count();
  if (!frames.empty())
    frames.back().childSeconds += seconds;
  if (frame.kind == Kind::UserScope)
    return;
  const double                self = std::max(0.0, seconds - frame.childSeconds);
  std::lock_guard<std::mutex> lock(totalsMutex);
  Totals &                    entry = totals[{ frame.category, frame.key }];
  entry.seconds += self;
  entry.recomputationSeconds += frame.inRecomputation ? self : 0.0;
  entry.calls += frame.countsCall ? 1 : 0;
}

} // namespace

OperatorProfile::OperatorProfile()
{
  if (profileExists.exchange(true))
    throw std::logic_error("only one OperatorProfile may exist at a time");
  reset();
  callback_ = at::addGlobalCallback(
    at::RecordFunctionCallback(onCallStart, onCallEnd)
      .needsInputs(true)
      .scopes({ at::RecordScope::FUNCTION, at::RecordScope::BACKWARD_FUNCTION, at::RecordScope::USER_SCOPE }));
}

OperatorProfile::~OperatorProfile()
{
  at::removeCallback(callback_);
  profileExists = false;
}

std::vector<OperatorProfile::Entry>
OperatorProfile::entries() const
{
  std::lock_guard<std::mutex> lock(totalsMutex);
  std::vector<Entry>          result;
  // Other categories: one entry each, named by their three most expensive operators.
  std::map<std::string, std::vector<std::pair<double, std::string>>> operatorsByCategory;
  std::map<std::string, Entry>                                       byCategory;
  for (const auto & [where, figures] : totals)
  {
    const auto & [category, key] = where;
    if (category == "convolution")
    {
      result.push_back({ category, key, figures.seconds, figures.recomputationSeconds, figures.calls });
      continue;
    }
    Entry & entry = byCategory[category];
    entry.category = category;
    entry.seconds += figures.seconds;
    entry.recomputationSeconds += figures.recomputationSeconds;
    entry.calls += figures.calls;
    operatorsByCategory[category].emplace_back(figures.seconds, key);
  }
  for (auto & [category, entry] : byCategory)
  {
    auto & operators = operatorsByCategory[category];
    std::sort(operators.rbegin(), operators.rend());
    for (size_t i = 0; i < std::min<size_t>(3, operators.size()); ++i)
      entry.detail += (i > 0 ? ", " : "") + operators[i].second;
    result.push_back(std::move(entry));
  }
  std::sort(result.begin(), result.end(), [](const Entry & a, const Entry & b) { return a.seconds > b.seconds; });
  return result;
}

double
OperatorProfile::operatorSeconds() const
{
  std::lock_guard<std::mutex> lock(totalsMutex);
  double                      sum = 0.0;
  for (const auto & entry : totals)
    sum += entry.second.seconds;
  return sum;
}

void
OperatorProfile::reset()
{
  std::lock_guard<std::mutex> lock(totalsMutex);
  totals.clear();
}

} // namespace revgan
