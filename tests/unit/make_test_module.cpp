//===- make_test_module.cpp - Writes lit test modules -----------*- C++ -*-===//
//
//   ingot-test-make-module <out.ingot> [--version=N] [--identifier=XXXX]
//       [--truncate=N] [--no-executable] [--garbage-executable]
//       [--spirv [--spirv-extension=SPV_...]... [--vulkan-minor=N]]
//
// Writes the module of tests/unit/test_module_builder.h with the test kernels
// shared object as its CpuElf executable and, with --spirv, the assembled
// test_kernels.spvasm as its SpirV executable, optionally broken, so the lit
// tests of the runtime tools (tests/Tools) need no compiler.
//
//===----------------------------------------------------------------------===//

#include "runtime/tooling/flags.h"
#include "tests/unit/test_module_builder.h"

#include <cstdio>

int main(int argc, char **argv) {
  int64_t version = 1, truncate = 0;
  std::string identifier = "INGT";
  bool noExecutable = false, garbageExecutable = false, spirv = false;
  std::vector<std::string> spirvExtensions;
  int64_t vulkanMinor = 1;
  ingot::tooling::FlagSet flags;
  flags.addInt("version", &version, "Module version to write.");
  flags.addString("identifier", &identifier, "File identifier (4 chars).");
  flags.addInt("truncate", &truncate, "Bytes to drop from the end.");
  flags.addBool("no-executable", &noExecutable, "Omit the executable.");
  flags.addBool("garbage-executable", &garbageExecutable,
                "Use non-ELF bytes as the executable.");
  flags.addBool("spirv", &spirv, "Add the SpirV executable.");
  flags.addList("spirv-extension", &spirvExtensions,
                "A SPIR-V extension the SpirV target declares.");
  flags.addInt("vulkan-minor", &vulkanMinor,
               "Minor version of the Vulkan 1.x the SpirV target needs.");
  std::vector<std::string> positional;
  if (ingot_status_t status = flags.parse(argc, argv, positional, nullptr)) {
    std::fprintf(stderr, "ingot-test-make-module: error: %s\n",
                 ingot_status_message(status));
    ingot_status_free(status);
    return 1;
  }
  if (positional.size() != 1 || identifier.size() != 4) {
    std::fprintf(stderr,
                 "usage: ingot-test-make-module <out.ingot> [flags]\n%s",
                 flags.help().c_str());
    return 1;
  }
  ingot::test::TestModuleOptions options;
  options.version = static_cast<uint32_t>(version);
  options.identifier = identifier.c_str();
  options.truncateBy = static_cast<size_t>(truncate);
  options.withExecutable = !noExecutable;
  options.executable =
      garbageExecutable ? std::string(256, 'x')
                        : ingot::test::readBinaryFile(INGOT_TEST_KERNELS_PATH);
  if (spirv)
    options.spirv = ingot::test::readBinaryFile(INGOT_TEST_SPIRV_PATH);
  options.spirvExtensions = spirvExtensions;
  options.vulkanVersion =
      (1u << 22) | (static_cast<uint32_t>(vulkanMinor & 0x3ff) << 12);
  std::string bytes = ingot::test::buildTestModule(options);
  FILE *file = std::fopen(positional[0].c_str(), "wb");
  if (!file ||
      std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size()) {
    std::fprintf(stderr, "ingot-test-make-module: error: cannot write %s\n",
                 positional[0].c_str());
    return 1;
  }
  std::fclose(file);
  return 0;
}
