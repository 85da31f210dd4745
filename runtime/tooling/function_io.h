//===- function_io.h - Parsing, printing and comparing tensors --*- C++ -*-===//
//
// The IREE-style textual tensor grammar of the runtime tools:
//
//   2x3xf32=1,2,3,4,5,6     dims, element type, values (',' or ' ' separated;
//   2x3xf32=[1 2 3][4 5 6]  brackets are ignored)
//   1x784xf32=0.5           splat: one value fills the tensor
//   f32=1                   scalar (rank 0)
//   @file.npy               the first array of a .npy file
//   2x3xf32=@file.npy       a .npy whose type must match
//   2x3xf32=@file.bin       raw little-endian bytes, exactly the tensor's size
//
// plus IREE-like printing (`2x3xf32=[1 2 3][4 5 6]`) and the comparison used
// by `--expected_output`.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_TOOLING_FUNCTION_IO_H
#define INGOT_RUNTIME_TOOLING_FUNCTION_IO_H

#include "runtime/ingot_runtime.h"

#include <string>

namespace ingot::tooling {

/// Parses one tensor in the grammar above into a new tensor.
ingot_status_t parseTensor(const std::string &spec,
                           ingot_tensor_t **out_tensor);

/// Formats `tensor` as `2x3xf32=[1 2 3][4 5 6]`, printing at most
/// `maxElements` elements and `...` after them.
std::string formatTensor(const ingot_tensor_t *tensor, size_t maxElements);

/// Compares `actual` against `expected`: element type and shape must match;
/// integers and i1 exactly; floats pass if the largest absolute difference,
/// divided by the largest absolute expected value (or by 1 if that is 0), is
/// at most `threshold`. NaN only matches NaN. Returns true on a match, else
/// false with the reason in `message`.
bool compareTensors(const ingot_tensor_t *actual,
                    const ingot_tensor_t *expected, double threshold,
                    std::string &message);

} // namespace ingot::tooling

#endif // INGOT_RUNTIME_TOOLING_FUNCTION_IO_H
