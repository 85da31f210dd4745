//===- types.cpp - Element types, shapes and aligned storage ----*- C++ -*-===//

#include "runtime/base/types.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace ingot::runtime {

namespace {
struct ElementTypeInfo {
  const char *name;
  size_t size;
};
constexpr ElementTypeInfo kElementTypes[INGOT_ELEMENT_TYPE_COUNT] = {
    {"f32", 4}, {"f64", 8}, {"f16", 2}, {"bf16", 2}, {"i8", 1},
    {"i16", 2}, {"i32", 4}, {"i64", 8}, {"u8", 1},   {"u16", 2},
    {"u32", 4}, {"u64", 8}, {"i1", 1},
};
} // namespace

bool isValidElementType(uint32_t type) {
  return type < INGOT_ELEMENT_TYPE_COUNT;
}

bool isFloatElementType(ingot_element_type_t type) {
  return type == INGOT_ELEMENT_TYPE_F32 || type == INGOT_ELEMENT_TYPE_F64 ||
         type == INGOT_ELEMENT_TYPE_F16 || type == INGOT_ELEMENT_TYPE_BF16;
}

std::string formatTensorType(ingot_element_type_t type, const int64_t *dims,
                             size_t rank) {
  std::string result;
  for (size_t i = 0; i < rank; ++i) {
    if (dims[i] < 0)
      result += "?";
    else
      result += std::to_string(dims[i]);
    result += "x";
  }
  const char *name = ingot_element_type_name(type);
  result += name ? name : "<invalid type " + std::to_string(type) + ">";
  return result;
}

bool elementCount(const int64_t *dims, size_t rank, uint64_t &out) {
  uint64_t count = 1;
  for (size_t i = 0; i < rank; ++i) {
    if (dims[i] < 0 ||
        !checkedMul(count, static_cast<uint64_t>(dims[i]), count))
      return false;
  }
  out = count;
  return true;
}

void AlignedDeleter::operator()(void *ptr) const { std::free(ptr); }

AlignedStorage alignedAllocate(size_t size, bool zero) {
  size_t rounded = (size + kBufferAlignment - 1) & ~(kBufferAlignment - 1);
  if (rounded < size)
    return AlignedStorage();
  if (rounded == 0)
    rounded = kBufferAlignment;
  void *ptr = std::aligned_alloc(kBufferAlignment, rounded);
  if (ptr && zero)
    std::memset(ptr, 0, rounded);
  return AlignedStorage(ptr);
}

float halfToFloat(uint16_t value) {
  uint32_t sign = static_cast<uint32_t>(value & 0x8000) << 16;
  uint32_t exponent = (value >> 10) & 0x1f;
  uint32_t mantissa = value & 0x3ff;
  uint32_t bits;
  if (exponent == 0) {
    if (mantissa == 0) {
      bits = sign;
    } else {
      // Subnormal: renormalise.
      exponent = 127 - 15 + 1;
      while (!(mantissa & 0x400)) {
        mantissa <<= 1;
        --exponent;
      }
      mantissa &= 0x3ff;
      bits = sign | (exponent << 23) | (mantissa << 13);
    }
  } else if (exponent == 0x1f) {
    bits = sign | 0x7f800000 | (mantissa << 13);
  } else {
    bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
  }
  float result;
  std::memcpy(&result, &bits, sizeof(result));
  return result;
}

uint16_t floatToHalf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
  uint32_t exponent = (bits >> 23) & 0xff;
  uint32_t mantissa = bits & 0x7fffff;
  if (exponent == 0xff) // Inf or NaN.
    return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  int32_t halfExponent = static_cast<int32_t>(exponent) - 127 + 15;
  if (halfExponent >= 0x1f)
    return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10)
      return sign;
    mantissa |= 0x800000;
    uint32_t shift = static_cast<uint32_t>(14 - halfExponent);
    uint32_t halfMantissa = mantissa >> shift;
    uint32_t remainder = mantissa & ((1u << shift) - 1);
    uint32_t halfway = 1u << (shift - 1);
    if (remainder > halfway || (remainder == halfway && (halfMantissa & 1)))
      ++halfMantissa;
    return sign | static_cast<uint16_t>(halfMantissa);
  }
  uint32_t result =
      (static_cast<uint32_t>(halfExponent) << 10) | (mantissa >> 13);
  uint32_t remainder = mantissa & 0x1fff;
  if (remainder > 0x1000 || (remainder == 0x1000 && (result & 1)))
    ++result; // May carry into the exponent, which rounds to Inf correctly.
  return sign | static_cast<uint16_t>(result);
}

float bf16ToFloat(uint16_t value) {
  uint32_t bits = static_cast<uint32_t>(value) << 16;
  float result;
  std::memcpy(&result, &bits, sizeof(result));
  return result;
}

uint16_t floatToBf16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  if (std::isnan(value))
    return static_cast<uint16_t>((bits >> 16) | 0x40);
  uint32_t rounding = 0x7fff + ((bits >> 16) & 1);
  return static_cast<uint16_t>((bits + rounding) >> 16);
}

} // namespace ingot::runtime

using namespace ingot::runtime;

extern "C" {

const char *ingot_element_type_name(ingot_element_type_t type) {
  return isValidElementType(type) ? kElementTypes[type].name : nullptr;
}

size_t ingot_element_type_size(ingot_element_type_t type) {
  return isValidElementType(type) ? kElementTypes[type].size : 0;
}

int ingot_element_type_parse(const char *name, ingot_element_type_t *out_type) {
  if (!name)
    return 0;
  if (std::strcmp(name, "bool") == 0) {
    *out_type = INGOT_ELEMENT_TYPE_I1;
    return 1;
  }
  for (uint32_t i = 0; i < INGOT_ELEMENT_TYPE_COUNT; ++i) {
    if (std::strcmp(name, kElementTypes[i].name) == 0) {
      *out_type = static_cast<ingot_element_type_t>(i);
      return 1;
    }
  }
  return 0;
}

} // extern "C"
