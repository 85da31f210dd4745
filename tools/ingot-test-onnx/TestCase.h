//===- TestCase.h - One ONNX backend test case ------------------*- C++ -*-===//
//
// An ONNX backend test case is a directory holding `model.onnx` and
// `test_data_set_N/` folders of `input_K.pb` / `output_K.pb` (serialized
// TensorProtos). Running one compiles the model in process, runs every data
// set on the CPU device and compares the outputs with the references. A
// failure carries a category (`unsupported-op:Abs`, `wrong-result`, ...)
// that the expectations file records.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_TOOLS_INGOT_TEST_ONNX_TESTCASE_H
#define INGOT_TOOLS_INGOT_TEST_ONNX_TESTCASE_H

#include <string>

namespace ingot::test_onnx {

/// Tolerances of the float comparison: an element matches if
/// |got - expected| <= atol + rtol * |expected|.
struct CompareOptions {
  double rtol = 1e-3;
  double atol = 1e-7;
  /// Device to run on (`cpu`, `vulkan`, `vulkan://N`); the model is
  /// compiled for its kind (--target=cpu or --target=vulkan).
  std::string device = "cpu";
};

/// The outcome of one case.
struct CaseResult {
  /// True if every data set ran and matched.
  bool passed = false;
  /// Why it failed (no spaces; empty when it passed).
  std::string category;
  /// The full failure message (empty when it passed).
  std::string reason;
};

/// Runs the case in directory `dir` in this process: compiles `model.onnx`
/// with the compiler C API (whose global initialization must be done), runs
/// each `test_data_set_*` on a one-thread CPU device and compares.
CaseResult runCase(const std::string &dir, const CompareOptions &options);

/// Creates and releases the runtime device `device` (`cpu`, `vulkan`, ...)
/// in this process. Returns "" when it can be created, else the runtime's
/// message; sets `unavailable` when the status is INGOT_STATUS_UNAVAILABLE
/// (no such device on this machine, as opposed to a bad device name).
std::string probeDevice(const std::string &device, bool &unavailable);

/// Classifies compiler diagnostics into a failure category:
/// `unsupported-op:<OpType>`, `unsupported-dtype`, `unsupported-attribute`,
/// `unsupported-opset`, `dynamic-shape`, `invalid-model` or `compile-error`.
std::string classifyCompileError(const std::string &message);

/// Returns the first line of `message` without a leading `<file>:L:C: error: `
/// location prefix.
std::string firstLine(const std::string &message);

} // namespace ingot::test_onnx

#endif // INGOT_TOOLS_INGOT_TEST_ONNX_TESTCASE_H
