//===- ConvTransposePatterns.cpp - transposed convolution lowering -*- C++
//-*-===//
//
// Lowers graph.conv_transpose to a stride-1 grouped convolution: the input
// is spread out by the strides and padded (one bounds- and stride-checked
// linalg.generic), the weight is transposed per group and flipped (a
// linalg.generic that gathers from it), and buildGroupedConv convolves the
// two with the transposed op's dilations.
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

namespace {

/// Builds an all-parallel linalg.generic of `type` whose element at
/// `indices` is `body(indices)`.
Value buildGather(OpBuilder &b, Location loc, RankedTensorType type,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  int64_t rank = type.getRank();
  Value init =
      b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{type}, ValueRange{}, ValueRange{init},
      ArrayRef<AffineMap>{b.getMultiDimIdentityMap(rank)}, iterators,
      [&](OpBuilder &nb, Location l, ValueRange) {
        SmallVector<Value> indices;
        for (int64_t i = 0; i < rank; ++i)
          indices.push_back(nb.create<linalg::IndexOp>(l, i));
        nb.create<linalg::YieldOp>(l, body(nb, l, indices));
      });
  return generic.getResult(0);
}

/// graph.conv_transpose -> spread + pad, flipped weight, grouped conv, bias.
struct ConvTransposeLowering : public OpRewritePattern<graph::ConvTransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::ConvTransposeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    if (!resultType.hasStaticShape() || !inputType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Type elementType = resultType.getElementType();
    int64_t rank = inputType.getRank();
    int64_t n = rank - 2;
    ArrayRef<int64_t> strides = op.getStrides(), pads = op.getPads(),
                      dilations = op.getDilations(),
                      outputPadding = op.getOutputPadding();

    // Spread input: element d of a spatial dim lands at `low + d * stride`
    // of a dim of `(D - 1) * stride + 1 + low + high` elements, zeros
    // elsewhere. A negative `low` or `high` crops.
    SmallVector<int64_t> low(n), spreadShape(inputType.getShape());
    for (int64_t i = 0; i < n; ++i) {
      int64_t extent = (weightType.getDimSize(2 + i) - 1) * dilations[i];
      low[i] = extent - pads[i];
      int64_t high = extent - pads[n + i] + outputPadding[i];
      spreadShape[2 + i] =
          (inputType.getDimSize(2 + i) - 1) * strides[i] + 1 + low[i] + high;
    }
    Value input = op.getInput();
    Value spread = buildGather(
        rewriter, loc, RankedTensorType::get(spreadShape, elementType),
        [&](OpBuilder &nb, Location l, ValueRange indices) -> Value {
          auto constant = [&](int64_t v) -> Value {
            return nb.create<arith::ConstantIndexOp>(l, v);
          };
          Value zero = constant(0);
          SmallVector<Value> source = {indices[0], indices[1]};
          Value valid;
          for (int64_t i = 0; i < n; ++i) {
            Value offset =
                nb.create<arith::SubIOp>(l, indices[2 + i], constant(low[i]));
            Value stride = constant(strides[i]);
            Value quotient = nb.create<arith::DivSIOp>(l, offset, stride);
            Value onGrid = nb.create<arith::CmpIOp>(
                l, arith::CmpIPredicate::eq,
                nb.create<arith::RemSIOp>(l, offset, stride), zero);
            Value inside = nb.create<arith::AndIOp>(
                l,
                nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::sge, offset,
                                         zero),
                nb.create<arith::CmpIOp>(
                    l, arith::CmpIPredicate::slt, quotient,
                    constant(inputType.getDimSize(2 + i))));
            Value ok = nb.create<arith::AndIOp>(l, onGrid, inside);
            source.push_back(nb.create<arith::SelectOp>(l, ok, quotient, zero));
            valid =
                valid ? nb.create<arith::AndIOp>(l, valid, ok).getResult() : ok;
          }
          Value element = nb.create<tensor::ExtractOp>(l, input, source);
          return nb.create<arith::SelectOp>(
              l, valid, element, buildScalarConstant(nb, l, elementType, 0.0));
        });

    // Flipped weight: C x F/G x K... -> F x C/G x K... with
    // w'[g * F/G + f][c][k] = w[g * C/G + c][f][K - 1 - k].
    int64_t group = op.getGroup();
    int64_t channelsPerGroup = weightType.getDimSize(0) / group;
    int64_t filtersPerGroup = weightType.getDimSize(1);
    SmallVector<int64_t> flippedShape(weightType.getShape());
    flippedShape[0] = filtersPerGroup * group;
    flippedShape[1] = channelsPerGroup;
    Value weight = op.getWeight();
    Value flipped = buildGather(
        rewriter, loc, RankedTensorType::get(flippedShape, elementType),
        [&](OpBuilder &nb, Location l, ValueRange indices) -> Value {
          auto constant = [&](int64_t v) -> Value {
            return nb.create<arith::ConstantIndexOp>(l, v);
          };
          Value perGroup = constant(filtersPerGroup);
          Value g = nb.create<arith::DivUIOp>(l, indices[0], perGroup);
          Value f = nb.create<arith::RemUIOp>(l, indices[0], perGroup);
          Value c = nb.create<arith::AddIOp>(
              l, nb.create<arith::MulIOp>(l, g, constant(channelsPerGroup)),
              indices[1]);
          SmallVector<Value> source = {c, f};
          for (int64_t i = 0; i < n; ++i)
            source.push_back(nb.create<arith::SubIOp>(
                l, constant(weightType.getDimSize(2 + i) - 1), indices[2 + i]));
          return nb.create<tensor::ExtractOp>(l, weight, source);
        });

    SmallVector<int64_t> unitStrides(n, 1);
    Value result = buildGroupedConv(rewriter, loc, spread, flipped, resultType,
                                    group, unitStrides, dilations);
    if (Value bias = op.getBias())
      result = addChannelBias(rewriter, loc, result, bias);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void graph_to_linalg::populateConvTransposePatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConvTransposeLowering>(patterns.getContext());
}
