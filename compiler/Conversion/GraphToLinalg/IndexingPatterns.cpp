//===- IndexingPatterns.cpp - slice and gather lowering ---------*- C++ -*-===//
//
// Lowers graph.slice to tensor.extract_slice, and graph.gather to a
// linalg.generic over the result that reads the data with tensor.extract at
// the gathered index.
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

/// graph.slice -> tensor.extract_slice (a strided view of the input; the
/// kernel that holds it copies the elements).
struct SliceLowering : public OpRewritePattern<graph::SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::SliceOp op,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    MLIRContext *ctx = rewriter.getContext();
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, resultType, op.getInput(),
        getAsIndexOpFoldResult(ctx, op.getStarts()),
        getAsIndexOpFoldResult(ctx, resultType.getShape()),
        getAsIndexOpFoldResult(ctx, op.getSteps()));
    return success();
  }
};

/// graph.gather -> linalg.generic over the result: the index is read from
/// `indices` (wrapped if negative, clamped), the element with tensor.extract.
struct GatherLowering : public OpRewritePattern<graph::GatherOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::GatherOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    if (!resultType.hasStaticShape() || !dataType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    int64_t rank = resultType.getRank();
    int64_t axis = op.getAxis();
    int64_t indexRank = indicesType.getRank();
    SmallVector<AffineExpr> indexExprs;
    for (int64_t i = 0; i < indexRank; ++i)
      indexExprs.push_back(rewriter.getAffineDimExpr(axis + i));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, indexExprs, rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(rank)};
    Value init = rewriter.create<tensor::EmptyOp>(loc, resultType.getShape(),
                                                  resultType.getElementType());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value data = op.getData();
    int64_t axisSize = dataType.getDimSize(axis);
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{resultType}, ValueRange{op.getIndices()},
        ValueRange{init}, maps, iterators,
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value index =
              nb.create<arith::IndexCastOp>(l, nb.getIndexType(), args[0]);
          Value zero = nb.create<arith::ConstantIndexOp>(l, 0);
          Value size = nb.create<arith::ConstantIndexOp>(l, axisSize);
          Value negative = nb.create<arith::CmpIOp>(
              l, arith::CmpIPredicate::slt, index, zero);
          index = nb.create<arith::SelectOp>(
              l, negative, nb.create<arith::AddIOp>(l, index, size), index);
          // Out-of-range indices are clamped rather than read out of bounds.
          Value last = nb.create<arith::ConstantIndexOp>(l, axisSize - 1);
          index = nb.create<arith::MaxSIOp>(l, index, zero);
          index = nb.create<arith::MinSIOp>(l, index, last);
          SmallVector<Value> coordinates;
          for (int64_t i = 0; i < dataType.getRank(); ++i) {
            if (i < axis)
              coordinates.push_back(nb.create<linalg::IndexOp>(l, i));
            else if (i == axis)
              coordinates.push_back(index);
            else
              coordinates.push_back(
                  nb.create<linalg::IndexOp>(l, i + indexRank - 1));
          }
          nb.create<linalg::YieldOp>(
              l,
              nb.create<tensor::ExtractOp>(l, data, coordinates).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void graph_to_linalg::populateIndexingPatterns(RewritePatternSet &patterns) {
  patterns.add<SliceLowering, GatherLowering>(patterns.getContext());
}
