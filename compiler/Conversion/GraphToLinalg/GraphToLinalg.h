//===- GraphToLinalg.h - graph-to-linalg patterns and helpers ---*- C++ -*-===//
//
// Internal to the graph-to-linalg conversion: the pattern sets of each op
// family and the IR-building helpers they share.
//
//===----------------------------------------------------------------------===//
#ifndef INGOT_COMPILER_CONVERSION_GRAPHTOLINALG_GRAPHTOLINALG_H
#define INGOT_COMPILER_CONVERSION_GRAPHTOLINALG_GRAPHTOLINALG_H

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::ingot::graph_to_linalg {

/// Adds the patterns lowering elementwise ops and softmax.
void populateElementwisePatterns(RewritePatternSet &patterns);
/// Adds the patterns lowering unary math, activations, comparisons, logical
/// and bitwise ops, where, cast and div (ElementwiseMathPatterns.cpp).
void populateElementwiseMathPatterns(RewritePatternSet &patterns);
/// Adds the patterns lowering matmul and gemm.
void populateContractionPatterns(RewritePatternSet &patterns);
/// Adds the patterns lowering conv and max_pool.
void populateConvPoolPatterns(RewritePatternSet &patterns);
/// Adds the pattern lowering conv_transpose (ConvTransposePatterns.cpp).
void populateConvTransposePatterns(RewritePatternSet &patterns);
/// Adds the patterns lowering slice and gather.
void populateIndexingPatterns(RewritePatternSet &patterns);
/// Adds the patterns lowering reduce, arg_reduce, log_softmax, hardmax and
/// cumsum (ReductionPatterns.cpp).
void populateReductionPatterns(RewritePatternSet &patterns);
/// Adds the patterns lowering concat, pad, tile, expand, trilu,
/// gather_elements, resize, dynamic_slice, range and one_hot
/// (TensorPatterns.cpp).
void populateTensorPatterns(RewritePatternSet &patterns);
/// Adds the pattern lowering the N-D pool (PoolPatterns.cpp).
void populatePoolPatterns(RewritePatternSet &patterns);

/// Builds the scalar body of an elementwise op from the block arguments of
/// the inputs (the output argument is not passed).
using ScalarBodyBuilder =
    function_ref<Value(OpBuilder &b, Location loc, ValueRange args)>;

/// Builds the scalar of an index-driven op from the result coordinates
/// (`indices`) and the scalars of the identity-mapped `args`.
using IndexBodyBuilder = function_ref<Value(
    OpBuilder &b, Location loc, ValueRange indices, ValueRange args)>;

/// Builds an all-parallel linalg.generic over the static `resultType` whose
/// `inputs` (if any) have the result's shape and identity maps; `body` gets
/// the linalg.index of every dim and typically reads other tensors with
/// tensor.extract.
Value buildIndexGeneric(OpBuilder &b, Location loc, RankedTensorType resultType,
                        ValueRange inputs, IndexBodyBuilder body);

/// Returns the sizes of `value` (a ranked tensor): attributes for static
/// sizes, `tensor.dim` for dynamic ones.
SmallVector<OpFoldResult> getSizes(OpBuilder &b, Location loc, Value value);

/// Computes the sizes of the numpy broadcast of `operands` whose result shape
/// is `resultShape`: a dynamic size is read from an operand whose aligned
/// size is not statically 1.
SmallVector<OpFoldResult> getBroadcastSizes(OpBuilder &b, Location loc,
                                            ValueRange operands,
                                            ArrayRef<int64_t> resultShape);

/// Builds an all-parallel `linalg.generic` computing `body` elementwise over
/// `resultType` (whose sizes are `sizes`) from `inputs`, which broadcast to
/// it numpy-style. Broadcast size-1 dims of an input are collapsed away
/// first, so every indexing map is a projected permutation; the output map
/// is the identity and its init a `tensor.empty`.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ArrayRef<OpFoldResult> sizes, ValueRange inputs,
                       ScalarBodyBuilder body);

/// Replaces the elementwise `op`, whose operands broadcast numpy-style to
/// its single result, by buildElementwise with `body`.
LogicalResult lowerBroadcastingOp(PatternRewriter &rewriter, Operation *op,
                                  ScalarBodyBuilder body);

/// Collapses or expands `value` to `resultType` with `tensor.collapse_shape`
/// and `tensor.expand_shape`: directly when the shapes group into each
/// other, else through a 1-D tensor. Fails when `resultType` has more than
/// one dynamic size that cannot be taken from `value`.
FailureOr<Value> buildReshape(OpBuilder &b, Location loc, Value value,
                              RankedTensorType resultType);

/// Builds `tensor.expand_shape` of `value` to `resultType`, whose sizes are
/// `sizes`.
Value buildExpand(OpBuilder &b, Location loc, Value value,
                  RankedTensorType resultType,
                  ArrayRef<ReassociationIndices> reassociation,
                  ArrayRef<OpFoldResult> sizes);

/// Builds the grouped convolution of `input` (N x C x D1 x ..., padded) by
/// `weight` (F x C/G x K1 x ...) into zeros of `initType` (N x F x O1 x ...)
/// as a linalg.generic over (n, g, f, o1, ..., c, k1, ...); any number of
/// spatial dims.
Value buildGroupedConv(OpBuilder &b, Location loc, Value input, Value weight,
                       RankedTensorType initType, int64_t groups,
                       ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations);

/// Adds the 1-D per-channel `bias` to the N x F x ... `result`.
Value addChannelBias(OpBuilder &b, Location loc, Value result, Value bias);

/// Pads the statically shaped `input` by `low`/`high` elements per dim with
/// `padValue`, as an all-parallel linalg.generic that reads `input` with
/// bounds-checked tensor.extract. Returns `input` when nothing is padded;
/// fails on dynamic shapes.
FailureOr<Value> buildPad(OpBuilder &b, Location loc, Value input,
                          ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                          double padValue);

/// Returns the zero (or `value`) constant of the scalar type `type`.
Value buildScalarConstant(OpBuilder &b, Location loc, Type type, double value);

} // namespace mlir::ingot::graph_to_linalg

#endif // INGOT_COMPILER_CONVERSION_GRAPHTOLINALG_GRAPHTOLINALG_H
