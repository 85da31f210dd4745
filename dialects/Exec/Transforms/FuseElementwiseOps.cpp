//===- FuseElementwiseOps.cpp - elementwise fusion, no reductions ---------===//
//
// Elementwise producer-consumer fusion on tensors, restricted to consumers
// without reduction loops and to single-use producers.
//
//===----------------------------------------------------------------------===//
#include "dialects/Exec/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

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

struct FuseElementwiseOpsPass
    : public mlir::ingot::exec::impl::FuseElementwiseOpsPassBase<
          FuseElementwiseOpsPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    linalg::populateElementwiseOpsFusionPatterns(patterns, shouldFuse);
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    tensor::populateFoldTensorEmptyPatterns(patterns);
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
