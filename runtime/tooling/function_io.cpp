//===- function_io.cpp - Parse, print, compare tensors ----------*- C++ -*-===//

#include "runtime/tooling/function_io.h"

#include "runtime/base/status.h"
#include "runtime/base/types.h"
#include "runtime/tooling/npy.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace ingot::runtime;

namespace ingot::tooling {

namespace {

constexpr const char *kGrammar =
    "expected '<dims>x<type>=<values>' (e.g. 2x3xf32=1,2,3,4,5,6), a splat "
    "(1x784xf32=0.5), a scalar (f32=1) or @file.npy";

ingot_status_t invalid(const std::string &message) {
  return makeStatusString(INGOT_STATUS_INVALID_ARGUMENT, message);
}

/// Parses `AxBxf32` into dims and element type.
ingot_status_t parseType(const std::string &spec, const std::string &text,
                         ingot_element_type_t &type,
                         std::vector<int64_t> &dims) {
  dims.clear();
  size_t start = 0;
  for (;;) {
    size_t end = text.find('x', start);
    std::string part = text.substr(
        start, end == std::string::npos ? std::string::npos : end - start);
    if (end == std::string::npos) {
      if (!ingot_element_type_parse(part.c_str(), &type))
        return invalid("invalid tensor '" + spec + "': unknown element type '" +
                       part + "'; " + kGrammar);
      break;
    }
    if (part.empty() ||
        part.find_first_not_of("0123456789") != std::string::npos)
      return invalid("invalid tensor '" + spec + "': bad dim '" + part + "'; " +
                     kGrammar);
    errno = 0;
    long long dim = std::strtoll(part.c_str(), nullptr, 10);
    if (errno == ERANGE)
      return invalid("invalid tensor '" + spec + "': dim '" + part +
                     "' is too large");
    dims.push_back(dim);
    if (dims.size() > INGOT_MAX_RANK)
      return invalid("invalid tensor '" + spec + "': rank exceeds " +
                     std::to_string(INGOT_MAX_RANK));
    start = end + 1;
  }
  return nullptr;
}

/// Parses one value token and stores it as element `index` of `data`.
bool parseValue(const std::string &token, ingot_element_type_t type,
                uint8_t *data, size_t index) {
  const char *text = token.c_str();
  char *end = nullptr;
  errno = 0;
  if (isFloatElementType(type)) {
    double value = std::strtod(text, &end);
    if (end == text || *end)
      return false;
    switch (type) {
    case INGOT_ELEMENT_TYPE_F32: {
      float f = static_cast<float>(value);
      std::memcpy(data + index * 4, &f, 4);
      break;
    }
    case INGOT_ELEMENT_TYPE_F64:
      std::memcpy(data + index * 8, &value, 8);
      break;
    case INGOT_ELEMENT_TYPE_F16: {
      uint16_t h = floatToHalf(static_cast<float>(value));
      std::memcpy(data + index * 2, &h, 2);
      break;
    }
    default: {
      uint16_t h = floatToBf16(static_cast<float>(value));
      std::memcpy(data + index * 2, &h, 2);
      break;
    }
    }
    return true;
  }
  if (type == INGOT_ELEMENT_TYPE_I1) {
    if (token == "true" || token == "1")
      data[index] = 1;
    else if (token == "false" || token == "0")
      data[index] = 0;
    else
      return false;
    return true;
  }
  size_t size = ingot_element_type_size(type);
  bool isSigned =
      type == INGOT_ELEMENT_TYPE_I8 || type == INGOT_ELEMENT_TYPE_I16 ||
      type == INGOT_ELEMENT_TYPE_I32 || type == INGOT_ELEMENT_TYPE_I64;
  uint64_t bits;
  if (isSigned) {
    long long value = std::strtoll(text, &end, 0);
    if (end == text || *end || errno == ERANGE)
      return false;
    if (size < 8) {
      long long limit = 1ll << (size * 8 - 1);
      if (value < -limit || value >= limit)
        return false;
    }
    bits = static_cast<uint64_t>(value);
  } else {
    if (text[0] == '-')
      return false;
    unsigned long long value = std::strtoull(text, &end, 0);
    if (end == text || *end || errno == ERANGE)
      return false;
    if (size < 8 && value >= (1ull << (size * 8)))
      return false;
    bits = value;
  }
  std::memcpy(data + index * size, &bits, size); // Little-endian host.
  return true;
}

/// Reads `@path` for a typed spec: a .npy whose type must match, or raw bytes.
ingot_status_t parseFileValues(const std::string &spec, const std::string &path,
                               ingot_element_type_t type,
                               const std::vector<int64_t> &dims,
                               ingot_tensor_t **out_tensor) {
  std::string expected = formatTensorType(type, dims.data(), dims.size());
  if (path.size() >= 4 && path.compare(path.size() - 4, 4, ".npy") == 0) {
    ingot_tensor_t *tensor = nullptr;
    INGOT_RETURN_IF_ERROR(npyReadFile(path, &tensor));
    std::string got =
        formatTensorType(ingot_tensor_element_type(tensor),
                         ingot_tensor_dims(tensor), ingot_tensor_rank(tensor));
    if (got != expected) {
      ingot_tensor_release(tensor);
      return invalid("invalid tensor '" + spec + "': " + path + " holds " +
                     got + ", not " + expected);
    }
    *out_tensor = tensor;
    return nullptr;
  }
  std::string bytes;
  INGOT_RETURN_IF_ERROR(readFile(path, bytes));
  ingot_tensor_t *tensor = nullptr;
  INGOT_RETURN_IF_ERROR(
      ingot_tensor_create(type, dims.size(), dims.data(), nullptr, 0, &tensor));
  if (bytes.size() != ingot_tensor_byte_size(tensor)) {
    size_t needed = ingot_tensor_byte_size(tensor);
    ingot_tensor_release(tensor);
    return invalid(formatString("invalid tensor '%s': %s has %zu bytes but %s "
                                "needs %zu",
                                spec.c_str(), path.c_str(), bytes.size(),
                                expected.c_str(), needed));
  }
  if (!bytes.empty())
    std::memcpy(ingot_tensor_data_mutable(tensor), bytes.data(), bytes.size());
  *out_tensor = tensor;
  return nullptr;
}

/// Returns element `index` of a float tensor as a double.
double floatAt(const uint8_t *data, ingot_element_type_t type, size_t index) {
  switch (type) {
  case INGOT_ELEMENT_TYPE_F32: {
    float f;
    std::memcpy(&f, data + index * 4, 4);
    return f;
  }
  case INGOT_ELEMENT_TYPE_F64: {
    double d;
    std::memcpy(&d, data + index * 8, 8);
    return d;
  }
  case INGOT_ELEMENT_TYPE_F16: {
    uint16_t h;
    std::memcpy(&h, data + index * 2, 2);
    return halfToFloat(h);
  }
  default: {
    uint16_t h;
    std::memcpy(&h, data + index * 2, 2);
    return bf16ToFloat(h);
  }
  }
}

/// Formats element `index` of `tensor`.
std::string formatElement(const ingot_tensor_t *tensor, size_t index) {
  ingot_element_type_t type = ingot_tensor_element_type(tensor);
  const auto *data = static_cast<const uint8_t *>(ingot_tensor_data(tensor));
  if (isFloatElementType(type))
    return formatString(type == INGOT_ELEMENT_TYPE_F64 ? "%.15g" : "%.7g",
                        floatAt(data, type, index));
  size_t size = ingot_element_type_size(type);
  uint64_t bits = 0;
  std::memcpy(&bits, data + index * size, size);
  switch (type) {
  case INGOT_ELEMENT_TYPE_I8:
    return std::to_string(static_cast<int8_t>(bits));
  case INGOT_ELEMENT_TYPE_I16:
    return std::to_string(static_cast<int16_t>(bits));
  case INGOT_ELEMENT_TYPE_I32:
    return std::to_string(static_cast<int32_t>(bits));
  case INGOT_ELEMENT_TYPE_I64:
    return std::to_string(static_cast<int64_t>(bits));
  case INGOT_ELEMENT_TYPE_I1:
    return bits ? "1" : "0";
  default:
    return std::to_string(bits);
  }
}

/// Formats a flat element index as `[i, j, k]`.
std::string formatIndex(const ingot_tensor_t *tensor, size_t index) {
  size_t rank = ingot_tensor_rank(tensor);
  std::vector<int64_t> coords(rank);
  for (size_t d = rank; d-- > 0;) {
    int64_t dim = ingot_tensor_dim(tensor, d);
    coords[d] = dim ? static_cast<int64_t>(index % dim) : 0;
    index = dim ? index / dim : 0;
  }
  std::string result = "[";
  for (size_t d = 0; d < rank; ++d)
    result += (d ? ", " : "") + std::to_string(coords[d]);
  return result + "]";
}

/// Recursively prints dimension `dim` of `tensor` starting at element
/// `offset`; after `maxElements` elements prints `...` once and stops.
void formatLevel(const ingot_tensor_t *tensor, size_t dim, size_t &offset,
                 size_t &printed, size_t maxElements, bool &truncated,
                 std::string &out) {
  size_t rank = ingot_tensor_rank(tensor);
  int64_t extent = ingot_tensor_dim(tensor, dim);
  bool leaf = dim + 1 == rank;
  if (dim)
    out += "[";
  for (int64_t i = 0; i < extent && !truncated; ++i) {
    if (printed >= maxElements) {
      out += leaf && i ? " ..." : "...";
      truncated = true;
      break;
    }
    if (!leaf) {
      formatLevel(tensor, dim + 1, offset, printed, maxElements, truncated,
                  out);
      continue;
    }
    if (i)
      out += " ";
    out += formatElement(tensor, offset++);
    ++printed;
  }
  if (dim)
    out += "]";
}

} // namespace

ingot_status_t parseTensor(const std::string &spec,
                           ingot_tensor_t **out_tensor) {
  *out_tensor = nullptr;
  if (!spec.empty() && spec[0] == '@')
    return npyReadFile(spec.substr(1), out_tensor);
  size_t equals = spec.find('=');
  if (equals == std::string::npos)
    return invalid("invalid tensor '" + spec + "': " + kGrammar);
  ingot_element_type_t type;
  std::vector<int64_t> dims;
  INGOT_RETURN_IF_ERROR(parseType(spec, spec.substr(0, equals), type, dims));
  std::string values = spec.substr(equals + 1);
  if (!values.empty() && values[0] == '@')
    return parseFileValues(spec, values.substr(1), type, dims, out_tensor);

  std::vector<std::string> tokens;
  std::string token;
  for (char c : values + " ") {
    if (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '[' ||
        c == ']') {
      if (!token.empty())
        tokens.push_back(token);
      token.clear();
    } else {
      token += c;
    }
  }
  ingot_tensor_t *tensor = nullptr;
  INGOT_RETURN_IF_ERROR(annotateStatus(
      ingot_tensor_create(type, dims.size(), dims.data(), nullptr, 0, &tensor),
      "invalid tensor '" + spec + "': "));
  size_t count = ingot_tensor_element_count(tensor);
  std::string typeText = formatTensorType(type, dims.data(), dims.size());
  if (tokens.size() != count && !(tokens.size() == 1 && count > 0)) {
    ingot_tensor_release(tensor);
    return invalid(formatString(
        "invalid tensor '%s': %s has %zu element%s but %zu value%s given "
        "(give all of them, or one to splat)",
        spec.c_str(), typeText.c_str(), count, count == 1 ? "" : "s",
        tokens.size(), tokens.size() == 1 ? " was" : "s were"));
  }
  auto *data = static_cast<uint8_t *>(ingot_tensor_data_mutable(tensor));
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!parseValue(tokens[i], type, data, i)) {
      ingot_tensor_release(tensor);
      return invalid("invalid tensor '" + spec + "': '" + tokens[i] +
                     "' is not a valid " + ingot_element_type_name(type) +
                     " value");
    }
  }
  if (tokens.size() == 1 && count > 1) {
    size_t size = ingot_element_type_size(type);
    for (size_t i = 1; i < count; ++i)
      std::memcpy(data + i * size, data, size);
  }
  *out_tensor = tensor;
  return nullptr;
}

std::string formatTensor(const ingot_tensor_t *tensor, size_t maxElements) {
  std::string out =
      formatTensorType(ingot_tensor_element_type(tensor),
                       ingot_tensor_dims(tensor), ingot_tensor_rank(tensor));
  out += "=";
  if (ingot_tensor_rank(tensor) == 0) {
    out += formatElement(tensor, 0);
    return out;
  }
  size_t offset = 0, printed = 0;
  bool truncated = false;
  formatLevel(tensor, 0, offset, printed, maxElements, truncated, out);
  return out;
}

bool compareTensors(const ingot_tensor_t *actual,
                    const ingot_tensor_t *expected, double threshold,
                    std::string &message) {
  ingot_element_type_t type = ingot_tensor_element_type(expected);
  std::string actualType =
      formatTensorType(ingot_tensor_element_type(actual),
                       ingot_tensor_dims(actual), ingot_tensor_rank(actual));
  std::string expectedType = formatTensorType(type, ingot_tensor_dims(expected),
                                              ingot_tensor_rank(expected));
  if (actualType != expectedType) {
    message = "expected a " + expectedType + " tensor but got " + actualType;
    return false;
  }
  size_t count = ingot_tensor_element_count(expected);
  const auto *a = static_cast<const uint8_t *>(ingot_tensor_data(actual));
  const auto *e = static_cast<const uint8_t *>(ingot_tensor_data(expected));
  if (!isFloatElementType(type)) {
    size_t size = ingot_element_type_size(type);
    size_t mismatches = 0, first = 0;
    for (size_t i = 0; i < count; ++i) {
      bool equal = type == INGOT_ELEMENT_TYPE_I1
                       ? (a[i] != 0) == (e[i] != 0)
                       : std::memcmp(a + i * size, e + i * size, size) == 0;
      if (!equal && mismatches++ == 0)
        first = i;
    }
    if (!mismatches)
      return true;
    message =
        formatString("%zu of %zu elements differ; first at %s: got %s, "
                     "expected %s",
                     mismatches, count, formatIndex(expected, first).c_str(),
                     formatElement(actual, first).c_str(),
                     formatElement(expected, first).c_str());
    return false;
  }
  double maxDiff = 0, maxExpected = 0;
  size_t worst = 0;
  for (size_t i = 0; i < count; ++i) {
    double x = floatAt(a, type, i), y = floatAt(e, type, i);
    double diff;
    if (std::isnan(y) || std::isnan(x))
      diff = std::isnan(x) && std::isnan(y) ? 0 : INFINITY;
    else if (x == y)
      diff = 0; // Also equal infinities.
    else
      diff = std::fabs(x - y);
    if (std::isfinite(y))
      maxExpected = std::fmax(maxExpected, std::fabs(y));
    if (diff > maxDiff) {
      maxDiff = diff;
      worst = i;
    }
  }
  double scale = maxExpected > 0 ? maxExpected : 1.0;
  double relative = maxDiff / scale;
  if (relative <= threshold)
    return true;
  message = formatString("max abs diff %g at %s (got %s, expected %s) is %g "
                         "relative to the max abs expected value %g; the "
                         "threshold is %g",
                         maxDiff, formatIndex(expected, worst).c_str(),
                         formatElement(actual, worst).c_str(),
                         formatElement(expected, worst).c_str(), relative,
                         maxExpected, threshold);
  return false;
}

} // namespace ingot::tooling
