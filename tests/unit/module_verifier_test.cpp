//===- module_verifier_test.cpp - Verifier robustness tests -----*- C++ -*-===//
//
// The verifier must accept valid modules and reject every truncated, bit
// flipped or otherwise inconsistent one with a clear message, never reading
// outside the file.
//
//===----------------------------------------------------------------------===//

#include "runtime/ingot_runtime.h"
#include "runtime/module/module.h"
#include "runtime/tooling/dump_module.h"
#include "tests/unit/test_module_builder.h"

#include <cstdio>
#include <cstring>
#include <gtest/gtest.h>
#include <random>

namespace {

using ingot::test::buildTestModule;
using ingot::test::TestModuleOptions;

/// Verifies `bytes` (copied to aligned storage) and returns the status.
ingot_status_t verify(const std::string &bytes) {
  std::unique_ptr<ingot::runtime::ModuleImage> image;
  return ingot::runtime::ModuleImage::loadMemory(bytes.data(), bytes.size(),
                                                 "test.ingot", image);
}

/// Expects `bytes` to be rejected with a message containing `needle`.
void expectRejected(const std::string &bytes, const std::string &needle) {
  ingot_status_t status = verify(bytes);
  ASSERT_NE(status, nullptr) << "expected an error containing: " << needle;
  std::string message = ingot_status_message(status);
  EXPECT_NE(message.find(needle), std::string::npos) << message;
  EXPECT_EQ(message.rfind("test.ingot: ", 0), 0u) << message;
  ingot_status_free(status);
}

/// Loads `bytes` through the C API and, if accepted, dumps the module: a
/// module the verifier accepts must be safe to walk completely.
bool loadAndDump(const std::string &bytes) {
  ingot_instance_t *instance = nullptr;
  ingot_status_free(ingot_instance_create(nullptr, &instance));
  ingot_module_t *module = nullptr;
  ingot_status_t status = ingot_module_load_memory(
      instance, bytes.data(), bytes.size(), "test.ingot", &module);
  bool accepted = status == nullptr;
  if (status)
    EXPECT_GT(std::strlen(ingot_status_message(status)), 12u);
  ingot_status_free(status);
  if (module) {
    FILE *sink = std::fopen("/dev/null", "w");
    ingot::tooling::dumpModule(module, sink);
    std::fclose(sink);
  }
  ingot_module_release(module);
  ingot_instance_release(instance);
  return accepted;
}

TEST(ModuleVerifier, AcceptsValidModule) {
  ingot_status_t status = verify(buildTestModule());
  EXPECT_EQ(status, nullptr) << ingot_status_message(status);
  ingot_status_free(status);
}

TEST(ModuleVerifier, RejectsEveryTruncation) {
  std::string module = buildTestModule();
  for (size_t length = 0; length < module.size(); ++length) {
    ingot_status_t status = verify(module.substr(0, length));
    ASSERT_NE(status, nullptr) << "prefix of " << length << " bytes accepted";
    EXPECT_GT(std::strlen(ingot_status_message(status)), 12u);
    ingot_status_free(status);
  }
}

TEST(ModuleVerifier, TruncatedSegmentMessage) {
  TestModuleOptions options;
  options.truncateBy = 1;
  std::string module = buildTestModule(options);
  expectRejected(module, "truncated: file is " + std::to_string(module.size()) +
                             " bytes but executable 0 (CpuElf) segment ends "
                             "at " +
                             std::to_string(module.size() + 1));
}

TEST(ModuleVerifier, SurvivesEveryBitFlip) {
  std::string module = buildTestModule();
  size_t accepted = 0, rejected = 0;
  for (size_t byte = 0; byte < module.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string corrupted = module;
      corrupted[byte] = static_cast<char>(corrupted[byte] ^ (1 << bit));
      if (loadAndDump(corrupted))
        ++accepted;
      else
        ++rejected;
    }
  }
  // Flips in data segments and padding are harmless; flips in the header,
  // offsets and indices must be caught.
  EXPECT_GT(rejected, module.size());
  EXPECT_GT(accepted, 0u);
}

TEST(ModuleVerifier, SurvivesByteOverwrites) {
  std::string module = buildTestModule();
  const uint8_t patterns[] = {0x00, 0xff, 0x80, 0x7f, 0x40};
  for (size_t byte = 0; byte < module.size(); ++byte) {
    for (uint8_t pattern : patterns) {
      std::string corrupted = module;
      corrupted[byte] = static_cast<char>(pattern);
      loadAndDump(corrupted);
    }
  }
}

TEST(ModuleVerifier, SurvivesRandomMultiByteCorruption) {
  std::string module = buildTestModule();
  std::mt19937 random(1234);
  size_t rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string corrupted = module;
    int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e)
      corrupted[random() % corrupted.size()] = static_cast<char>(random());
    rejected += !loadAndDump(corrupted);
  }
  EXPECT_GT(rejected, 0u);
}

TEST(ModuleVerifier, RejectsWrongIdentifier) {
  TestModuleOptions options;
  options.identifier = "ONNX";
  expectRejected(buildTestModule(options),
                 "not an Ingot module (identifier 'ONNX', expected 'INGT')");
  expectRejected(std::string("\x01\x02", 2), "not an Ingot module: file is 2");
  expectRejected("", "file is 0 bytes");
}

TEST(ModuleVerifier, RejectsWrongVersion) {
  TestModuleOptions options;
  options.version = 7;
  ingot_status_t status = verify(buildTestModule(options));
  ASSERT_NE(status, nullptr);
  EXPECT_STREQ(ingot_status_message(status),
               "test.ingot: unsupported module version 7 (this runtime reads "
               "1 to 2)");
  EXPECT_EQ(ingot_status_code(status), INGOT_STATUS_UNIMPLEMENTED);
  ingot_status_free(status);
}

TEST(ModuleVerifier, RejectsCheckOutputsInVersion1) {
  TestModuleOptions options;
  options.zCheckMessage = "z must hold";
  ingot_status_t status = verify(buildTestModule(options));
  ASSERT_NE(status, nullptr);
  EXPECT_STREQ(ingot_status_message(status),
               "test.ingot: function 'main' output 1 'z' is a check output, "
               "which needs module version 2 (the module is version 1)");
  ingot_status_free(status);
}

TEST(ModuleVerifier, RejectsNonScalarCheckOutputs) {
  TestModuleOptions options;
  options.version = 2;
  options.zCheckMessage = "z must hold";
  ingot_status_t status = verify(buildTestModule(options));
  ASSERT_NE(status, nullptr);
  EXPECT_STREQ(ingot_status_message(status),
               "test.ingot: function 'main' output 1 'z' is a check output "
               "but has type 8xf32 (expected a rank-0 integer)");
  ingot_status_free(status);
}

TEST(ModuleVerifier, AcceptsVersion2) {
  TestModuleOptions options;
  options.version = 2;
  ingot_status_t status = verify(buildTestModule(options));
  EXPECT_EQ(status, nullptr) << ingot_status_message(status);
  ingot_status_free(status);
}

TEST(ModuleVerifier, RejectsMisalignedSegment) {
  TestModuleOptions options;
  options.constantOffsetDelta = 4;
  expectRejected(buildTestModule(options), "constant 0 'c' segment offset");
}

TEST(ModuleVerifier, RejectsConstantSizeMismatch) {
  TestModuleOptions options;
  options.constantSizeDelta = -4;
  expectRejected(buildTestModule(options),
                 "constant 0 'c' of type 8xf32 needs 32 bytes but its "
                 "segment has 28");
}

TEST(ModuleVerifier, RejectsBadBufferIndices) {
  TestModuleOptions constant;
  constant.constantBufferIndex = 3;
  expectRejected(buildTestModule(constant),
                 "buffer 1 refers to constant 3 but the module has 1");
  TestModuleOptions input;
  input.inputBufferIndex = 1;
  expectRejected(buildTestModule(input),
                 "buffer 0 refers to input 1 but the function has 1 inputs");
}

TEST(ModuleVerifier, RejectsBadCommands) {
  TestModuleOptions kernel;
  kernel.addKernelIndex = 2;
  expectRejected(buildTestModule(kernel),
                 "command 0 dispatches kernel 2 but the module has 2 kernels");
  TestModuleOptions binding;
  binding.addOneBinding = 5;
  expectRejected(buildTestModule(binding),
                 "command 1 binding 0 refers to buffer 5 but the function has "
                 "5 buffers");
  TestModuleOptions copy;
  copy.copySize = 33;
  expectRejected(buildTestModule(copy), "command 2 copies 33 bytes");
  TestModuleOptions readOnly;
  readOnly.copyToInput = true;
  expectRejected(buildTestModule(readOnly),
                 "command 2 writes to read-only buffer 0 (Input)");
}

TEST(ModuleVerifier, RejectsTransientOutsideArena) {
  TestModuleOptions offset;
  offset.transientOffset = 64;
  expectRejected(buildTestModule(offset), "ends beyond the arena of 64 bytes");
  TestModuleOptions misaligned;
  misaligned.transientOffset = 8;
  expectRejected(buildTestModule(misaligned), "is not a multiple of 64");
  TestModuleOptions small;
  small.arenaSize = 16;
  expectRejected(buildTestModule(small), "ends beyond the arena of 16 bytes");
}

TEST(ModuleVerifier, RejectsBadExecutables) {
  TestModuleOptions extra;
  extra.extraEntryPoints = 1;
  expectRejected(buildTestModule(extra),
                 "executable 0 (CpuElf) has 3 entry points but the module has "
                 "2 kernels");
  TestModuleOptions grid;
  grid.workgroupX = 0;
  expectRejected(buildTestModule(grid), "has a zero workgroup count");
}

TEST(ModuleVerifier, SpirvExecutables) {
  TestModuleOptions options;
  options.spirv = ingot::test::readBinaryFile(INGOT_TEST_SPIRV_PATH);
  ingot_status_t status = verify(buildTestModule(options));
  EXPECT_EQ(status, nullptr) << ingot_status_message(status);
  ingot_status_free(status);

  TestModuleOptions noTarget = options;
  noTarget.withSpirvTarget = false;
  expectRejected(buildTestModule(noTarget),
                 "test.ingot: executable 1 (SpirV) has no spirv_target (the "
                 "SPIR-V target environment is required)");
  TestModuleOptions partialWord = options;
  partialWord.spirv += "xy";
  expectRejected(buildTestModule(partialWord),
                 "executable 1 (SpirV) is " +
                     std::to_string(partialWord.spirv.size()) +
                     " bytes, not a whole number of 32-bit SPIR-V words");
  TestModuleOptions badMagic = options;
  badMagic.spirv = std::string("\x03\x02\x23\x08", 4) + options.spirv.substr(4);
  expectRejected(buildTestModule(badMagic),
                 "executable 1 (SpirV) does not start with the SPIR-V magic "
                 "number 0x07230203 (found 0x08230203)");
  TestModuleOptions bigEndian = options;
  bigEndian.spirv =
      std::string("\x07\x23\x02\x03", 4) + options.spirv.substr(4);
  expectRejected(buildTestModule(bigEndian), "(found 0x03022307)");
}

TEST(ModuleVerifier, SurvivesCorruptedSpirvModules) {
  // Every bit flip of a module with both executables is rejected or loads
  // and dumps safely.
  TestModuleOptions options;
  options.spirv = ingot::test::readBinaryFile(INGOT_TEST_SPIRV_PATH);
  options.executable = std::string(64, '\x7f');
  std::string bytes = buildTestModule(options);
  size_t flatbufferEnd = bytes.size() - options.spirv.size();
  size_t rejected = 0;
  for (size_t byte = 0; byte < flatbufferEnd; ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string corrupted = bytes;
      corrupted[byte] = static_cast<char>(corrupted[byte] ^ (1 << bit));
      rejected += !loadAndDump(corrupted);
    }
  }
  EXPECT_GT(rejected, flatbufferEnd);
}

TEST(ModuleVerifier, RejectsBadSignatures) {
  TestModuleOptions type;
  type.inputElementType = 99;
  expectRejected(buildTestModule(type), "has invalid element type 99");
  TestModuleOptions dim;
  dim.inputDim = -2;
  expectRejected(buildTestModule(dim), "has invalid dim -2");
  TestModuleOptions dynamic;
  dynamic.inputDim = -1;
  ingot_status_t status = verify(buildTestModule(dynamic));
  EXPECT_EQ(status, nullptr) << ingot_status_message(status);
  ingot_status_free(status);
}

TEST(ModuleVerifier, BatchTile) {
  // Batched input and outputs with buffers of one 8-row tile: valid.
  TestModuleOptions batched;
  batched.inputDim = -1;
  batched.outputDim = -1;
  batched.batchTile = 8;
  ingot_status_t status = verify(buildTestModule(batched));
  EXPECT_EQ(status, nullptr) << ingot_status_message(status);
  ingot_status_free(status);
  // Buffers larger than one tile.
  TestModuleOptions small = batched;
  small.batchTile = 4;
  expectRejected(buildTestModule(small),
                 "function 'main' buffer 0 (Input 0) is 32 bytes but its "
                 "storage has 16");
  // Dynamic outputs need a batch tile (what a runtime without batch tiles
  // says too).
  TestModuleOptions noTile = batched;
  noTile.batchTile = 0;
  expectRejected(buildTestModule(noTile),
                 "function 'main' output 0 'y' has a dynamic dim; it needs a "
                 "static shape");
  // The batch size comes from a batched input.
  TestModuleOptions noInput = batched;
  noInput.inputDim = 8;
  expectRejected(buildTestModule(noInput),
                 "function 'main' has batch tile 8 but no batched input");
  TestModuleOptions huge = batched;
  huge.batchTile = (1u << 20) + 1;
  expectRejected(buildTestModule(huge), "has batch tile 1048577 (the maximum "
                                        "is 1048576)");
}

TEST(ModuleVerifier, SizeVariants) {
  // sized(x: ?) lists main(x: 8) as its one size variant: valid, and only
  // sized is exported.
  TestModuleOptions valid;
  valid.version = 2;
  valid.variants = {0};
  ingot_status_t status = verify(buildTestModule(valid));
  EXPECT_EQ(status, nullptr) << ingot_status_message(status);
  ingot_status_free(status);
  EXPECT_TRUE(loadAndDump(buildTestModule(valid)));
  {
    std::string bytes = buildTestModule(valid);
    ingot_instance_t *instance = nullptr;
    ingot_status_free(ingot_instance_create(nullptr, &instance));
    ingot_module_t *module = nullptr;
    ASSERT_EQ(ingot_module_load_memory(instance, bytes.data(), bytes.size(),
                                       "test.ingot", &module),
              nullptr);
    ASSERT_EQ(ingot_module_function_count(module), 1u);
    EXPECT_STREQ(ingot_module_function_name(module, 0), "sized");
    ingot_function_t *function = nullptr;
    status = ingot_module_lookup_function(module, "main", &function);
    ASSERT_NE(status, nullptr);
    EXPECT_EQ(ingot_status_code(status), INGOT_STATUS_NOT_FOUND);
    EXPECT_NE(std::string(ingot_status_message(status))
                  .find("'main' is a size variant of 'sized'"),
              std::string::npos)
        << ingot_status_message(status);
    ingot_status_free(status);
    ASSERT_EQ(ingot_module_lookup_function(module, "sized", &function),
              nullptr);
    ingot_function_release(function);
    ingot_module_release(module);
    ingot_instance_release(instance);
  }

  // What a version-1 runtime sees first; a version-1 file may not use them.
  TestModuleOptions v1 = valid;
  v1.version = 1;
  expectRejected(buildTestModule(v1), "function 'sized' has size variants, "
                                      "which need module version 2");
  TestModuleOptions range = valid;
  range.variants = {5};
  expectRejected(buildTestModule(range), "function 'sized' variant 0 is "
                                         "function 5 but the module has 2 "
                                         "functions");
  TestModuleOptions self = valid;
  self.variants = {1};
  expectRejected(buildTestModule(self), "variants cannot nest");
  TestModuleOptions twice = valid;
  twice.variants = {0, 0};
  expectRejected(buildTestModule(twice), "is also a variant of function "
                                         "'sized'");
  TestModuleOptions program = valid;
  program.sizedWithProgram = true;
  expectRejected(buildTestModule(program), "function 'sized' has size "
                                           "variants and a host program");
  // The variant is static where the function is dynamic, and equal
  // elsewhere.
  TestModuleOptions dynamicVariant = valid;
  dynamicVariant.inputDim = -1;
  expectRejected(buildTestModule(dynamicVariant),
                 "function 'sized' variant 0 ('main') input 0 dim 0 is "
                 "dynamic; variants are static in the function's dynamic "
                 "dims");
  TestModuleOptions otherSize = valid;
  otherSize.sizedDim = 4;
  expectRejected(buildTestModule(otherSize),
                 "function 'sized' variant 0 ('main') input 0 dim 0 is 8 but "
                 "the function's is 4");
}

TEST(ModuleVerifier, LoadFileErrors) {
  std::unique_ptr<ingot::runtime::ModuleImage> image;
  ingot_status_t status =
      ingot::runtime::ModuleImage::loadFile("/nonexistent/model.ingot", image);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(ingot_status_code(status), INGOT_STATUS_NOT_FOUND);
  EXPECT_NE(std::string(ingot_status_message(status))
                .find("/nonexistent/model.ingot: cannot open"),
            std::string::npos);
  ingot_status_free(status);
  status = ingot::runtime::ModuleImage::loadFile("/", image);
  ASSERT_NE(status, nullptr);
  ingot_status_free(status);
}

} // namespace
