//===- types.h - Element types, shapes and aligned storage ------*- C++ -*-===//
//
// Small helpers shared by the runtime and the tooling layer: element type
// queries, `1x784xf32`-style type strings, overflow-checked size arithmetic
// and 64-byte-aligned heap storage.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_BASE_TYPES_H
#define INGOT_RUNTIME_BASE_TYPES_H

#include "runtime/ingot_runtime.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace ingot::runtime {

/// Alignment of every buffer the runtime hands to kernels.
constexpr size_t kBufferAlignment = 64;

/// Returns true if `type` is a valid element type value.
bool isValidElementType(uint32_t type);

/// Returns true if `type` is a floating-point type (f16, bf16, f32, f64).
bool isFloatElementType(ingot_element_type_t type);

/// Formats dims and element type as `2x3xf32` (`?` for dynamic dims, just
/// `f32` for rank 0).
std::string formatTensorType(ingot_element_type_t type, const int64_t *dims,
                             size_t rank);

/// Multiplies `a * b` into `out`; returns false on overflow.
inline bool checkedMul(uint64_t a, uint64_t b, uint64_t &out) {
  return !__builtin_mul_overflow(a, b, &out);
}

/// Adds `a + b` into `out`; returns false on overflow.
inline bool checkedAdd(uint64_t a, uint64_t b, uint64_t &out) {
  return !__builtin_add_overflow(a, b, &out);
}

/// Computes the element count of static `dims` (all >= 0) into `out`; returns
/// false if a dim is negative or the product overflows.
bool elementCount(const int64_t *dims, size_t rank, uint64_t &out);

/// Frees memory from `alignedAllocate`.
struct AlignedDeleter {
  void operator()(void *ptr) const;
};

/// 64-byte-aligned heap storage.
using AlignedStorage = std::unique_ptr<void, AlignedDeleter>;

/// Allocates `size` bytes (at least one) aligned to kBufferAlignment, zeroed
/// if `zero`. Returns null storage on failure.
AlignedStorage alignedAllocate(size_t size, bool zero);

/// Converts an IEEE half to float.
float halfToFloat(uint16_t value);

/// Converts a float to IEEE half (round to nearest even).
uint16_t floatToHalf(float value);

/// Converts a bfloat16 to float.
float bf16ToFloat(uint16_t value);

/// Converts a float to bfloat16 (round to nearest even).
uint16_t floatToBf16(float value);

} // namespace ingot::runtime

#endif // INGOT_RUNTIME_BASE_TYPES_H
