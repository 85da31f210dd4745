//===- test_status.h - Status helpers of the runtime gtests -----*- C++ -*-===//
//
// `take` turns a status into its message (freeing it) and ASSERT_OK asserts
// success while printing the message of a failure.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_TESTS_UNIT_TEST_STATUS_H
#define INGOT_TESTS_UNIT_TEST_STATUS_H

#include "runtime/ingot_runtime.h"

#include <string>

namespace ingot::test {

/// Returns the message of `status` and frees it ("" for OK).
inline std::string take(ingot_status_t status) {
  std::string message = status ? ingot_status_message(status) : "";
  ingot_status_free(status);
  return message;
}

} // namespace ingot::test

/// Asserts that `expr` returns OK, showing the error message otherwise.
#define ASSERT_OK(expr)                                                        \
  do {                                                                         \
    std::string message_ = ::ingot::test::take(expr);                          \
    ASSERT_EQ(message_, "");                                                   \
  } while (0)

#endif // INGOT_TESTS_UNIT_TEST_STATUS_H
