//===- test_module_builder.h - Builds .ingot modules for tests --*- C++ -*-===//
//
// Writes small module files with the FlatBuffers builder, the way the
// compiler's module writer lays them out (FlatBuffer, then 64-byte-aligned
// segments). The default module is:
//
//   main(x: 8xf32) -> (y: 8xf32, z: 8xf32)
//     %0 = input 0, %1 = constant 0 'c' (8xf32: 0..7), %2 = transient,
//     %3 = output 0, %4 = output 1
//     dispatch add(%0, %1, %2) [8, 4]   (2 workgroups)
//     dispatch add_one(%2, %3) [8, 2]   (4 workgroups)
//     copy %2 -> %4
//
// so y = x + c + 1 and z = x + c. The CpuElf executable holds the kernels of
// test_kernels.c; with `spirv` set, a SpirV executable (test_kernels.spvasm:
// add with LocalSize 4 over [2, 1, 1] workgroups, add_one with LocalSize 2
// over [4, 1, 1]) follows it, so one module runs on both devices. Knobs in
// TestModuleOptions break single invariants for verifier and device tests;
// `variants` adds a function whose size variant `main` is.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_TESTS_UNIT_TEST_MODULE_BUILDER_H
#define INGOT_TESTS_UNIT_TEST_MODULE_BUILDER_H

#include <cstdint>
#include <string>
#include <vector>

namespace ingot::test {

/// What to put into the test module; defaults give a valid module.
struct TestModuleOptions {
  /// Bytes of the CpuElf executable (a real .so for e2e tests).
  std::string executable = std::string(128, '\x7f');
  /// Include the CpuElf executable at all.
  bool withExecutable = true;
  uint32_t version = 1;
  const char *identifier = "INGT";
  /// Added to the constant segment's offset (non-zero misaligns it).
  uint64_t constantOffsetDelta = 0;
  /// Added to the constant segment's size.
  int64_t constantSizeDelta = 0;
  uint32_t constantBufferIndex = 0;
  uint32_t inputBufferIndex = 0;
  uint32_t addKernelIndex = 0;
  uint32_t addOneBinding = 2;
  uint64_t copySize = 32;
  uint64_t transientOffset = 0;
  uint64_t arenaSize = 64;
  uint32_t workgroupX = 2;
  /// Entry points beyond the two kernels.
  uint32_t extraEntryPoints = 0;
  /// Element type of input 0 (schema value).
  uint8_t inputElementType = 0;
  /// Dim 0 of input 0 (-1 makes it dynamic).
  int64_t inputDim = 8;
  /// Dim 0 of both outputs (-1: batched, with batchTile).
  int64_t outputDim = 8;
  /// Function.batch_tile (0: none).
  uint32_t batchTile = 0;
  /// Copies into the input buffer instead of the second output.
  bool copyToInput = false;
  /// Drops this many bytes from the end of the file.
  size_t truncateBy = 0;
  /// Push constant n of both dispatches (elements the kernels write).
  int64_t pushN = 8;
  /// Bytes of a SpirV executable to add after the CpuElf one ("" for none).
  std::string spirv;
  /// Give the SpirV executable its spirv_target.
  bool withSpirvTarget = true;
  /// SpirvTarget fields.
  uint32_t spirvVersion = 0x10300;
  uint32_t vulkanVersion = (1u << 22) | (1u << 12); // Vulkan 1.1
  std::vector<std::string> spirvCapabilities = {"Shader", "Int64"};
  std::vector<std::string> spirvExtensions;
  uint32_t maxWorkgroupInvocations = 4;
  /// Non-empty: a second function `sized(x: Dx) -> (y: D, z: D)` with D =
  /// `sizedDim` lists these function indices as its size variants (index 0
  /// is `main`, 1 is `sized` itself). Needs version 2.
  std::vector<uint32_t> variants;
  /// Dim 0 of the parameters of `sized`.
  int64_t sizedDim = -1;
  /// Give `sized` a host program too (main's buffers and commands).
  bool sizedWithProgram = false;
  /// Makes output z a check output with this message (null: an ordinary
  /// output).
  const char *zCheckMessage = nullptr;
};

/// Builds the module file described by `options`.
std::string buildTestModule(const TestModuleOptions &options = {});

/// Builds a module without kernels or executables whose function runs only
/// copies, two of them between overlapping parts of the arena:
///
///   shift(x: 32xf32) -> (y: 32xf32, k: 32xf32)
///     %0 = input 0, %1 = transient [0, 128), %2 = transient [64, 192),
///     %3 = output 0, %4 = constant 0 'k' (32xf32: 100..131), %5 = output 1
///     copy %0 -> %1; copy %1 -> %2 (overlapping); copy %2 -> %3;
///     copy %4 -> %5
///
/// so y = x and k is the constant.
std::string buildCopyModule();

/// Reads the file at `path` (the test kernels .so or .spv) into a string;
/// aborts the test binary if it cannot.
std::string readBinaryFile(const std::string &path);

} // namespace ingot::test

#endif // INGOT_TESTS_UNIT_TEST_MODULE_BUILDER_H
