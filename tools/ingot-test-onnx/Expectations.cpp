//===- Expectations.cpp - The conformance expectations file -----*- C++ -*-===//

#include "tools/ingot-test-onnx/Expectations.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace ingot::test_onnx {

namespace {

constexpr const char *kHeader =
    "# ONNX backend test suite expectations for ingot-test-onnx.\n"
    "#\n"
    "# One line per case of /usr/share/libonnx-testdata/data (ONNX 1.12):\n"
    "#   <folder>/<case> pass\n"
    "#   <folder>/<case> xfail <category>\n"
    "# The onnx-conformance ctest fails when a `pass` case fails and when an\n"
    "# `xfail` case passes. After fixing or breaking cases, regenerate with\n"
    "#   build/bin/ingot-test-onnx --jobs=2 %s\\\n"
    "#     --update-expectations=%s \\\n"
    "#     /usr/share/libonnx-testdata/data/{node,pytorch-converted,"
    "pytorch-operator,simple}\n"
    "# and then docs/onnx-support.md with scripts/gen-onnx-support.py.\n";

} // namespace

std::string readExpectations(const std::string &path, ExpectationMap &out) {
  std::ifstream in(path);
  if (!in)
    return path + ": cannot open";
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#')
      continue;
    std::istringstream fields(line);
    std::string name, status, category, extra;
    fields >> name >> status >> category >> extra;
    std::string where = path + ":" + std::to_string(number) + ": ";
    if (!extra.empty() || name.empty())
      return where + "expected '<case> pass' or '<case> xfail <category>'";
    Expectation expectation;
    if (status == "pass" && category.empty()) {
      expectation.pass = true;
    } else if (status == "xfail" && !category.empty()) {
      expectation.category = category;
    } else {
      return where + "expected '<case> pass' or '<case> xfail <category>'";
    }
    if (!out.emplace(name, expectation).second)
      return where + "case '" + name + "' is listed twice";
  }
  return "";
}

std::string writeExpectations(const std::string &path,
                              const ExpectationMap &expectations,
                              const std::string &device) {
  std::ofstream out(path, std::ios::trunc);
  if (!out)
    return path + ": cannot write";
  std::string deviceFlag = device == "cpu" ? "" : "--device=" + device + " ";
  char header[2048];
  std::snprintf(header, sizeof(header), kHeader, deviceFlag.c_str(),
                path.c_str());
  out << header;
  for (const auto &[name, expectation] : expectations) {
    if (expectation.pass)
      out << name << " pass\n";
    else
      out << name << " xfail " << expectation.category << "\n";
  }
  out.flush();
  if (!out)
    return path + ": write failed";
  return "";
}

} // namespace ingot::test_onnx
