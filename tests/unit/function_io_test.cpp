//===- function_io_test.cpp - Tensor grammar tests --------------*- C++ -*-===//

#include "runtime/tooling/function_io.h"

#include <cstring>
#include <gtest/gtest.h>
#include <string>

namespace {

using namespace ingot::tooling;

std::string take(ingot_status_t status) {
  std::string message = status ? ingot_status_message(status) : "";
  ingot_status_free(status);
  return message;
}

/// Parses `spec` and returns it printed back (or the error message).
std::string roundTrip(const std::string &spec, size_t maxElements = 1024) {
  ingot_tensor_t *tensor = nullptr;
  std::string error = take(parseTensor(spec, &tensor));
  if (!error.empty())
    return "error: " + error;
  std::string text = formatTensor(tensor, maxElements);
  ingot_tensor_release(tensor);
  return text;
}

TEST(FunctionIo, ParsesTheGrammar) {
  EXPECT_EQ(roundTrip("2x3xf32=1,2,3,4,5,6"), "2x3xf32=[1 2 3][4 5 6]");
  EXPECT_EQ(roundTrip("2x3xf32=[1 2 3][4 5 6]"), "2x3xf32=[1 2 3][4 5 6]");
  EXPECT_EQ(roundTrip("4xf32=0.5"), "4xf32=0.5 0.5 0.5 0.5");
  EXPECT_EQ(roundTrip("f32=1"), "f32=1");
  EXPECT_EQ(roundTrip("i32=-7"), "i32=-7");
  EXPECT_EQ(roundTrip("3xi8=-128,0,127"), "3xi8=-128 0 127");
  EXPECT_EQ(roundTrip("2xu64=18446744073709551615,0"),
            "2xu64=18446744073709551615 0");
  EXPECT_EQ(roundTrip("3xi1=true,0,1"), "3xi1=1 0 1");
  EXPECT_EQ(roundTrip("3xbool=1"), "3xi1=1 1 1");
  EXPECT_EQ(roundTrip("2xf16=1.5,-2"), "2xf16=1.5 -2");
  EXPECT_EQ(roundTrip("2xbf16=1.5,-2"), "2xbf16=1.5 -2");
  EXPECT_EQ(roundTrip("f64=0.1"), "f64=0.1");
  EXPECT_EQ(roundTrip("0x3xf32="), "0x3xf32=");
  EXPECT_EQ(roundTrip("2x2x2xi32=1,2,3,4,5,6,7,8"),
            "2x2x2xi32=[[1 2][3 4]][[5 6][7 8]]");
}

TEST(FunctionIo, RejectsBadSpecs) {
  EXPECT_EQ(roundTrip("2x3xf32=1,2,3,4,5"),
            "error: invalid tensor '2x3xf32=1,2,3,4,5': 2x3xf32 has 6 elements "
            "but 5 values were given (give all of them, or one to splat)");
  EXPECT_NE(roundTrip("1x784").find("expected '<dims>x<type>=<values>'"),
            std::string::npos);
  EXPECT_NE(roundTrip("2x3xf31=1").find("unknown element type 'f31'"),
            std::string::npos);
  EXPECT_NE(roundTrip("2xax3xf32=1").find("bad dim 'a'"), std::string::npos);
  EXPECT_NE(roundTrip("-2xf32=1").find("bad dim '-2'"), std::string::npos);
  EXPECT_NE(roundTrip("2xf32=1,abc").find("'abc' is not a valid f32 value"),
            std::string::npos);
  EXPECT_NE(roundTrip("i8=128").find("'128' is not a valid i8 value"),
            std::string::npos);
  EXPECT_NE(roundTrip("u8=-1").find("not a valid u8 value"), std::string::npos);
  EXPECT_NE(roundTrip("i1=2").find("not a valid i1 value"), std::string::npos);
  EXPECT_NE(roundTrip("f32=").find("has 1 element but 0 values were given"),
            std::string::npos);
  EXPECT_NE(roundTrip("@/nonexistent.npy").find("cannot open"),
            std::string::npos);
  EXPECT_NE(roundTrip("2xf32=@/nonexistent.bin").find("cannot open"),
            std::string::npos);
}

TEST(FunctionIo, TruncatesLongOutputs) {
  EXPECT_EQ(roundTrip("6xi32=1,2,3,4,5,6", 4), "6xi32=1 2 3 4 ...");
  EXPECT_EQ(roundTrip("3x2xi32=1,2,3,4,5,6", 3), "3x2xi32=[1 2][3 ...]");
  EXPECT_EQ(roundTrip("3x2xi32=1,2,3,4,5,6", 4), "3x2xi32=[1 2][3 4]...");
}

/// Compares two specs; returns "" on a match or the message.
std::string compare(const std::string &actual, const std::string &expected,
                    double threshold = 1e-4) {
  ingot_tensor_t *a = nullptr, *e = nullptr;
  EXPECT_EQ(take(parseTensor(actual, &a)), "");
  EXPECT_EQ(take(parseTensor(expected, &e)), "");
  std::string message;
  bool match = compareTensors(a, e, threshold, message);
  ingot_tensor_release(a);
  ingot_tensor_release(e);
  EXPECT_EQ(match, message.empty());
  return message;
}

TEST(FunctionIo, ComparesWithTolerance) {
  EXPECT_EQ(compare("3xf32=1,2,100", "3xf32=1,2,100.005"), "");
  EXPECT_EQ(compare("3xf32=1,2,100", "3xf32=1.02,2,100", 1e-4),
            "max abs diff 0.02 at [0] (got 1, expected 1.02) is 0.0002 "
            "relative to the max abs expected value 100; the threshold is "
            "0.0001");
  EXPECT_EQ(compare("3xf32=1,2,100", "3xf32=1.02,2,100", 1e-3), "");
  // All-zero expectations fall back to an absolute threshold.
  EXPECT_EQ(compare("2xf32=0.00001,0", "2xf32=0,0"), "");
  EXPECT_NE(compare("2xf32=0.001,0", "2xf32=0,0"), "");
  EXPECT_NE(compare("2xf32=nan,1", "2xf32=0,1"), "");
  EXPECT_EQ(compare("2xf32=nan,inf", "2xf32=nan,inf"), "");
  EXPECT_EQ(compare("2x2xi32=1,2,3,4", "2x2xi32=1,2,3,5"),
            "1 of 4 elements differ; first at [1, 1]: got 4, expected 5");
  EXPECT_EQ(compare("4xf32=1", "2x2xf32=1"),
            "expected a 2x2xf32 tensor but got 4xf32");
  EXPECT_EQ(compare("4xi32=1", "4xf32=1"),
            "expected a 4xf32 tensor but got 4xi32");
}

} // namespace
