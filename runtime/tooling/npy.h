//===- npy.h - Reading and writing NumPy .npy files -------------*- C++ -*-===//
//
// The .npy format (versions 1, 2 and 3): little-endian, C order, dtypes
// f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1. Several arrays may follow each other in
// one file (as `numpy.save` appends them), so readers take an offset.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_TOOLING_NPY_H
#define INGOT_RUNTIME_TOOLING_NPY_H

#include "runtime/ingot_runtime.h"

#include <cstdint>
#include <string>

namespace ingot::tooling {

/// Parses the array starting at `data[offset]` (of a buffer of `size` bytes)
/// into a new tensor and advances `offset` past it. `name` prefixes errors.
ingot_status_t npyParse(const uint8_t *data, size_t size, size_t &offset,
                        const std::string &name, ingot_tensor_t **out_tensor);

/// Reads the first array of the .npy file at `path`.
ingot_status_t npyReadFile(const std::string &path,
                           ingot_tensor_t **out_tensor);

/// Serializes `tensor` as a .npy (version 1, or 2 for huge headers) into
/// `out`. Fails for bf16, which NumPy has no dtype for.
ingot_status_t npySerialize(const ingot_tensor_t *tensor, std::string &out);

/// Writes `tensor` to `path`, replacing the file, or appending to it if
/// `append` (so `numpy.load` on an open file reads the arrays in order).
ingot_status_t npyWriteFile(const std::string &path,
                            const ingot_tensor_t *tensor, bool append);

/// Reads the whole file at `path` into `out`.
ingot_status_t readFile(const std::string &path, std::string &out);

} // namespace ingot::tooling

#endif // INGOT_RUNTIME_TOOLING_NPY_H
