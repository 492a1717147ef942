// SPDX-License-Identifier: Apache-2.0
// Trains a model from C++ with the library call revgan-train itself makes (revgan::runTraining),
// so a program of your own trains exactly what revgan-train trains, with the same options, and
// decides itself what to print and when to stop.
//
// Usage: TrainModel X_IMAGES Y_IMAGES MODEL [revgan-train options...]
// e.g.   TrainModel coarse.nii.gz fine.nii.gz model.pt --generator srcnn --residual --depth 2
#include "ModuleDescriptions.h"
#include "TrainingRun.h"

#include <iostream>
#include <string>
#include <vector>

int
main(int argc, char * argv[])
{
  if (argc < 4)
  {
    std::cerr << "Usage: " << argv[0] << " X_IMAGES Y_IMAGES MODEL [revgan-train options...]\n";
    return 2;
  }
  try
  {
    // revgan-train's own option table: the same names, defaults and checks as the program.
    revgan::CommandLineModule options = revgan::describeTrain();
    std::vector<std::string>  arguments{ "--x", argv[1], "--y", argv[2], "--output", argv[3] };
    arguments.insert(arguments.end(), argv + 4, argv + argc);
    if (!options.parse(arguments))
      return 0; // --help and the like were answered

    int                      iterations = 0;
    revgan::TrainingRunHooks hooks;
    hooks.progress = [&](const revgan::TrainingProgress &) { ++iterations; };
    hooks.report = [](const std::string & line) { std::cout << "TrainModel: " << line << '\n'; };
    const revgan::TrainingRunResult result = revgan::runTraining(options, hooks);

    std::cout << "TrainModel: " << iterations << " iterations; " << result.output << " written";
    if (result.keptBest)
      std::cout << " with the best validated weights (RMSE " << result.keptBest->rmse << ")";
    std::cout << '\n';
    return result.outcome == revgan::TrainingRunResult::Outcome::Finished ? 0 : 1;
  }
  catch (const std::exception & error)
  {
    std::cerr << "TrainModel: error: " << error.what() << '\n';
    return 1;
  }
}
