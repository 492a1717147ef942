// SPDX-License-Identifier: Apache-2.0
// revgan._train: revgan-train's runTraining from Python, with the program's own option table
// (describeTrain()), the GIL released while it trains, a progress callable, and Ctrl-C or an
// exception of a callable stopping training after the iteration in progress with its checkpoint
// written.
#include "Bindings.h"

#include "ModuleDescriptions.h"
#include "TrainingRun.h"
#include "revgan/Trainer.h"

#include <pybind11/stl.h>

#include <exception>
#include <string>
#include <vector>

namespace py = pybind11;

namespace revgan::python
{
namespace
{

/// One iteration as a dict: epochs 1-based as the program prints them.
py::dict
progressRecord(const TrainingProgress & p)
{
  py::dict losses;
  for (const auto & [name, value] : p.losses)
    losses[py::str(name)] = value;
  py::dict record;
  record["epoch"] = p.epoch + 1;
  record["epochs"] = p.totalEpochs;
  record["iteration"] = p.iteration;
  record["iterations_per_epoch"] = p.iterationsPerEpoch;
  record["learning_rate"] = p.learningRate;
  record["samples_per_second"] = p.samplesPerSecond;
  record["losses"] = losses;
  record["validation_rmse"] = p.validationRmse ? py::cast(*p.validationRmse) : py::none();
  record["best_validation"] =
    p.bestValidation
      ? py::object(py::make_tuple(p.bestValidation->rmse, p.bestValidation->epoch + 1, p.bestValidation->iteration))
      : py::object(py::none());
  record["event"] = p.event.empty() ? py::none() : py::cast(p.event);
  return record;
}

py::dict
trainFromArguments(const std::vector<std::string> & arguments,
                   const py::object &               progress,
                   const py::object &               report,
                   const py::object &               warn)
{
  CommandLineModule options = describeTrain();
  options.parse(arguments);
  // The first exception of a callable or of Ctrl-C (KeyboardInterrupt): training stops after the
  // iteration it came in, writes its checkpoint, and then it is raised.
  std::exception_ptr pending;
  const auto         call = [&](const py::object & callable, const auto & value)
  {
    if (callable.is_none() || pending)
      return;
    try
    {
      callable(value);
    }
    catch (const py::error_already_set &)
    {
      pending = std::current_exception();
    }
  };
  TrainingRunHooks hooks;
  hooks.progress = [&](const TrainingProgress & p)
  {
    py::gil_scoped_acquire locked;
    call(progress, progressRecord(p));
  };
  hooks.report = [&](const std::string & line)
  {
    py::gil_scoped_acquire locked;
    call(report, line);
  };
  hooks.warn = [&](const std::string & line)
  {
    py::gil_scoped_acquire locked;
    call(warn, line);
  };
  hooks.stop = [&]
  {
    py::gil_scoped_acquire locked;
    if (!pending && PyErr_CheckSignals() != 0)
      pending = std::make_exception_ptr(py::error_already_set());
    return static_cast<bool>(pending);
  };
  TrainingRunResult result;
  {
    py::gil_scoped_release unlocked;
    result = runTraining(options, hooks);
  }
  const bool stopped = result.outcome == TrainingRunResult::Outcome::Stopped;
  if (pending)
  {
    try
    {
      std::rethrow_exception(pending);
    }
    catch (py::error_already_set & error)
    {
      if (!error.matches(PyExc_KeyboardInterrupt) || !stopped)
        throw;
    }
  }
  if (stopped)
  {
    // Ctrl-C here, or a stop of another process of a data-parallel job: a KeyboardInterrupt that
    // says where training stopped and how to go on.
    const std::string where = "training stopped at epoch " + std::to_string(result.epoch) + ", iteration " +
                              std::to_string(result.iteration) + "; checkpoint written to '" + result.checkpoint +
                              "'; continue with resume='" + result.checkpoint + "'";
    PyErr_SetString(PyExc_KeyboardInterrupt, where.c_str());
    throw py::error_already_set();
  }
  py::dict outcome;
  outcome["outcome"] = result.outcome == TrainingRunResult::Outcome::Finished ? "finished" : "diverged";
  outcome["output"] = result.output;
  outcome["checkpoint"] = result.checkpoint;
  outcome["epoch"] = result.epoch;
  outcome["iteration"] = result.iteration;
  outcome["divergence"] = result.divergence.empty() ? py::none() : py::cast(result.divergence);
  outcome["kept_best"] =
    result.keptBest
      ? py::object(py::make_tuple(result.keptBest->rmse, result.keptBest->epoch, result.keptBest->iteration))
      : py::object(py::none());
  return outcome;
}

/// revgan-train's parameters: (name as Python spells it, SlicerExecutionModel type, default or
/// None, description, choices), in the program's order.
py::list
trainParameters()
{
  py::list                parameters;
  const CommandLineModule module = describeTrain();
  for (const Parameter & parameter : module.parameters())
  {
    py::object value = py::none();
    if (!parameter.defaultValue.empty())
      value = py::cast(parameter.defaultValue);
    parameters.append(
      py::make_tuple(parameter.identifier(), parameter.type, value, parameter.description, parameter.choices));
  }
  return parameters;
}

} // namespace

void
bindTraining(py::module_ & module)
{
  module.def(
    "_train", &trainFromArguments, py::arg("arguments"), py::arg("progress"), py::arg("report"), py::arg("warn"));
  module.def("_train_parameters", &trainParameters);
}

} // namespace revgan::python
