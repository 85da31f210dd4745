//===- ConvertGraphToLinalg.cpp - graph to linalg conversion ----*- C++ -*-===//
//
// The ingot-convert-graph-to-linalg pass, and the lowering of the graph ops
// that move data (constant, identity, reshape, flatten, transpose).
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/Conversion/Passes.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#define DEBUG_TYPE "ingot-convert-graph-to-linalg"

namespace mlir::ingot {
#define GEN_PASS_DEF_CONVERTGRAPHTOLINALGPASS
#include "compiler/Conversion/Passes.h.inc"
} // namespace mlir::ingot

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::graph_to_linalg;

//===----------------------------------------------------------------------===//
// Reshape helpers
//===----------------------------------------------------------------------===//

Value graph_to_linalg::buildExpand(OpBuilder &b, Location loc, Value value,
                                   RankedTensorType resultType,
                                   ArrayRef<ReassociationIndices> reassociation,
                                   ArrayRef<OpFoldResult> sizes) {
  return b.create<tensor::ExpandShapeOp>(loc, resultType, value, reassociation,
                                         sizes);
}

/// Groups the dims of `large` into consecutive runs whose sizes are the dims
/// of `small`: a static size is matched by static sizes whose product it is,
/// a dynamic size by exactly one dynamic size. Trailing 1s join the last
/// group. Returns nullopt if no such grouping exists.
static std::optional<SmallVector<ReassociationIndices>>
findGroups(ArrayRef<int64_t> large, ArrayRef<int64_t> small) {
  SmallVector<ReassociationIndices> groups;
  // Only unit dims collapse into a rank-0 tensor.
  if (small.empty()) {
    if (llvm::all_of(large, [](int64_t size) { return size == 1; }))
      return groups;
    return std::nullopt;
  }
  size_t next = 0;
  for (int64_t size : small) {
    ReassociationIndices group;
    if (ShapedType::isDynamic(size)) {
      if (next >= large.size() || !ShapedType::isDynamic(large[next]))
        return std::nullopt;
      group.push_back(next++);
    } else {
      int64_t product = 1;
      do {
        if (next >= large.size() || ShapedType::isDynamic(large[next]))
          return std::nullopt;
        product *= large[next];
        group.push_back(next++);
      } while (product != 0 && product < size);
      if (product != size)
        return std::nullopt;
    }
    groups.push_back(group);
  }
  // Trailing unit dims join the last group.
  for (; next < large.size(); ++next) {
    if (large[next] != 1 || groups.empty())
      return std::nullopt;
    groups.back().push_back(next);
  }
  return groups;
}

FailureOr<Value> graph_to_linalg::buildReshape(OpBuilder &b, Location loc,
                                               Value value,
                                               RankedTensorType resultType) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type == resultType)
    return value;
  ArrayRef<int64_t> from = type.getShape();
  ArrayRef<int64_t> to = resultType.getShape();
  if (from.size() > to.size()) {
    if (auto groups = findGroups(from, to))
      return b.create<tensor::CollapseShapeOp>(loc, resultType, value, *groups)
          .getResult();
  } else if (from.size() < to.size()) {
    if (auto groups = findGroups(to, from)) {
      // Each dynamic result size is alone in its group: it is the source's.
      // (A rank-0 source has no groups: every result size is 1.)
      SmallVector<OpFoldResult> sizes;
      for (int64_t size : to)
        sizes.push_back(b.getIndexAttr(ShapedType::isDynamic(size) ? 1 : size));
      for (auto [sourceDim, group] : llvm::enumerate(*groups))
        for (int64_t dim : group)
          if (resultType.isDynamicDim(dim))
            sizes[dim] = tensor::getMixedSize(b, loc, value, sourceDim);
      return buildExpand(b, loc, value, resultType, *groups, sizes);
    }
  }
  // Through a 1-D tensor: collapse everything, then expand.
  if (llvm::count_if(to, ShapedType::isDynamic) > 1)
    return failure();
  Value vector = value;
  int64_t numElements =
      type.hasStaticShape() ? type.getNumElements() : ShapedType::kDynamic;
  auto vectorType = RankedTensorType::get({numElements}, type.getElementType());
  if (type.getRank() == 0) {
    vector = buildExpand(b, loc, value, vectorType, {}, {b.getIndexAttr(1)});
  } else if (type.getRank() > 1) {
    ReassociationIndices all;
    for (int64_t i = 0; i < type.getRank(); ++i)
      all.push_back(i);
    vector = b.create<tensor::CollapseShapeOp>(
        loc, vectorType, value, ArrayRef<ReassociationIndices>{all});
  }
  if (resultType.getRank() == 0)
    return b
        .create<tensor::CollapseShapeOp>(loc, resultType, vector,
                                         ArrayRef<ReassociationIndices>{})
        .getResult();
  if (resultType.getRank() == 1)
    return vector.getType() == resultType
               ? vector
               : b.create<tensor::CastOp>(loc, resultType, vector).getResult();
  // The dynamic size (if any) is the element count over the static sizes.
  SmallVector<OpFoldResult> sizes;
  int64_t staticProduct = 1;
  for (int64_t size : to)
    if (!ShapedType::isDynamic(size))
      staticProduct *= size;
  ReassociationIndices all;
  for (auto [i, size] : llvm::enumerate(to)) {
    all.push_back(i);
    if (!ShapedType::isDynamic(size)) {
      sizes.push_back(b.getIndexAttr(size));
      continue;
    }
    Value count = b.create<tensor::DimOp>(loc, vector, 0);
    Value divisor = b.create<arith::ConstantIndexOp>(loc, staticProduct);
    sizes.push_back(b.create<arith::DivUIOp>(loc, count, divisor).getResult());
  }
  return buildExpand(b, loc, vector, resultType, {all}, sizes);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

/// graph.constant -> arith.constant.
struct ConstantLowering : public OpRewritePattern<graph::ConstantOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::ConstantOp op,
                                PatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "value is not a typed attribute");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, op.getType(), value);
    return success();
  }
};

/// graph.identity -> its operand.
struct IdentityLowering : public OpRewritePattern<graph::IdentityOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::IdentityOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, op.getInput());
    return success();
  }
};

/// graph.reshape / graph.flatten -> tensor.collapse_shape/expand_shape.
template <typename OpTy>
struct ReshapeLowering : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    Value input = op.getInput();
    // A flatten around an inner axis is one collapse, whatever is dynamic.
    if constexpr (std::is_same_v<OpTy, graph::FlattenOp>) {
      int64_t axis = op.getAxis();
      if (axis > 0 && axis < inputType.getRank()) {
        ReassociationIndices outer, inner;
        for (int64_t i = 0; i < inputType.getRank(); ++i)
          (i < axis ? outer : inner).push_back(i);
        rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
            op, resultType, input,
            ArrayRef<ReassociationIndices>{outer, inner});
        return success();
      }
    }
    FailureOr<Value> result =
        buildReshape(rewriter, op.getLoc(), input, resultType);
    if (failed(result))
      return rewriter.notifyMatchFailure(op, "too many dynamic sizes");
    rewriter.replaceOp(op, *result);
    return success();
  }
};

/// graph.transpose -> linalg.transpose.
struct TransposeLowering : public OpRewritePattern<graph::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<OpFoldResult> inputSizes =
        getSizes(rewriter, loc, op.getInput());
    SmallVector<OpFoldResult> sizes;
    for (int64_t p : op.getPerm())
      sizes.push_back(inputSizes[p]);
    auto resultType = cast<RankedTensorType>(op.getType());
    Value init = rewriter.create<tensor::EmptyOp>(loc, sizes,
                                                  resultType.getElementType());
    Value result =
        rewriter
            .create<linalg::TransposeOp>(loc, op.getInput(), init, op.getPerm())
            ->getResult(0);
    if (result.getType() != resultType)
      result = rewriter.create<tensor::CastOp>(loc, resultType, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

struct ConvertGraphToLinalgPass
    : public mlir::ingot::impl::ConvertGraphToLinalgPassBase<
          ConvertGraphToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    ConversionTarget target(*context);
    target.addIllegalDialect<graph::GraphDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });

    RewritePatternSet patterns(context);
    patterns.add<ConstantLowering, IdentityLowering,
                 ReshapeLowering<graph::ReshapeOp>,
                 ReshapeLowering<graph::FlattenOp>, TransposeLowering>(context);
    populateElementwisePatterns(patterns);
    populateElementwiseMathPatterns(patterns);
    populateContractionPatterns(patterns);
    populateConvPoolPatterns(patterns);
    populateConvTransposePatterns(patterns);
    populateIndexingPatterns(patterns);
    populateReductionPatterns(patterns);
    populateTensorPatterns(patterns);
    populatePoolPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
