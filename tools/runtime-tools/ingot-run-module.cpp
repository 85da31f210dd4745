//===- ingot-run-module.cpp - Runs a function of a module -------*- C++ -*-===//
//
//   ingot-run-module --module=m.ingot [--function=main]
//       [--device=cpu|vulkan|vulkan://N] [--threads=N]
//       --input=1x784xf32=0.5 ... [--output=@out.npy ...]
//       [--expected_output=... [--expected_f32_threshold=1e-4]]
//
// Exits 0 on success and 1, after `ingot-run-module: error: ...`, otherwise.
//
//===----------------------------------------------------------------------===//

#include "runtime/ingot_runtime.h"
#include "runtime/tooling/run_module.h"

#include <cstdio>
#include <vector>

using namespace ingot::tooling;

static const char kTool[] = "ingot-run-module";

int main(int argc, char **argv) {
  RunFlags values;
  FlagSet flags;
  registerRunFlags(flags, values, /*withOutputs=*/true);
  std::vector<std::string> positional;
  if (ingot_status_t status = flags.parse(argc, argv, positional, nullptr))
    return reportError(kTool, status);
  if (values.help) {
    std::printf("Usage: %s --module=<file.ingot> [flags]\n\nRuns a function "
                "of an Ingot module and prints or checks its results.\n\n%s",
                kTool, flags.help().c_str());
    return 0;
  }
  if (values.listDevices) {
    if (ingot_status_t status = printDevices(stdout))
      return reportError(kTool, status);
    return 0;
  }
  if (!positional.empty())
    return reportError(
        kTool,
        ingot_status_create(INGOT_STATUS_INVALID_ARGUMENT,
                            ("unexpected argument '" + positional[0] +
                             "' (did you mean --module=" + positional[0] + "?)")
                                .c_str()));

  RunContext context;
  if (ingot_status_t status = prepareRun(values, context))
    return reportError(kTool, status);
  std::vector<ingot_tensor_t *> outputs(
      ingot_function_output_count(context.function), nullptr);
  if (ingot_status_t status = ingot_function_invoke(
          context.device, context.function, context.inputs.data(),
          context.inputs.size(), outputs.size(), outputs.data()))
    return reportError(kTool, status);
  ingot_status_t status =
      processOutputs(values, outputs.data(), outputs.size(), stdout);
  for (ingot_tensor_t *tensor : outputs)
    ingot_tensor_release(tensor);
  if (status)
    return reportError(kTool, status);
  return 0;
}
