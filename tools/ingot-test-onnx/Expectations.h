//===- Expectations.h - The conformance expectations file -------*- C++ -*-===//
//
// One line per case, sorted: `folder/case pass` or
// `folder/case xfail <category>`; `#` starts a comment line. The runner
// compares each result to it, and --update-expectations rewrites it.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_TOOLS_INGOT_TEST_ONNX_EXPECTATIONS_H
#define INGOT_TOOLS_INGOT_TEST_ONNX_EXPECTATIONS_H

#include <map>
#include <string>

namespace ingot::test_onnx {

/// What the file says about one case.
struct Expectation {
  /// True for `pass`, false for `xfail`.
  bool pass = false;
  /// The category of an expected failure.
  std::string category;
};

/// Expectations by case name (`folder/case`), sorted.
using ExpectationMap = std::map<std::string, Expectation>;

/// Reads the expectations file at `path` into `out`. Returns an error
/// message (with the line number) or "" on success.
std::string readExpectations(const std::string &path, ExpectationMap &out);

/// Writes `expectations` to `path` with the explanatory header, whose
/// regeneration command names `path` and `device`. Returns an error message
/// or "" on success.
std::string writeExpectations(const std::string &path,
                              const ExpectationMap &expectations,
                              const std::string &device);

} // namespace ingot::test_onnx

#endif // INGOT_TOOLS_INGOT_TEST_ONNX_EXPECTATIONS_H
