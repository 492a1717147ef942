// SPDX-License-Identifier: Apache-2.0
// revgan-train: trains any generator of the toolkit (paired or unpaired, 2D or 3D) from image files
// and writes a model file. The work is runTraining's (TrainingRun.h); the program parses its
// options, prints progress and turns Ctrl-C into a checkpoint.
#include "ApplicationMain.h"
#include "ModuleDescriptions.h"
#include "ProgressPrinter.h"
#include "TrainingRun.h"

#include "revgan/Trainer.h"

#include <csignal>
#include <iostream>
#include <optional>
#include <sstream>

namespace
{

/// The signal that asked training to stop (SIGINT or SIGTERM), 0 while none has.
volatile std::sig_atomic_t stopSignal = 0;

extern "C" void
onStopSignal(int signal)
{
  stopSignal = signal;
  std::signal(signal, SIG_DFL); // a second Ctrl-C ends the program at once
}

/// One iteration on the terminal (or Slicer's progress bar), and its warning and validation lines.
void
printProgress(const revgan::TrainingProgress & p, revgan::ProgressPrinter & progress)
{
  if (!p.event.empty())
    std::cerr << "\nrevgan-train: warning: " << p.event << std::endl;
  if (p.validationRmse)
    std::cout << "revgan-train: epoch " << p.epoch + 1 << ", iteration " << p.iteration << ": validation RMSE "
              << *p.validationRmse << " (best " << p.bestValidation->rmse << ", after epoch "
              << p.bestValidation->epoch + 1 << ", iteration " << p.bestValidation->iteration << ")" << std::endl;
  std::ostringstream detail;
  detail << "epoch " << p.epoch + 1 << "/" << p.totalEpochs << " iteration " << p.iteration << "/"
         << p.iterationsPerEpoch << " " << static_cast<int>(p.samplesPerSecond * 10) / 10.0 << " samples/s";
  for (const auto & [name, value] : p.losses)
    detail << " " << name << " " << static_cast<float>(value);
  if (p.bestValidation)
    detail << " best validation RMSE " << static_cast<float>(p.bestValidation->rmse);
  progress.update((p.epoch + static_cast<double>(p.iteration) / p.iterationsPerEpoch) / p.totalEpochs, detail.str());
}

} // namespace

int
main(int argc, char ** argv)
{
  return revgan::runApplication(
    "revgan-train",
    [&]
    {
      revgan::CommandLineModule module = revgan::describeTrain();
      if (!module.parse(argc, argv))
        return 0;
      std::optional<revgan::ProgressPrinter> progress;
      revgan::TrainingRunHooks               hooks;
      hooks.report = [](const std::string & line) { std::cout << "revgan-train: " << line << std::endl; };
      hooks.warn = [](const std::string & line) { std::cerr << "revgan-train: warning: " << line << std::endl; };
      hooks.stop = [] { return stopSignal != 0; };
      hooks.progress = [&](const revgan::TrainingProgress & p)
      {
        if (!progress)
          progress.emplace("revgan-train",
                           "training " + revgan::toString(revgan::parseGeneratorKind(module.text("generator"))));
        printProgress(p, *progress);
      };
      std::signal(SIGINT, onStopSignal);
      std::signal(SIGTERM, onStopSignal);
      // A process of a data-parallel job that dies closes its sockets: the others' writes to them
      // must fail with EPIPE, which c10d reports as an error (one line naming the rank), instead of
      // SIGPIPE ending them without a word (seen once in CI when a test SIGKILLed rank 1).
      std::signal(SIGPIPE, SIG_IGN);
      const revgan::TrainingRunResult result = revgan::runTraining(module, hooks);
      progress.reset();
      using Outcome = revgan::TrainingRunResult::Outcome;
      if (result.outcome == Outcome::Stopped)
      {
        // A process of a job may be stopped by another's signal; it reports that as SIGTERM.
        const int signal = stopSignal != 0 ? static_cast<int>(stopSignal) : SIGTERM;
        if (result.wroteFiles)
          std::cerr << "\nrevgan-train: stopped by " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << " at epoch "
                    << result.epoch << ", iteration " << result.iteration << "; checkpoint written to '"
                    << result.checkpoint << "'; continue with --resume " << result.checkpoint << std::endl;
        return 128 + signal;
      }
      if (result.keptBest && result.wroteFiles)
        std::cout << "revgan-train: the model holds the best validated weights: after epoch " << result.keptBest->epoch
                  << ", iteration " << result.keptBest->iteration << " (validation RMSE " << result.keptBest->rmse
                  << ")" << std::endl;
      if (result.outcome == Outcome::Diverged && result.wroteFiles)
        std::cerr << "revgan-train: warning: training diverged and stopped early at " << result.divergence << "; '"
                  << result.output << "' holds "
                  << (result.keptBest ? "the best validated weights" : "the last weights before the divergence")
                  << std::endl;
      return 0;
    });
}
