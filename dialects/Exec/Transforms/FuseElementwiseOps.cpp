//===- FuseElementwiseOps.cpp - elementwise fusion, no reductions ---------===//
//
// Elementwise producer-consumer fusion on tensors, restricted to consumers
// without reduction loops and to single-use producers.
//
//===----------------------------------------------------------------------===//
#include "dialects/Exec/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include <cstring>

#define DEBUG_TYPE "ingot-exec-fuse-elementwise-ops"

namespace mlir::ingot::exec {
#define GEN_PASS_DEF_FUSEELEMENTWISEOPSPASS
#include "dialects/Exec/Transforms/Passes.h.inc"
} // namespace mlir::ingot::exec

using namespace mlir;

namespace {

/// Fuse only when it saves memory traffic without recomputation.
bool shouldFuse(OpOperand *fusedOperand) {
  Operation *producer = fusedOperand->get().getDefiningOp();
  auto consumer = dyn_cast<linalg::LinalgOp>(fusedOperand->getOwner());
  if (!producer || !consumer)
    return false;
  if (consumer.getNumReductionLoops() != 0)
    return false;
  return producer->hasOneUse();
}

/// Folds `linalg.transpose` of a constant into a transposed constant, so a
/// weight transpose (Gemm's transB) costs nothing at run time.
struct FoldConstantTranspose : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    DenseElementsAttr input;
    if (!matchPattern(op.getInput(), m_Constant(&input)))
      return failure();
    auto inType = cast<ShapedType>(input.getType());
    auto outType = cast<RankedTensorType>(op.getResult()[0].getType());
    int64_t bits = inType.getElementTypeBitWidth();
    if (!inType.hasStaticShape() || bits % 8 != 0)
      return failure();
    if (input.isSplat()) {
      rewriter.replaceOpWithNewOp<arith::ConstantOp>(
          op, outType, input.resizeSplat(outType));
      return success();
    }
    int64_t elemBytes = bits / 8;
    ArrayRef<char> raw = input.getRawData();
    std::vector<char> out(raw.size());
    ArrayRef<int64_t> perm = op.getPermutation();
    ArrayRef<int64_t> inShape = inType.getShape();
    int64_t rank = inType.getRank();
    SmallVector<int64_t> inStrides(rank, 1);
    for (int64_t d = rank - 2; d >= 0; --d)
      inStrides[d] = inStrides[d + 1] * inShape[d + 1];
    SmallVector<int64_t> index(rank, 0); // Index into the output.
    for (int64_t linear = 0, n = outType.getNumElements(); linear < n;
         ++linear) {
      int64_t source = 0;
      for (int64_t d = 0; d < rank; ++d)
        source += index[d] * inStrides[perm[d]];
      std::memcpy(&out[linear * elemBytes], &raw[source * elemBytes],
                  elemBytes);
      for (int64_t d = rank - 1; d >= 0; --d) {
        if (++index[d] < outType.getDimSize(d))
          break;
        index[d] = 0;
      }
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, outType, DenseElementsAttr::getFromRawBuffer(outType, out));
    return success();
  }
};

struct FuseElementwiseOpsPass
    : public mlir::ingot::exec::impl::FuseElementwiseOpsPassBase<
          FuseElementwiseOpsPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    linalg::populateElementwiseOpsFusionPatterns(patterns, shouldFuse);
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    patterns.add<FoldConstantTranspose>(ctx);
    tensor::populateFoldTensorEmptyPatterns(patterns);
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
