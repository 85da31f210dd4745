//===- ingot-dump-module.cpp - Prints the contents of a module --*- C++ -*-===//
//
//   ingot-dump-module m.ingot      ('-' reads stdin)
//
// Verifies the module like the runtime does, then prints its version,
// producer, function signatures and host programs, kernels, executables and
// constants. Exits 1 with `ingot-dump-module: error: ...` on a bad module.
//
//===----------------------------------------------------------------------===//

#include "runtime/ingot_runtime.h"
#include "runtime/tooling/dump_module.h"
#include "runtime/tooling/npy.h"
#include "runtime/tooling/run_module.h"

#include <cstdio>

using namespace ingot::tooling;

static const char kTool[] = "ingot-dump-module";

int main(int argc, char **argv) {
  bool help = false;
  FlagSet flags;
  flags.addBool("help", &help, "Shows this help.");
  std::vector<std::string> positional;
  if (ingot_status_t status = flags.parse(argc, argv, positional, nullptr))
    return reportError(kTool, status);
  if (help) {
    std::printf("Usage: %s <file.ingot | ->\n\nPrints the contents of an "
                "Ingot module.\n\n%s",
                kTool, flags.help().c_str());
    return 0;
  }
  if (positional.size() != 1)
    return reportError(
        kTool, ingot_status_create(INGOT_STATUS_INVALID_ARGUMENT,
                                   "expected exactly one module file (or '-' "
                                   "for stdin); see --help"));

  ingot_instance_t *instance = nullptr;
  if (ingot_status_t status = ingot_instance_create(nullptr, &instance))
    return reportError(kTool, status);
  ingot_module_t *module = nullptr;
  ingot_status_t status;
  if (positional[0] == "-") {
    std::string bytes;
    status = readFile("/dev/stdin", bytes);
    if (!status)
      status = ingot_module_load_memory(instance, bytes.data(), bytes.size(),
                                        "<stdin>", &module);
  } else {
    status = ingot_module_load_file(instance, positional[0].c_str(), &module);
  }
  if (status) {
    ingot_instance_release(instance);
    return reportError(kTool, status);
  }
  dumpModule(module, stdout);
  ingot_module_release(module);
  ingot_instance_release(instance);
  return 0;
}
