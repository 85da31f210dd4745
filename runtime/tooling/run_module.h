//===- run_module.h - Shared logic of the module-running tools --*- C++ -*-===//
//
// What ingot-run-module and ingot-benchmark-module have in common: their
// flags, loading the module (from a file or stdin), creating the device,
// looking up the function and parsing the inputs; plus the output handling of
// ingot-run-module (printing, .npy files, expected-output checks).
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_TOOLING_RUN_MODULE_H
#define INGOT_RUNTIME_TOOLING_RUN_MODULE_H

#include "runtime/ingot_runtime.h"
#include "runtime/tooling/flags.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace ingot::tooling {

/// Flags shared by the running tools.
struct RunFlags {
  std::string module;
  std::string function = "main";
  std::string device = "cpu";
  int64_t threads = 0;
  bool threadsSet = false;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::vector<std::string> expectedOutputs;
  double expectedF32Threshold = 1e-4;
  int64_t outputMaxElementCount = 1024;
  bool listDevices = false;
  bool help = false;
};

/// Registers the flags of RunFlags; output flags only if `withOutputs`.
void registerRunFlags(FlagSet &flags, RunFlags &values, bool withOutputs);

/// Everything needed to invoke the function; releases it all on destruction.
struct RunContext {
  RunContext() = default;
  RunContext(const RunContext &) = delete;
  RunContext &operator=(const RunContext &) = delete;
  ~RunContext();

  ingot_instance_t *instance = nullptr;
  ingot_device_t *device = nullptr;
  ingot_module_t *module = nullptr;
  ingot_function_t *function = nullptr;
  std::vector<ingot_tensor_t *> inputs;
};

/// Loads the module (`-` reads stdin), creates the device with the thread
/// count (--threads, else $INGOT_THREADS, else all cores), looks up the
/// function and parses the inputs.
ingot_status_t prepareRun(const RunFlags &flags, RunContext &context);

/// Prints the devices of the machine, one a line: `cpu: 2 threads`,
/// `vulkan://0: llvmpipe (...) (Vulkan 1.3, cpu)`, or
/// `vulkan: unavailable: <why>`.
ingot_status_t printDevices(FILE *out);

/// Handles the outputs of one invocation per the --output and
/// --expected_output flags: prints (`-`, or everything when no --output is
/// given), writes .npy files (`@f.npy`, appends with `+f.npy`) and compares.
/// Fails if an output cannot be written or does not match.
ingot_status_t processOutputs(const RunFlags &flags,
                              ingot_tensor_t *const *outputs, size_t count,
                              FILE *out);

/// Prints `<tool>: error: <message>` to stderr, frees `status` and returns 1.
int reportError(const char *tool, ingot_status_t status);

} // namespace ingot::tooling

#endif // INGOT_RUNTIME_TOOLING_RUN_MODULE_H
