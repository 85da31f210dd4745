//===- ingot-benchmark-module.cpp - Benchmarks a function -------*- C++ -*-===//
//
//   ingot-benchmark-module --module=m.ingot [--function=main]
//       [--device=cpu|vulkan|vulkan://N] [--threads=N] --input=...
//       [--benchmark_* flags of Google Benchmark]
//
// Times `ingot_function_invoke` with Google Benchmark. Flags this tool does
// not know go to benchmark::Initialize. Unless overridden, it runs 10
// repetitions and reports only the aggregates: mean, median, stddev, cv and
// p90 (added here).
//
//===----------------------------------------------------------------------===//

#include "runtime/ingot_runtime.h"
#include "runtime/tooling/run_module.h"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

using namespace ingot::tooling;

static const char kTool[] = "ingot-benchmark-module";

/// The 90th percentile (nearest rank) of the repetitions' times.
static double percentile90(const std::vector<double> &values) {
  if (values.empty())
    return 0.0;
  std::vector<double> sorted(values);
  std::sort(sorted.begin(), sorted.end());
  size_t rank = static_cast<size_t>(std::ceil(0.9 * sorted.size()));
  return sorted[rank ? rank - 1 : 0];
}

/// Runs one invocation; returns false (with `error`) if it fails.
static bool invokeOnce(RunContext &context, std::string &error) {
  std::vector<ingot_tensor_t *> outputs(
      ingot_function_output_count(context.function), nullptr);
  ingot_status_t status = ingot_function_invoke(
      context.device, context.function, context.inputs.data(),
      context.inputs.size(), outputs.size(), outputs.data());
  for (ingot_tensor_t *tensor : outputs)
    ingot_tensor_release(tensor);
  if (!status)
    return true;
  error = ingot_status_message(status);
  ingot_status_free(status);
  return false;
}

static void benchmarkFunction(benchmark::State &state, RunContext *context) {
  std::string error;
  for (auto _ : state) {
    if (!invokeOnce(*context, error)) {
      state.SkipWithError(error.c_str());
      break;
    }
  }
}

/// Returns true if some argument starts with `prefix`.
static bool hasFlag(const std::vector<std::string> &args, const char *prefix) {
  for (const std::string &arg : args)
    if (arg.rfind(prefix, 0) == 0)
      return true;
  return false;
}

int main(int argc, char **argv) {
  RunFlags values;
  FlagSet flags;
  registerRunFlags(flags, values, /*withOutputs=*/false);
  std::vector<std::string> positional, passThrough;
  if (ingot_status_t status = flags.parse(argc, argv, positional, &passThrough))
    return reportError(kTool, status);
  if (values.help) {
    std::printf("Usage: %s --module=<file.ingot> [flags] [--benchmark_*]\n\n"
                "Benchmarks a function of an Ingot module with Google "
                "Benchmark (10 repetitions, aggregates only, unless "
                "--benchmark_repetitions / "
                "--benchmark_report_aggregates_only say otherwise).\n\n%s",
                kTool, flags.help().c_str());
    return 0;
  }
  if (values.listDevices) {
    if (ingot_status_t status = printDevices(stdout))
      return reportError(kTool, status);
    return 0;
  }
  for (const std::string &arg : positional)
    passThrough.push_back(arg);

  RunContext context;
  if (ingot_status_t status = prepareRun(values, context))
    return reportError(kTool, status);
  // One checked run first: bad inputs fail here with a clear error instead of
  // a skipped benchmark.
  std::string error;
  if (!invokeOnce(context, error))
    return reportError(kTool, ingot_status_create(INGOT_STATUS_INVALID_ARGUMENT,
                                                  error.c_str()));

  std::vector<std::string> benchmarkArgs = {argv[0]};
  if (!hasFlag(passThrough, "--benchmark_repetitions"))
    benchmarkArgs.push_back("--benchmark_repetitions=10");
  if (!hasFlag(passThrough, "--benchmark_report_aggregates_only") &&
      !hasFlag(passThrough, "--benchmark_display_aggregates_only"))
    benchmarkArgs.push_back("--benchmark_report_aggregates_only=true");
  benchmarkArgs.insert(benchmarkArgs.end(), passThrough.begin(),
                       passThrough.end());
  std::vector<char *> benchmarkArgv;
  for (std::string &arg : benchmarkArgs)
    benchmarkArgv.push_back(arg.data());
  int benchmarkArgc = static_cast<int>(benchmarkArgv.size());
  benchmarkArgv.push_back(nullptr);
  benchmark::Initialize(&benchmarkArgc, benchmarkArgv.data());
  if (benchmarkArgc > 1)
    return reportError(kTool,
                       ingot_status_create(INGOT_STATUS_INVALID_ARGUMENT,
                                           (std::string("unknown flag '") +
                                            benchmarkArgv[1] + "' (see --help)")
                                               .c_str()));

  benchmark::AddCustomContext("ingot_module", values.module);
  benchmark::AddCustomContext("ingot_device", values.device);
  benchmark::AddCustomContext(
      "ingot_threads",
      std::to_string(ingot_device_thread_count(context.device)));
  std::string name = "BM_" + values.function;
  benchmark::RegisterBenchmark(name.c_str(), benchmarkFunction, &context)
      ->MeasureProcessCPUTime()
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond)
      ->ComputeStatistics("p90", percentile90);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
