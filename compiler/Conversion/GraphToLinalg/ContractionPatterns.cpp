//===- ContractionPatterns.cpp - matmul and gemm lowering -------*- C++ -*-===//
//
// Lowers graph.matmul to linalg.matmul / linalg.batch_matmul and graph.gemm
// to linalg.transpose + linalg.matmul + an elementwise epilogue.
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

/// Returns a `linalg.fill` of zero into a `tensor.empty` of `sizes`.
Value buildZeroInit(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                    Type elementType) {
  Value empty = b.create<tensor::EmptyOp>(loc, sizes, elementType);
  Value zero = buildScalarConstant(b, loc, elementType, 0.0);
  return b.create<linalg::FillOp>(loc, zero, empty).getResult(0);
}

/// Returns the static shape of `sizes` (dynamic where a size is a value).
SmallVector<int64_t> staticShape(ArrayRef<OpFoldResult> sizes) {
  SmallVector<int64_t> shape;
  for (OpFoldResult size : sizes) {
    std::optional<int64_t> constant = getConstantIntValue(size);
    shape.push_back(constant ? *constant : ShapedType::kDynamic);
  }
  return shape;
}

/// Returns [[0, ..., n-1], [n], [n+1]]: the batch dims of a rank-(n+2)
/// tensor grouped into one.
SmallVector<ReassociationIndices> batchGroups(int64_t numBatch) {
  ReassociationIndices batch;
  for (int64_t i = 0; i < numBatch; ++i)
    batch.push_back(i);
  return {batch, {numBatch}, {numBatch + 1}};
}

/// Collapses the batch dims of a rank >= 3 `value` into one.
Value collapseBatch(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t numBatch = type.getRank() - 2;
  if (numBatch == 1)
    return value;
  int64_t batch = 1;
  for (int64_t size : type.getShape().drop_back(2))
    batch = ShapedType::isDynamic(size) || ShapedType::isDynamic(batch)
                ? ShapedType::kDynamic
                : batch * size;
  auto collapsedType = RankedTensorType::get(
      {batch, type.getDimSize(numBatch), type.getDimSize(numBatch + 1)},
      type.getElementType());
  return b.create<tensor::CollapseShapeOp>(loc, collapsedType, value,
                                           batchGroups(numBatch));
}

/// Multiplies 2-D or batched 3-D+ operands (both of rank >= 2 and, if
/// batched, with equal batch shapes `batchSizes`): returns a value of shape
/// batchSizes x M x N.
Value buildProduct(OpBuilder &b, Location loc, Value lhs, Value rhs,
                   ArrayRef<OpFoldResult> batchSizes, Type elementType) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  int64_t rank = lhsType.getRank();
  OpFoldResult m = tensor::getMixedSize(b, loc, lhs, rank - 2);
  OpFoldResult n = tensor::getMixedSize(b, loc, rhs, rank - 1);
  if (rank == 2) {
    Value init = buildZeroInit(b, loc, {m, n}, elementType);
    return b
        .create<linalg::MatmulOp>(loc, TypeRange{init.getType()},
                                  ValueRange{lhs, rhs}, ValueRange{init})
        .getResult(0);
  }
  Value lhs3 = collapseBatch(b, loc, lhs);
  Value rhs3 = collapseBatch(b, loc, rhs);
  OpFoldResult batch = tensor::getMixedSize(b, loc, lhs3, 0);
  Value init = buildZeroInit(b, loc, {batch, m, n}, elementType);
  Value product =
      b.create<linalg::BatchMatmulOp>(loc, TypeRange{init.getType()},
                                      ValueRange{lhs3, rhs3}, ValueRange{init})
          .getResult(0);
  if (rank == 3)
    return product;
  SmallVector<OpFoldResult> sizes(batchSizes);
  sizes.push_back(m);
  sizes.push_back(n);
  auto resultType = RankedTensorType::get(staticShape(sizes), elementType);
  return buildExpand(b, loc, product, resultType, batchGroups(rank - 2), sizes);
}

/// Broadcasts `value` (rank >= 2) to batchSizes x rows x cols when its batch
/// dims differ from `batchShape`.
Value broadcastBatch(OpBuilder &b, Location loc, Value value,
                     ArrayRef<int64_t> batchShape,
                     ArrayRef<OpFoldResult> batchSizes) {
  auto type = cast<RankedTensorType>(value.getType());
  ArrayRef<int64_t> ownBatch = type.getShape().drop_back(2);
  if (ownBatch.size() == batchShape.size() &&
      llvm::all_of(llvm::zip(ownBatch, batchShape), [](auto pair) {
        auto [own, target] = pair;
        return own == target || (own != 1 && ShapedType::isDynamic(target)) ||
               (ShapedType::isDynamic(own) && target != 1);
      }))
    return value;
  SmallVector<int64_t> shape(batchShape);
  shape.push_back(type.getDimSize(type.getRank() - 2));
  shape.push_back(type.getDimSize(type.getRank() - 1));
  SmallVector<OpFoldResult> sizes(batchSizes);
  sizes.push_back(tensor::getMixedSize(b, loc, value, type.getRank() - 2));
  sizes.push_back(tensor::getMixedSize(b, loc, value, type.getRank() - 1));
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return buildElementwise(
      b, loc, resultType, sizes, value,
      [](OpBuilder &, Location, ValueRange args) { return args[0]; });
}

/// numpy matmul: 1-D operands are expanded, a 2-D rhs turns the lhs batch
/// into rows of one linalg.matmul, other batches broadcast and use
/// linalg.batch_matmul.
struct MatMulLowering : public OpRewritePattern<graph::MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::MatMulOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs = op.getLhs();
    Value rhs = op.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();

    // 1-D operands: K -> 1xK (lhs) and K -> Kx1 (rhs).
    bool vectorLhs = lhsType.getRank() == 1;
    bool vectorRhs = rhsType.getRank() == 1;
    auto expandVector = [&](Value v, bool asRow) {
      OpFoldResult k = tensor::getMixedSize(rewriter, loc, v, 0);
      int64_t kSize = cast<RankedTensorType>(v.getType()).getDimSize(0);
      SmallVector<int64_t> shape = asRow ? SmallVector<int64_t>{1, kSize}
                                         : SmallVector<int64_t>{kSize, 1};
      SmallVector<OpFoldResult> sizes =
          asRow ? SmallVector<OpFoldResult>{rewriter.getIndexAttr(1), k}
                : SmallVector<OpFoldResult>{k, rewriter.getIndexAttr(1)};
      return buildExpand(rewriter, loc, v,
                         RankedTensorType::get(shape, elementType), {{0, 1}},
                         sizes);
    };
    if (vectorLhs)
      lhs = expandVector(lhs, /*asRow=*/true);
    if (vectorRhs)
      rhs = expandVector(rhs, /*asRow=*/false);
    lhsType = cast<RankedTensorType>(lhs.getType());
    rhsType = cast<RankedTensorType>(rhs.getType());

    Value product;
    if (rhsType.getRank() == 2) {
      // Batch of the lhs folded into its rows: [B..., M, K] -> [B*M, K].
      int64_t lhsRank = lhsType.getRank();
      SmallVector<OpFoldResult> lhsSizes = getSizes(rewriter, loc, lhs);
      Value rows = lhs;
      if (lhsRank > 2) {
        ReassociationIndices leading;
        for (int64_t i = 0; i < lhsRank - 1; ++i)
          leading.push_back(i);
        int64_t m = 1;
        for (int64_t size : lhsType.getShape().drop_back())
          m = ShapedType::isDynamic(size) || ShapedType::isDynamic(m)
                  ? ShapedType::kDynamic
                  : m * size;
        rows = rewriter.create<tensor::CollapseShapeOp>(
            loc,
            RankedTensorType::get({m, lhsType.getShape().back()}, elementType),
            lhs, ArrayRef<ReassociationIndices>{leading, {lhsRank - 1}});
      }
      product = buildProduct(rewriter, loc, rows, rhs, {}, elementType);
      if (lhsRank > 2) {
        SmallVector<OpFoldResult> sizes(ArrayRef(lhsSizes).drop_back());
        sizes.push_back(tensor::getMixedSize(rewriter, loc, rhs, 1));
        ReassociationIndices leading;
        for (int64_t i = 0; i < lhsRank - 1; ++i)
          leading.push_back(i);
        product =
            buildExpand(rewriter, loc, product,
                        RankedTensorType::get(staticShape(sizes), elementType),
                        {leading, {lhsRank - 1}}, sizes);
      }
    } else {
      // Batched: broadcast the batch dims, then linalg.batch_matmul.
      ArrayRef<int64_t> lhsBatch = lhsType.getShape().drop_back(2);
      ArrayRef<int64_t> rhsBatch = rhsType.getShape().drop_back(2);
      SmallVector<int64_t> batchShape;
      if (!graph::broadcastShapes(lhsBatch, rhsBatch, batchShape))
        return rewriter.notifyMatchFailure(op, "batch dims do not broadcast");
      // Sizes of the batch dims, read from the operand that has them.
      SmallVector<OpFoldResult> batchSizes;
      int64_t numBatch = batchShape.size();
      for (int64_t i = 0; i < numBatch; ++i) {
        OpFoldResult size = rewriter.getIndexAttr(batchShape[i]);
        if (ShapedType::isDynamic(batchShape[i])) {
          for (auto [value, batch] :
               {std::make_pair(lhs, lhsBatch), std::make_pair(rhs, rhsBatch)}) {
            int64_t dim = i - (numBatch - batch.size());
            if (dim >= 0 && batch[dim] != 1) {
              size = tensor::getMixedSize(rewriter, loc, value, dim);
              break;
            }
          }
        }
        batchSizes.push_back(size);
      }
      lhs = broadcastBatch(rewriter, loc, lhs, batchShape, batchSizes);
      rhs = broadcastBatch(rewriter, loc, rhs, batchShape, batchSizes);
      product = buildProduct(rewriter, loc, lhs, rhs, batchSizes, elementType);
    }

    // Drop the unit dims added for 1-D operands.
    if (vectorLhs || vectorRhs) {
      auto productType = cast<RankedTensorType>(product.getType());
      int64_t rank = productType.getRank();
      SmallVector<ReassociationIndices> groups;
      for (int64_t i = 0; i < rank - 2; ++i)
        groups.push_back({i});
      if (vectorLhs && vectorRhs)
        groups.clear(); // 1x1 -> scalar.
      else
        groups.push_back({rank - 2, rank - 1});
      product = rewriter.create<tensor::CollapseShapeOp>(
          loc, RankedTensorType::get(resultType.getShape(), elementType),
          product, groups);
    }
    if (product.getType() != resultType)
      product = rewriter.create<tensor::CastOp>(loc, resultType, product);
    rewriter.replaceOp(op, product);
    return success();
  }
};

/// gemm: optional transposes, a matmul, and alpha/beta/C in one elementwise
/// linalg.generic consuming the product.
struct GemmLowering : public OpRewritePattern<graph::GemmOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::GemmOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    if (!isa<FloatType>(elementType) &&
        (alpha != 1.0 || (op.getC() && beta != 1.0)))
      return rewriter.notifyMatchFailure(op,
                                         "integer gemm needs alpha = beta = 1");

    auto transpose = [&](Value v) -> Value {
      auto type = cast<RankedTensorType>(v.getType());
      SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, v);
      std::swap(sizes[0], sizes[1]);
      Value init =
          rewriter.create<tensor::EmptyOp>(loc, sizes, type.getElementType());
      return rewriter
          .create<linalg::TransposeOp>(loc, v, init, ArrayRef<int64_t>{1, 0})
          ->getResult(0);
    };
    Value a = op.getTransA() ? transpose(op.getA()) : op.getA();
    Value b = op.getTransB() ? transpose(op.getB()) : op.getB();
    Value product = buildProduct(rewriter, loc, a, b, {}, elementType);

    Value c = op.getC();
    if (alpha != 1.0 || c) {
      SmallVector<Value> inputs = {product};
      if (c)
        inputs.push_back(c);
      auto productType = cast<RankedTensorType>(product.getType());
      product = buildElementwise(
          rewriter, loc, productType, getSizes(rewriter, loc, product), inputs,
          [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
            Value v = args[0];
            bool isFloat = isa<FloatType>(v.getType());
            if (alpha != 1.0)
              v = nb.create<arith::MulFOp>(
                  l, v, buildScalarConstant(nb, l, v.getType(), alpha));
            if (args.size() < 2)
              return v;
            Value cv = args[1];
            if (beta != 1.0)
              cv = nb.create<arith::MulFOp>(
                  l, cv, buildScalarConstant(nb, l, cv.getType(), beta));
            if (isFloat)
              return nb.create<arith::AddFOp>(l, v, cv);
            return nb.create<arith::AddIOp>(l, v, cv);
          });
    }
    if (product.getType() != resultType)
      product = rewriter.create<tensor::CastOp>(loc, resultType, product);
    rewriter.replaceOp(op, product);
    return success();
  }
};

} // namespace

void graph_to_linalg::populateContractionPatterns(RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, GemmLowering>(patterns.getContext());
}
