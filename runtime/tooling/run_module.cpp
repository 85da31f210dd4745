//===- run_module.cpp - Shared logic of the running tools -------*- C++ -*-===//

#include "runtime/tooling/run_module.h"

#include "runtime/base/status.h"
#include "runtime/tooling/function_io.h"
#include "runtime/tooling/npy.h"

#include <cstdlib>
#include <cstring>

using namespace ingot::runtime;

namespace ingot::tooling {

void registerRunFlags(FlagSet &flags, RunFlags &values, bool withOutputs) {
  flags.addString("module", &values.module,
                  "Module file to load (.ingot); '-' reads stdin.");
  flags.addString("function", &values.function,
                  "Function to run (default: main).");
  flags.addString("device", &values.device,
                  "Device to run on: cpu, vulkan (the first Vulkan device) "
                  "or vulkan://N (default: cpu; see --list_devices).");
  flags.addInt("threads", &values.threads,
               "Worker threads including the caller; 0 = one per core "
               "(default: $INGOT_THREADS or 0).",
               &values.threadsSet);
  flags.addList("input", &values.inputs,
                "An input, repeated in order: 2x3xf32=1,2,3,4,5,6, a splat "
                "1x784xf32=0.5, a scalar f32=1, or @file.npy.");
  if (withOutputs) {
    flags.addList("output", &values.outputs,
                  "Per output, in order: '-' prints, '@file.npy' writes, "
                  "'+file.npy' appends, '' ignores (default: print all).");
    flags.addList("expected_output", &values.expectedOutputs,
                  "Expected value of each output, in order (input grammar, "
                  "or '(ignored)'); a mismatch fails the run.");
    flags.addDouble("expected_f32_threshold", &values.expectedF32Threshold,
                    "Float outputs match if max|actual - expected| / "
                    "max|expected| <= this (default: 1e-4).");
    flags.addInt("output_max_element_count", &values.outputMaxElementCount,
                 "Elements printed per output before '...' (default: 1024).");
  }
  flags.addBool("list_devices", &values.listDevices,
                "Lists the devices of this machine (name: description) and "
                "exits.");
  flags.addBool("help", &values.help, "Shows this help.");
}

RunContext::~RunContext() {
  for (ingot_tensor_t *tensor : inputs)
    ingot_tensor_release(tensor);
  ingot_function_release(function);
  ingot_module_release(module);
  ingot_device_release(device);
  ingot_instance_release(instance);
}

ingot_status_t printDevices(FILE *out) {
  ingot_instance_t *instance = nullptr;
  INGOT_RETURN_IF_ERROR(ingot_instance_create(nullptr, &instance));
  size_t count = 0;
  ingot_status_t status =
      ingot_instance_list_devices(instance, 0, nullptr, &count);
  std::vector<ingot_device_info_t> devices(count);
  if (!status)
    status = ingot_instance_list_devices(instance, devices.size(),
                                         devices.data(), &count);
  ingot_instance_release(instance);
  INGOT_RETURN_IF_ERROR(status);
  for (size_t i = 0; i < count && i < devices.size(); ++i)
    std::fprintf(
        out, "%s: %s%s\n", devices[i].name,
        devices[i].available ? "" : "unavailable: ", devices[i].description);
  std::fflush(out);
  return nullptr;
}

ingot_status_t prepareRun(const RunFlags &flags, RunContext &context) {
  if (flags.module.empty())
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "no module given: use --module=<file.ingot> (or "
                      "--module=- for stdin)");
  int64_t threads = flags.threads;
  if (!flags.threadsSet) {
    const char *env = std::getenv("INGOT_THREADS");
    if (env && *env) {
      char *end = nullptr;
      threads = std::strtoll(env, &end, 10);
      if (*end)
        return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                          "INGOT_THREADS must be an integer, not '%s'", env);
    }
  }
  if (threads < 0 || threads > UINT32_MAX)
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "--threads must be between 0 and %u, not %lld",
                      UINT32_MAX, (long long)threads);
  INGOT_RETURN_IF_ERROR(ingot_instance_create(nullptr, &context.instance));
  ingot_device_options_t deviceOptions;
  ingot_device_options_initialize(&deviceOptions);
  deviceOptions.thread_count = static_cast<uint32_t>(threads);
  INGOT_RETURN_IF_ERROR(ingot_device_create(
      context.instance, flags.device.c_str(), &deviceOptions, &context.device));
  if (flags.module == "-") {
    std::string bytes;
    char chunk[65536];
    size_t read;
    while ((read = std::fread(chunk, 1, sizeof(chunk), stdin)) > 0)
      bytes.append(chunk, read);
    if (std::ferror(stdin))
      return makeStatus(INGOT_STATUS_UNAVAILABLE,
                        "cannot read the module from stdin");
    INGOT_RETURN_IF_ERROR(ingot_module_load_memory(context.instance,
                                                   bytes.data(), bytes.size(),
                                                   "<stdin>", &context.module));
  } else {
    INGOT_RETURN_IF_ERROR(ingot_module_load_file(
        context.instance, flags.module.c_str(), &context.module));
  }
  INGOT_RETURN_IF_ERROR(ingot_module_lookup_function(
      context.module, flags.function.c_str(), &context.function));
  for (size_t i = 0; i < flags.inputs.size(); ++i) {
    ingot_tensor_t *tensor = nullptr;
    INGOT_RETURN_IF_ERROR(annotateStatus(parseTensor(flags.inputs[i], &tensor),
                                         formatString("--input %zu: ", i)));
    context.inputs.push_back(tensor);
  }
  return nullptr;
}

ingot_status_t processOutputs(const RunFlags &flags,
                              ingot_tensor_t *const *outputs, size_t count,
                              FILE *out) {
  if (!flags.outputs.empty() && flags.outputs.size() != count)
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "%zu --output flags given but the function has %zu "
                      "outputs (give one per output, '' to ignore one)",
                      flags.outputs.size(), count);
  if (!flags.expectedOutputs.empty() && flags.expectedOutputs.size() != count)
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "%zu --expected_output flags given but the function has "
                      "%zu outputs (use '(ignored)' to skip one)",
                      flags.expectedOutputs.size(), count);
  size_t maxElements = flags.outputMaxElementCount < 0
                           ? SIZE_MAX
                           : static_cast<size_t>(flags.outputMaxElementCount);
  for (size_t i = 0; i < count; ++i) {
    std::string target = flags.outputs.empty() ? "-" : flags.outputs[i];
    if (target == "-") {
      std::fprintf(out, "result[%zu]: %s\n", i,
                   formatTensor(outputs[i], maxElements).c_str());
    } else if (!target.empty() && (target[0] == '@' || target[0] == '+')) {
      INGOT_RETURN_IF_ERROR(annotateStatus(
          npyWriteFile(target.substr(1), outputs[i], target[0] == '+'),
          formatString("result[%zu]: ", i)));
    } else if (!target.empty()) {
      return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                        "invalid --output '%s': expected '-', '@file.npy', "
                        "'+file.npy' or '' to ignore",
                        target.c_str());
    }
  }
  size_t failures = 0;
  for (size_t i = 0; i < flags.expectedOutputs.size(); ++i) {
    const std::string &spec = flags.expectedOutputs[i];
    if (spec == "(ignored)")
      continue;
    ingot_tensor_t *expected = nullptr;
    INGOT_RETURN_IF_ERROR(
        annotateStatus(parseTensor(spec, &expected),
                       formatString("--expected_output %zu: ", i)));
    std::string message;
    bool match = compareTensors(outputs[i], expected,
                                flags.expectedF32Threshold, message);
    ingot_tensor_release(expected);
    if (match) {
      std::fprintf(out, "[SUCCESS] result[%zu] matches\n", i);
    } else {
      std::fprintf(out, "[FAILED] result[%zu]: %s\n", i, message.c_str());
      ++failures;
    }
  }
  std::fflush(out);
  if (failures)
    return makeStatus(INGOT_STATUS_FAILED_PRECONDITION,
                      "%zu of %zu outputs did not match the expected values",
                      failures, flags.expectedOutputs.size());
  return nullptr;
}

int reportError(const char *tool, ingot_status_t status) {
  std::fflush(stdout);
  std::fprintf(stderr, "%s: error: %s\n", tool, ingot_status_message(status));
  ingot_status_free(status);
  return 1;
}

} // namespace ingot::tooling
