//===- ConvPoolPatterns.cpp - convolution and pooling lowering --*- C++ -*-===//
//
// Lowers 2-D graph.conv (floating-point or integer) to
// linalg.conv_2d_nchw_fchw (group 1),
// linalg.depthwise_conv_2d_nchw_chw (one filter per channel) or a grouped
// linalg.generic, graph.conv of other spatial ranks to the grouped generic,
// and graph.max_pool to linalg.pooling_nchw_max. Padding is an explicit
// linalg.generic that reads the input with bounds checks.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::graph_to_linalg;

FailureOr<Value> graph_to_linalg::buildPad(OpBuilder &b, Location loc,
                                           Value input, ArrayRef<int64_t> low,
                                           ArrayRef<int64_t> high,
                                           double padValue) {
  auto type = cast<RankedTensorType>(input.getType());
  if (!type.hasStaticShape())
    return failure();
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return input;
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i)
    shape.push_back(type.getDimSize(i) + low[i] + high[i]);
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  Value init = b.create<tensor::EmptyOp>(loc, shape, type.getElementType());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{resultType}, ValueRange{}, ValueRange{init},
      ArrayRef<AffineMap>{b.getMultiDimIdentityMap(rank)}, iterators,
      [&](OpBuilder &nb, Location l, ValueRange) {
        Value inBounds;
        SmallVector<Value> indices;
        Value zero = nb.create<arith::ConstantIndexOp>(l, 0);
        for (int64_t i = 0; i < rank; ++i) {
          Value index = nb.create<linalg::IndexOp>(l, i);
          if (low[i] == 0 && high[i] == 0) {
            indices.push_back(index);
            continue;
          }
          Value source = nb.create<arith::SubIOp>(
              l, index, nb.create<arith::ConstantIndexOp>(l, low[i]));
          // Unsigned: a negative source index is out of bounds too.
          Value valid = nb.create<arith::CmpIOp>(
              l, arith::CmpIPredicate::ult, source,
              nb.create<arith::ConstantIndexOp>(l, type.getDimSize(i)));
          indices.push_back(nb.create<arith::SelectOp>(l, valid, source, zero));
          inBounds =
              inBounds
                  ? nb.create<arith::AndIOp>(l, inBounds, valid).getResult()
                  : valid;
        }
        Value element = nb.create<tensor::ExtractOp>(l, input, indices);
        Value pad = buildScalarConstant(nb, l, type.getElementType(), padValue);
        nb.create<linalg::YieldOp>(
            l,
            nb.create<arith::SelectOp>(l, inBounds, element, pad).getResult());
      });
  return generic.getResult(0);
}

namespace {

/// Returns `acc + x * y` in floating point or (wrapping) integer arithmetic.
Value multiplyAccumulate(OpBuilder &b, Location loc, Value acc, Value x,
                         Value y) {
  if (isa<FloatType>(acc.getType()))
    return b.create<arith::AddFOp>(loc, acc,
                                   b.create<arith::MulFOp>(loc, x, y));
  return b.create<arith::AddIOp>(loc, acc, b.create<arith::MulIOp>(loc, x, y));
}

/// Returns `linalg.fill(value)` into a `tensor.empty` of `type`.
Value buildFilled(OpBuilder &b, Location loc, RankedTensorType type,
                  Value value) {
  Value empty =
      b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
  return b.create<linalg::FillOp>(loc, value, empty).getResult(0);
}

/// Pads the spatial dims of an N x C x D1 x ... `input` by ONNX `pads`
/// (all begins, then all ends).
FailureOr<Value> padSpatial(OpBuilder &b, Location loc, Value input,
                            ArrayRef<int64_t> pads, double padValue) {
  size_t n = pads.size() / 2;
  SmallVector<int64_t> low = {0, 0}, high = {0, 0};
  llvm::append_range(low, pads.take_front(n));
  llvm::append_range(high, pads.drop_front(n));
  return buildPad(b, loc, input, low, high, padValue);
}

/// graph.conv -> padding, a linalg convolution into zeros, a bias add.
struct ConvLowering : public OpRewritePattern<graph::ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::ConvOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    if (!resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Type elementType = resultType.getElementType();
    FailureOr<Value> input =
        padSpatial(rewriter, loc, op.getInput(), op.getPads(), 0.0);
    if (failed(input))
      return rewriter.notifyMatchFailure(op, "needs a static input shape");
    auto zeros = [&]() {
      return buildFilled(rewriter, loc, resultType,
                         buildScalarConstant(rewriter, loc, elementType, 0.0));
    };
    auto strides = rewriter.getI64TensorAttr(op.getStrides());
    auto dilations = rewriter.getI64TensorAttr(op.getDilations());
    int64_t group = op.getGroup();
    int64_t channels = cast<RankedTensorType>(input->getType()).getDimSize(1);
    Value result;
    if (resultType.getRank() != 4) {
      // 1-D, 3-D, ...: a generic convolution (2-D keeps the named ops that
      // ingot-convert-conv-to-im2col and the depthwise kernels match).
      result =
          buildGroupedConv(rewriter, loc, *input, op.getWeight(), resultType,
                           group, op.getStrides(), op.getDilations());
    } else if (group == 1) {
      result = rewriter
                   .create<linalg::Conv2DNchwFchwOp>(
                       loc, TypeRange{resultType},
                       ValueRange{*input, op.getWeight()}, ValueRange{zeros()},
                       strides, dilations)
                   .getResult(0);
    } else if (group == channels && weightType.getDimSize(0) == channels) {
      // One filter per channel: the weight's unit dim goes away.
      auto depthwiseType = RankedTensorType::get(
          {channels, weightType.getDimSize(2), weightType.getDimSize(3)},
          elementType);
      Value weight = rewriter.create<tensor::CollapseShapeOp>(
          loc, depthwiseType, op.getWeight(),
          ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
      result = rewriter
                   .create<linalg::DepthwiseConv2DNchwChwOp>(
                       loc, TypeRange{resultType}, ValueRange{*input, weight},
                       ValueRange{zeros()}, strides, dilations)
                   .getResult(0);
    } else {
      result =
          buildGroupedConv(rewriter, loc, *input, op.getWeight(), resultType,
                           group, op.getStrides(), op.getDilations());
    }
    if (Value bias = op.getBias())
      result = addChannelBias(rewriter, loc, result, bias);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.max_pool -> -inf padding and linalg.pooling_nchw_max.
struct MaxPoolLowering : public OpRewritePattern<graph::MaxPoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::MaxPoolOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto elementType = cast<FloatType>(resultType.getElementType());
    double negInf = -std::numeric_limits<double>::infinity();
    FailureOr<Value> input =
        padSpatial(rewriter, loc, op.getInput(), op.getPads(), negInf);
    if (failed(input))
      return rewriter.notifyMatchFailure(op, "needs a static input shape");
    Value init =
        buildFilled(rewriter, loc, resultType,
                    buildScalarConstant(rewriter, loc, elementType, negInf));
    Value window =
        rewriter.create<tensor::EmptyOp>(loc, op.getKernelShape(), elementType);
    Value result =
        rewriter
            .create<linalg::PoolingNchwMaxOp>(
                loc, TypeRange{resultType}, ValueRange{*input, window},
                ValueRange{init}, rewriter.getI64TensorAttr(op.getStrides()),
                rewriter.getI64TensorAttr(op.getDilations()))
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

Value graph_to_linalg::buildGroupedConv(OpBuilder &b, Location loc, Value input,
                                        Value weight, RankedTensorType initType,
                                        int64_t groups,
                                        ArrayRef<int64_t> strides,
                                        ArrayRef<int64_t> dilations) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  Type elementType = inputType.getElementType();
  auto split = [&](Value v, RankedTensorType type, int64_t dim) {
    SmallVector<int64_t> shape(type.getShape());
    shape[dim] /= groups;
    shape.insert(shape.begin() + dim, groups);
    SmallVector<ReassociationIndices> groupsOf;
    for (int64_t i = 0, r = type.getRank(); i < r; ++i) {
      if (i == dim)
        groupsOf.push_back({i, i + 1});
      else
        groupsOf.push_back({i < dim ? i : i + 1});
    }
    auto expandedType = RankedTensorType::get(shape, elementType);
    SmallVector<OpFoldResult> sizes =
        getAsIndexOpFoldResult(b.getContext(), shape);
    return buildExpand(b, loc, v, expandedType, groupsOf, sizes);
  };
  Value inputG = split(input, inputType, 1);
  Value weightG = split(weight, weightType, 0);
  // The accumulator is filled in its grouped shape: an expanded fill would
  // be a host view of a fill, which has no kernel to run in.
  SmallVector<int64_t> initShape(initType.getShape());
  initShape[1] /= groups;
  initShape.insert(initShape.begin() + 1, groups);
  Value initG =
      buildFilled(b, loc, RankedTensorType::get(initShape, elementType),
                  buildScalarConstant(b, loc, elementType, 0.0));
  MLIRContext *ctx = b.getContext();
  int64_t spatial = strides.size();
  // Loop dims: n, g, f, o_1..o_s, c, k_1..k_s.
  unsigned numDims = 4 + 2 * spatial;
  AffineExpr n = b.getAffineDimExpr(0), g = b.getAffineDimExpr(1),
             f = b.getAffineDimExpr(2), c = b.getAffineDimExpr(3 + spatial);
  auto o = [&](int64_t i) { return b.getAffineDimExpr(3 + i); };
  auto k = [&](int64_t i) { return b.getAffineDimExpr(4 + spatial + i); };
  SmallVector<AffineExpr> inputExprs = {n, g, c}, weightExprs = {g, f, c},
                          outputExprs = {n, g, f};
  for (int64_t i = 0; i < spatial; ++i) {
    inputExprs.push_back(o(i) * strides[i] + k(i) * dilations[i]);
    weightExprs.push_back(k(i));
    outputExprs.push_back(o(i));
  }
  SmallVector<AffineMap> maps = {AffineMap::get(numDims, 0, inputExprs, ctx),
                                 AffineMap::get(numDims, 0, weightExprs, ctx),
                                 AffineMap::get(numDims, 0, outputExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(3 + spatial,
                                             utils::IteratorType::parallel);
  iterators.append(1 + spatial, utils::IteratorType::reduction);
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{initG.getType()}, ValueRange{inputG, weightG},
      ValueRange{initG}, maps, iterators,
      [](OpBuilder &nb, Location l, ValueRange args) {
        nb.create<linalg::YieldOp>(
            l, multiplyAccumulate(nb, l, args[2], args[0], args[1]));
      });
  SmallVector<ReassociationIndices> merge = {{0}, {1, 2}};
  for (int64_t i = 0; i < spatial; ++i)
    merge.push_back({3 + i});
  return b.create<tensor::CollapseShapeOp>(loc, initType, generic.getResult(0),
                                           merge);
}

Value graph_to_linalg::addChannelBias(OpBuilder &b, Location loc, Value result,
                                      Value bias) {
  auto resultType = cast<RankedTensorType>(result.getType());
  // F -> F x 1 x ... x 1 broadcasts along the channel dim.
  SmallVector<int64_t> biasShape = {resultType.getDimSize(1)};
  biasShape.append(resultType.getRank() - 2, 1);
  auto biasType = RankedTensorType::get(biasShape, resultType.getElementType());
  ReassociationIndices all =
      llvm::to_vector(llvm::seq<int64_t>(0, biasType.getRank()));
  Value expanded =
      buildExpand(b, loc, bias, biasType, {all},
                  getAsIndexOpFoldResult(b.getContext(), biasType.getShape()));
  return buildElementwise(
      b, loc, resultType,
      getAsIndexOpFoldResult(b.getContext(), resultType.getShape()),
      ValueRange{result, expanded},
      [](OpBuilder &nb, Location l, ValueRange args) -> Value {
        if (isa<FloatType>(args[0].getType()))
          return nb.create<arith::AddFOp>(l, args[0], args[1]);
        return nb.create<arith::AddIOp>(l, args[0], args[1]);
      });
}

void graph_to_linalg::populateConvPoolPatterns(RewritePatternSet &patterns) {
  patterns.add<ConvLowering, MaxPoolLowering>(patterns.getContext());
}
