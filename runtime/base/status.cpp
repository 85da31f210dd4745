//===- status.cpp - Status objects of the runtime C API ---------*- C++ -*-===//

#include "runtime/base/status.h"

#include <cstdarg>
#include <cstdio>
#include <new>

namespace ingot::runtime {

static std::string formatStringV(const char *fmt, va_list args) {
  va_list copy;
  va_copy(copy, args);
  int length = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  if (length <= 0)
    return std::string();
  std::string result(static_cast<size_t>(length) + 1, '\0');
  std::vsnprintf(result.data(), result.size(), fmt, args);
  result.resize(static_cast<size_t>(length));
  return result;
}

std::string formatString(const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  std::string result = formatStringV(fmt, args);
  va_end(args);
  return result;
}

ingot_status_t makeStatusString(ingot_status_code_t code,
                                const std::string &message) {
  if (code == INGOT_STATUS_OK)
    return nullptr;
  return new (std::nothrow) ingot_status_s{code, message};
}

ingot_status_t makeStatus(ingot_status_code_t code, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  std::string message = formatStringV(fmt, args);
  va_end(args);
  return makeStatusString(code, message);
}

ingot_status_t annotateStatus(ingot_status_t status,
                              const std::string &prefix) {
  if (status)
    status->message = prefix + status->message;
  return status;
}

} // namespace ingot::runtime

using namespace ingot::runtime;

extern "C" {

ingot_status_code_t ingot_status_code(ingot_status_t status) {
  return status ? status->code : INGOT_STATUS_OK;
}

const char *ingot_status_message(ingot_status_t status) {
  return status ? status->message.c_str() : "OK";
}

const char *ingot_status_code_name(ingot_status_code_t code) {
  switch (code) {
  case INGOT_STATUS_OK:
    return "OK";
  case INGOT_STATUS_INVALID_ARGUMENT:
    return "INVALID_ARGUMENT";
  case INGOT_STATUS_NOT_FOUND:
    return "NOT_FOUND";
  case INGOT_STATUS_OUT_OF_RANGE:
    return "OUT_OF_RANGE";
  case INGOT_STATUS_FAILED_PRECONDITION:
    return "FAILED_PRECONDITION";
  case INGOT_STATUS_DATA_LOSS:
    return "DATA_LOSS";
  case INGOT_STATUS_UNIMPLEMENTED:
    return "UNIMPLEMENTED";
  case INGOT_STATUS_RESOURCE_EXHAUSTED:
    return "RESOURCE_EXHAUSTED";
  case INGOT_STATUS_UNAVAILABLE:
    return "UNAVAILABLE";
  case INGOT_STATUS_INTERNAL:
    return "INTERNAL";
  }
  return "UNKNOWN";
}

void ingot_status_free(ingot_status_t status) { delete status; }

ingot_status_t ingot_status_create(ingot_status_code_t code,
                                   const char *message) {
  return makeStatusString(code, message ? message : "");
}

} // extern "C"
