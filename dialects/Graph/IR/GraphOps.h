//===- GraphOps.h - graph dialect ops and shape helpers ---------*- C++ -*-===//
#ifndef INGOT_DIALECTS_GRAPH_IR_GRAPHOPS_H
#define INGOT_DIALECTS_GRAPH_IR_GRAPHOPS_H

#include "dialects/Graph/IR/GraphDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphOps.h.inc"

namespace mlir::ingot::graph {

/// Computes the numpy broadcast of shapes `lhs` and `rhs` (dynamic sizes are
/// ShapedType::kDynamic) into `result`. A dynamic size paired with 1 stays
/// dynamic; paired with a static size N > 1 it becomes N. Returns false if
/// two static sizes differ and neither is 1.
bool broadcastShapes(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs,
                     SmallVectorImpl<int64_t> &result);

/// Computes the result shape of numpy matmul of `lhs` by `rhs` (1-D operands
/// allowed) into `result`. Returns false with `error` set when the operands
/// are rank 0, the contraction sizes differ or the batch dims do not
/// broadcast.
bool matmulShape(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs,
                 SmallVectorImpl<int64_t> &result, std::string &error);

/// Returns true if `actual` can be the type of a value whose shape was
/// inferred as `inferred`: same rank, and equal sizes wherever both are
/// static.
bool isShapeCompatible(ArrayRef<int64_t> inferred, ArrayRef<int64_t> actual);

/// Returns the permutation of transpose(transpose(x, inner), outer): result
/// dim `i` is dim `inner[outer[i]]` of `x`.
SmallVector<int64_t> composePermutations(ArrayRef<int64_t> inner,
                                         ArrayRef<int64_t> outer);

/// Returns the output size of a sliding window (convolution, pooling) over
/// `size` elements, or -1 if the window does not fit; kDynamic for a
/// dynamic `size`.
int64_t windowOutputSize(int64_t size, int64_t kernel, int64_t stride,
                         int64_t padBegin, int64_t padEnd, int64_t dilation);

/// Returns the output size of a transposed convolution over `size`
/// elements (may be < 1 when the pads eat the whole output); kDynamic for a
/// dynamic `size`.
int64_t transposedWindowOutputSize(int64_t size, int64_t kernel, int64_t stride,
                                   int64_t padBegin, int64_t padEnd,
                                   int64_t dilation, int64_t outputPadding);

/// Verifies a broadcasting binary op: operands of one element type whose
/// shapes broadcast to the result's, which has the same element type.
LogicalResult verifyBroadcastingOp(Operation *op);

/// Verifies an elementwise op whose `operands` broadcast (numpy-style) to the
/// result, whose element type must be `resultElementType`.
LogicalResult verifyBroadcastingOperands(Operation *op, ValueRange operands,
                                         Type resultElementType);

} // namespace mlir::ingot::graph

#endif // INGOT_DIALECTS_GRAPH_IR_GRAPHOPS_H
