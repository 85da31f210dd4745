//===- npy.cpp - Reading and writing NumPy .npy files -----------*- C++ -*-===//

#include "runtime/tooling/npy.h"

#include "runtime/base/status.h"
#include "runtime/base/types.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace ingot::runtime;

namespace ingot::tooling {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

/// NumPy dtype strings (without byte order) of each element type.
const char *npyKind(ingot_element_type_t type) {
  switch (type) {
  case INGOT_ELEMENT_TYPE_F16:
    return "f2";
  case INGOT_ELEMENT_TYPE_F32:
    return "f4";
  case INGOT_ELEMENT_TYPE_F64:
    return "f8";
  case INGOT_ELEMENT_TYPE_I8:
    return "i1";
  case INGOT_ELEMENT_TYPE_I16:
    return "i2";
  case INGOT_ELEMENT_TYPE_I32:
    return "i4";
  case INGOT_ELEMENT_TYPE_I64:
    return "i8";
  case INGOT_ELEMENT_TYPE_U8:
    return "u1";
  case INGOT_ELEMENT_TYPE_U16:
    return "u2";
  case INGOT_ELEMENT_TYPE_U32:
    return "u4";
  case INGOT_ELEMENT_TYPE_U64:
    return "u8";
  case INGOT_ELEMENT_TYPE_I1:
    return "b1";
  default:
    return nullptr;
  }
}

/// A tiny parser for the Python dict literal of a .npy header.
class HeaderParser {
public:
  HeaderParser(const std::string &text, const std::string &name)
      : text_(text), name_(name) {}

  ingot_status_t parse(std::string &descr, bool &fortranOrder,
                       std::vector<int64_t> &shape);

private:
  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\t' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool consume(char c) {
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool parseString(std::string &out);
  ingot_status_t malformed(const char *what) {
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "%s: malformed .npy header (%s): %s", name_.c_str(), what,
                      text_.c_str());
  }

  const std::string &text_;
  const std::string &name_;
  size_t pos_ = 0;
};

bool HeaderParser::parseString(std::string &out) {
  skipSpace();
  if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"'))
    return false;
  char quote = text_[pos_++];
  size_t end = text_.find(quote, pos_);
  if (end == std::string::npos)
    return false;
  out = text_.substr(pos_, end - pos_);
  pos_ = end + 1;
  return true;
}

ingot_status_t HeaderParser::parse(std::string &descr, bool &fortranOrder,
                                   std::vector<int64_t> &shape) {
  bool haveDescr = false, haveOrder = false, haveShape = false;
  if (!consume('{'))
    return malformed("expected '{'");
  while (!consume('}')) {
    std::string key;
    if (!parseString(key) || !consume(':'))
      return malformed("expected a quoted key and ':'");
    skipSpace();
    if (key == "descr") {
      if (!parseString(descr))
        return makeStatus(INGOT_STATUS_UNIMPLEMENTED,
                          "%s: unsupported .npy dtype (structured or "
                          "non-string descr): %s",
                          name_.c_str(), text_.c_str());
      haveDescr = true;
    } else if (key == "fortran_order") {
      if (text_.compare(pos_, 4, "True") == 0) {
        fortranOrder = true;
        pos_ += 4;
      } else if (text_.compare(pos_, 5, "False") == 0) {
        fortranOrder = false;
        pos_ += 5;
      } else {
        return malformed("fortran_order must be True or False");
      }
      haveOrder = true;
    } else if (key == "shape") {
      if (!consume('('))
        return malformed("shape must be a tuple");
      shape.clear();
      while (!consume(')')) {
        skipSpace();
        size_t start = pos_;
        int64_t value = 0;
        while (pos_ < text_.size() && text_[pos_] >= '0' &&
               text_[pos_] <= '9') {
          if (__builtin_mul_overflow(value, 10, &value) ||
              __builtin_add_overflow(value, text_[pos_] - '0', &value))
            return malformed("shape dim too large");
          ++pos_;
        }
        if (pos_ == start)
          return malformed("shape dims must be non-negative integers");
        if (pos_ < text_.size() && text_[pos_] == 'L')
          ++pos_;
        shape.push_back(value);
        if (!consume(',') &&
            !(skipSpace(), pos_ < text_.size() && text_[pos_] == ')'))
          return malformed("expected ',' or ')' in shape");
      }
      haveShape = true;
    } else {
      return malformed(("unknown key '" + key + "'").c_str());
    }
    if (!consume(',')) {
      if (!consume('}'))
        return malformed("expected ',' or '}'");
      break;
    }
  }
  if (!haveDescr || !haveOrder || !haveShape)
    return malformed("needs descr, fortran_order and shape");
  return nullptr;
}

/// Maps a descr like '<f4' to an element type.
ingot_status_t parseDescr(const std::string &descr, const std::string &name,
                          ingot_element_type_t &out) {
  if (descr.size() >= 2) {
    char order = descr[0];
    std::string kind = descr.substr(1);
    for (uint32_t t = 0; t < INGOT_ELEMENT_TYPE_COUNT; ++t) {
      auto type = static_cast<ingot_element_type_t>(t);
      const char *candidate = npyKind(type);
      if (!candidate || kind != candidate)
        continue;
      bool singleByte = ingot_element_type_size(type) == 1;
      if (order == '<' || order == '=' || (order == '|' && singleByte) ||
          (order == '>' && singleByte)) {
        out = type;
        return nullptr;
      }
      if (order == '>')
        return makeStatus(INGOT_STATUS_UNIMPLEMENTED,
                          "%s: big-endian .npy data ('%s') is not supported; "
                          "save it little-endian",
                          name.c_str(), descr.c_str());
    }
  }
  return makeStatus(INGOT_STATUS_UNIMPLEMENTED,
                    "%s: unsupported .npy dtype '%s' (supported: f2 f4 f8 i1 "
                    "i2 i4 i8 u1 u2 u4 u8 b1, little-endian)",
                    name.c_str(), descr.c_str());
}

} // namespace

ingot_status_t npyParse(const uint8_t *data, size_t size, size_t &offset,
                        const std::string &name, ingot_tensor_t **out_tensor) {
  *out_tensor = nullptr;
  if (offset > size)
    offset = size;
  size_t available = size - offset;
  const uint8_t *start = data + offset;
  if (available < kMagicSize + 2 || std::memcmp(start, kMagic, kMagicSize) != 0)
    return makeStatus(
        available < kMagicSize + 2 ? INGOT_STATUS_DATA_LOSS
                                   : INGOT_STATUS_INVALID_ARGUMENT,
        "%s: not a .npy file (%s)", name.c_str(),
        available < kMagicSize + 2 ? "too short for the magic" : "bad magic");
  uint8_t major = start[6];
  size_t headerLengthSize = major == 1 ? 2 : 4;
  if (major < 1 || major > 3)
    return makeStatus(INGOT_STATUS_UNIMPLEMENTED,
                      "%s: unsupported .npy version %u.%u", name.c_str(), major,
                      start[7]);
  size_t prefix = kMagicSize + 2 + headerLengthSize;
  if (available < prefix)
    return makeStatus(INGOT_STATUS_DATA_LOSS, "%s: truncated .npy header",
                      name.c_str());
  size_t headerLength = start[8] | (size_t(start[9]) << 8);
  if (headerLengthSize == 4)
    headerLength |= (size_t(start[10]) << 16) | (size_t(start[11]) << 24);
  if (available - prefix < headerLength)
    return makeStatus(INGOT_STATUS_DATA_LOSS,
                      "%s: truncated .npy header (needs %zu bytes, %zu left)",
                      name.c_str(), headerLength, available - prefix);
  std::string header(reinterpret_cast<const char *>(start + prefix),
                     headerLength);
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
  INGOT_RETURN_IF_ERROR(
      HeaderParser(header, name).parse(descr, fortranOrder, shape));
  ingot_element_type_t type;
  INGOT_RETURN_IF_ERROR(parseDescr(descr, name, type));
  if (fortranOrder && shape.size() > 1)
    return makeStatus(INGOT_STATUS_UNIMPLEMENTED,
                      "%s: Fortran-order .npy arrays are not supported; save "
                      "a C-contiguous array (numpy.ascontiguousarray)",
                      name.c_str());
  if (shape.size() > INGOT_MAX_RANK)
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "%s: .npy array rank %zu exceeds the maximum of %d",
                      name.c_str(), shape.size(), INGOT_MAX_RANK);
  uint64_t count, bytes;
  if (!elementCount(shape.data(), shape.size(), count) ||
      !checkedMul(count, ingot_element_type_size(type), bytes))
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "%s: .npy shape is too large", name.c_str());
  size_t dataOffset = prefix + headerLength;
  if (available - dataOffset < bytes)
    return makeStatus(
        INGOT_STATUS_DATA_LOSS,
        "%s: truncated .npy data: %s needs %llu bytes but only %zu follow the "
        "header",
        name.c_str(),
        formatTensorType(type, shape.data(), shape.size()).c_str(),
        (unsigned long long)bytes, available - dataOffset);
  INGOT_RETURN_IF_ERROR(
      annotateStatus(ingot_tensor_create(type, shape.size(), shape.data(),
                                         start + dataOffset, bytes, out_tensor),
                     name + ": "));
  if (type == INGOT_ELEMENT_TYPE_I1) {
    // NumPy bools are 0/1 bytes; normalise anything else.
    auto *values =
        static_cast<uint8_t *>(ingot_tensor_data_mutable(*out_tensor));
    for (uint64_t i = 0; i < count; ++i)
      values[i] = values[i] != 0;
  }
  offset += dataOffset + bytes;
  return nullptr;
}

ingot_status_t readFile(const std::string &path, std::string &out) {
  FILE *file = std::fopen(path.c_str(), "rb");
  if (!file)
    return makeStatus(
        errno == ENOENT ? INGOT_STATUS_NOT_FOUND : INGOT_STATUS_UNAVAILABLE,
        "%s: cannot open: %s", path.c_str(), std::strerror(errno));
  out.clear();
  char chunk[65536];
  size_t read;
  while ((read = std::fread(chunk, 1, sizeof(chunk), file)) > 0)
    out.append(chunk, read);
  bool failed = std::ferror(file);
  std::fclose(file);
  if (failed)
    return makeStatus(INGOT_STATUS_UNAVAILABLE, "%s: read error", path.c_str());
  return nullptr;
}

ingot_status_t npyReadFile(const std::string &path,
                           ingot_tensor_t **out_tensor) {
  *out_tensor = nullptr;
  std::string contents;
  INGOT_RETURN_IF_ERROR(readFile(path, contents));
  size_t offset = 0;
  return npyParse(reinterpret_cast<const uint8_t *>(contents.data()),
                  contents.size(), offset, path, out_tensor);
}

ingot_status_t npySerialize(const ingot_tensor_t *tensor, std::string &out) {
  ingot_element_type_t type = ingot_tensor_element_type(tensor);
  const char *kind = npyKind(type);
  if (!kind)
    return makeStatus(INGOT_STATUS_UNIMPLEMENTED,
                      "%s tensors cannot be written to .npy (NumPy has no "
                      "such dtype)",
                      ingot_element_type_name(type));
  std::string shape = "(";
  for (size_t i = 0; i < ingot_tensor_rank(tensor); ++i)
    shape += std::to_string(ingot_tensor_dim(tensor, i)) + ", ";
  if (ingot_tensor_rank(tensor) > 1)
    shape.resize(shape.size() - 2);
  else if (ingot_tensor_rank(tensor) == 1)
    shape.resize(shape.size() - 1);
  shape += ")";
  std::string header = std::string("{'descr': '") +
                       (ingot_element_type_size(type) == 1 ? "|" : "<") + kind +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad with spaces and a newline so the data starts 64-byte aligned.
  size_t prefix = kMagicSize + 2 + 2;
  bool version2 = false;
  size_t total = (prefix + header.size() + 1 + 63) / 64 * 64;
  if (total - prefix > 65535) {
    version2 = true;
    prefix += 2;
    total = (prefix + header.size() + 1 + 63) / 64 * 64;
  }
  header.append(total - prefix - header.size() - 1, ' ');
  header += '\n';
  out.assign(kMagic, kMagicSize);
  out += static_cast<char>(version2 ? 2 : 1);
  out += '\0';
  size_t length = header.size();
  out += static_cast<char>(length & 0xff);
  out += static_cast<char>((length >> 8) & 0xff);
  if (version2) {
    out += static_cast<char>((length >> 16) & 0xff);
    out += static_cast<char>((length >> 24) & 0xff);
  }
  out += header;
  out.append(static_cast<const char *>(ingot_tensor_data(tensor)),
             ingot_tensor_byte_size(tensor));
  return nullptr;
}

ingot_status_t npyWriteFile(const std::string &path,
                            const ingot_tensor_t *tensor, bool append) {
  std::string bytes;
  INGOT_RETURN_IF_ERROR(npySerialize(tensor, bytes));
  FILE *file = std::fopen(path.c_str(), append ? "ab" : "wb");
  if (!file)
    return makeStatus(INGOT_STATUS_UNAVAILABLE,
                      "%s: cannot open for writing: %s", path.c_str(),
                      std::strerror(errno));
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  ok &= std::fclose(file) == 0;
  if (!ok)
    return makeStatus(INGOT_STATUS_UNAVAILABLE, "%s: write error",
                      path.c_str());
  return nullptr;
}

} // namespace ingot::tooling
