//===- status.h - Status helpers for the runtime's C++ code -----*- C++ -*-===//
//
// The definition of `ingot_status_s` and printf-style constructors used by the
// runtime implementation and the tooling layer.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_BASE_STATUS_H
#define INGOT_RUNTIME_BASE_STATUS_H

#include "runtime/ingot_runtime.h"

#include <string>

/// An error: code and message. Only errors are allocated; OK is NULL.
struct ingot_status_s {
  ingot_status_code_t code;
  std::string message;
};

namespace ingot::runtime {

/// Formats like printf into a std::string.
std::string formatString(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/// Creates an error status with a printf-style message.
ingot_status_t makeStatus(ingot_status_code_t code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/// Creates an error status with `message`.
ingot_status_t makeStatusString(ingot_status_code_t code,
                                const std::string &message);

/// Prepends `prefix` to the message of `status` (NULL stays NULL) and returns
/// it.
ingot_status_t annotateStatus(ingot_status_t status, const std::string &prefix);

} // namespace ingot::runtime

/// Returns from the enclosing function if `expr` yields an error status.
#define INGOT_RETURN_IF_ERROR(expr)                                            \
  do {                                                                         \
    ingot_status_t ingot_status_tmp_ = (expr);                                 \
    if (ingot_status_tmp_)                                                     \
      return ingot_status_tmp_;                                                \
  } while (0)

#endif // INGOT_RUNTIME_BASE_STATUS_H
