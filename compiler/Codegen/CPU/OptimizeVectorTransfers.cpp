//===- OptimizeVectorTransfers.cpp - hoist and forward transfers ----------===//
//
// After bufferization: fold memref alias ops into transfers, vectorize the
// small copies left between tiles, hoist loop-invariant transfer pairs and
// forward stores to loads.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/VectorTransforms.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "ingot-cpu-optimize-vector-transfers"

namespace mlir::ingot::cpu {
#define GEN_PASS_DEF_OPTIMIZEVECTORTRANSFERSPASS
#include "compiler/Codegen/CPU/Passes.h.inc"
} // namespace mlir::ingot::cpu

using namespace mlir;

namespace {

/// Elements of the largest copy turned into one vector transfer pair.
constexpr int64_t kMaxCopyVectorElements = 2048;

struct OptimizeVectorTransfersPass
    : public mlir::ingot::cpu::impl::OptimizeVectorTransfersPassBase<
          OptimizeVectorTransfersPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    // Canonical subviews and transfers first: hoisting only recognises
    // transfers on the same base memref with the same indices.
    RewritePatternSet patterns(ctx);
    memref::populateFoldMemRefAliasOpPatterns(patterns);
    for (RegisteredOperationName op : ctx->getRegisteredOperations())
      if (op.getDialectNamespace() == "memref" ||
          op.getDialectNamespace() == "vector" ||
          op.getDialectNamespace() == "scf" ||
          op.getDialectNamespace() == "arith" ||
          op.getDialectNamespace() == "affine" ||
          op.getDialectNamespace() == "linalg")
        op.getCanonicalizationPatterns(patterns, ctx);
    FrozenRewritePatternSet frozen(std::move(patterns));
    if (failed(applyPatternsAndFoldGreedily(func, frozen)))
      return signalPassFailure();
    // Equal subviews merged, the copies of a tile onto itself that
    // bufferization leaves inside a K loop (rank-reduced panel tiles) fold
    // away and no longer block hoisting the accumulator.
    IRRewriter rewriter(ctx);
    DominanceInfo dominance;
    eliminateCommonSubExpressions(rewriter, dominance, func);
    if (failed(applyPatternsAndFoldGreedily(func, frozen)))
      return signalPassFailure();
    // Copies between tiles that bufferization made of slices (a window
    // copy whose unit loops were dropped) become vector transfers rather
    // than scalar loops; large ones stay loops, bounding code size.
    SmallVector<linalg::CopyOp> copies;
    func.walk([&](linalg::CopyOp copy) {
      auto type = dyn_cast<MemRefType>(copy.getInputs()[0].getType());
      if (copy.hasPureBufferSemantics() && type && type.hasStaticShape() &&
          type.getElementType().isIntOrFloat() &&
          !type.getElementType().isInteger(1) &&
          type.getNumElements() <= kMaxCopyVectorElements)
        copies.push_back(copy);
    });
    for (linalg::CopyOp copy : copies) {
      rewriter.setInsertionPoint(copy);
      (void)linalg::vectorize(rewriter, copy);
    }
    linalg::hoistRedundantVectorTransfers(func);
    vector::transferOpflowOpt(rewriter, func);
    // Temporary tiles whose reads were all forwarded are now write-only.
    SmallVector<memref::AllocOp> allocs;
    func.walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
    for (memref::AllocOp alloc : allocs) {
      if (!llvm::all_of(alloc->getUsers(), [](Operation *user) {
            return isa<vector::TransferWriteOp, memref::StoreOp,
                       memref::DeallocOp>(user);
          }))
        continue;
      for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
        user->erase();
      alloc->erase();
    }
    if (failed(applyPatternsAndFoldGreedily(func, frozen)))
      return signalPassFailure();
  }
};

} // namespace
