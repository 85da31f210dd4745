//===- TileAndVectorize.cpp - register tiling and vectorization -*- C++ -*-===//
//
// Inside each workgroup tile: tiles the root op to register tiles (fusing
// producers), tiles contraction reductions by a small K step, vectorizes the
// linalg ops and lowers contractions to outer products.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/CPU/Passes.h"
#include "compiler/Codegen/CPU/TilingUtils.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "ingot-cpu-tile-and-vectorize"

namespace mlir::ingot::cpu {
#define GEN_PASS_DEF_TILEANDVECTORIZEPASS
#include "compiler/Codegen/CPU/Passes.h.inc"
} // namespace mlir::ingot::cpu

using namespace mlir;
using namespace mlir::ingot::cpu;

namespace {

/// Register tile: rows of the accumulator (M) and vector width multiple (N).
constexpr int64_t kRegisterRows = 8;
constexpr int64_t kRegisterCols = 32;
constexpr int64_t kRegisterColsSingleRow = 128;
/// K step of contractions: outer products per loop iteration.
constexpr int64_t kContractionKStep = 8;
/// Reduction step of other reductions.
constexpr int64_t kReductionStep = 32;

/// Register tile sizes for the root's loops: 1 on leading parallel dims,
/// M/N-sized on the two innermost parallel dims, 0 on reductions.
SmallVector<int64_t> registerTileSizes(ArrayRef<int64_t> bounds,
                                       ArrayRef<bool> isParallel) {
  SmallVector<int64_t> tiles(bounds.size(), 0);
  SmallVector<unsigned> parallelDims;
  for (unsigned i = 0; i < bounds.size(); ++i)
    if (isParallel[i]) {
      parallelDims.push_back(i);
      tiles[i] = 1;
    }
  if (parallelDims.empty())
    return tiles;
  unsigned n = parallelDims.back();
  int64_t rows = 1;
  if (parallelDims.size() >= 2) {
    unsigned m = parallelDims[parallelDims.size() - 2];
    tiles[m] = largestDivisorAtMost(bounds[m], kRegisterRows);
    rows = tiles[m];
  }
  tiles[n] = largestVectorDivisorAtMost(
      bounds[n], rows == 1 ? kRegisterColsSingleRow : kRegisterCols, 16);
  return tiles;
}

/// Tiles `op` and fuses its producers with scf.for loops; returns failure
/// only on a tiling error (nothing to tile is success).
LogicalResult tileAndFuse(RewriterBase &rewriter, TilingInterface op,
                          ArrayRef<int64_t> tiles) {
  if (llvm::all_of(tiles, [](int64_t t) { return t == 0; }))
    return success();
  scf::SCFTilingOptions tilingOptions;
  tilingOptions.setTileSizes(getAsIndexOpFoldResult(op->getContext(), tiles));
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tilingOptions);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(rewriter, op, options);
  if (failed(result))
    return failure();
  for (OpResult res : op->getResults())
    if (Value replacement = result->replacements.lookup(res))
      rewriter.replaceAllUsesWith(res, replacement);
  return success();
}

struct TileAndVectorizePass
    : public mlir::ingot::cpu::impl::TileAndVectorizePassBase<
          TileAndVectorizePass> {
  void runOnOperation() override;
};

void TileAndVectorizePass::runOnOperation() {
  func::FuncOp func = getOperation();
  MLIRContext *ctx = &getContext();
  IRRewriter rewriter(ctx);

  // 1. Register tiling of the root (the last tileable op of the kernel or of
  //    the workgroup loop body) with its producers fused.
  TilingInterface root;
  func.walk([&](TilingInterface op) {
    if (!op->getParentOfType<scf::ForOp>())
      root = op;
  });
  if (root) {
    if (std::optional<SmallVector<int64_t>> bounds = staticLoopBounds(root)) {
      SmallVector<bool> isParallel;
      for (utils::IteratorType t : root.getLoopIteratorTypes())
        isParallel.push_back(t == utils::IteratorType::parallel);
      if (failed(tileAndFuse(rewriter, root,
                             registerTileSizes(*bounds, isParallel)))) {
        root->emitOpError("failed to tile to registers");
        return signalPassFailure();
      }
      cleanupDeadOps(func);
    }
  }

  // 2. Tile reductions: contractions by a small K step (outer products),
  //    other reductions by a vector-sized step.
  SmallVector<linalg::LinalgOp> reductions;
  func.walk([&](linalg::LinalgOp op) {
    if (op.getNumReductionLoops() > 0 && op.hasPureTensorSemantics())
      reductions.push_back(op);
  });
  for (linalg::LinalgOp op : reductions) {
    auto tileable = cast<TilingInterface>(op.getOperation());
    std::optional<SmallVector<int64_t>> bounds = staticLoopBounds(tileable);
    if (!bounds)
      continue;
    bool isContraction = linalg::isaContractionOpInterface(op);
    SmallVector<int64_t> tiles(bounds->size(), 0);
    bool any = false;
    for (auto [i, t] : llvm::enumerate(op.getIteratorTypesArray())) {
      if (t != utils::IteratorType::reduction)
        continue;
      int64_t step = largestDivisorAtMost(
          (*bounds)[i], isContraction ? kContractionKStep : kReductionStep);
      if (step < (*bounds)[i]) {
        tiles[i] = step;
        any = true;
      }
    }
    if (!any)
      continue;
    scf::SCFTilingOptions options;
    options.setTileSizes(getAsIndexOpFoldResult(ctx, tiles));
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled =
        scf::tileUsingSCF(rewriter, tileable, options);
    if (failed(tiled)) {
      op->emitOpError("failed to tile reduction");
      return signalPassFailure();
    }
    rewriter.replaceOp(op, tiled->replacements);
  }

  // Fold the slicing arithmetic so the tiles look static to the vectorizer.
  {
    RewritePatternSet patterns(ctx);
    linalg::populateLinalgTilingCanonicalizationPatterns(patterns);
    tensor::populateFoldTensorEmptyPatterns(patterns);
    scf::ForOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExtractSliceOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsAndFoldGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }

  // 3. Vectorize every linalg op with static shapes. Ops the vectorizer does
  //    not handle stay as linalg and become loops later. Boolean tensors
  //    are stored one byte per element, which vector<N x i1> memory accesses
  //    (bit-packed) do not match: ops reading or writing them stay scalar.
  SmallVector<Operation *> candidates;
  auto isBoolTensor = [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    return shaped && shaped.getElementType().isInteger(1);
  };
  func.walk([&](linalg::LinalgOp op) {
    if (op.hasPureTensorSemantics() && !op.hasDynamicShape() &&
        llvm::none_of(op->getOperandTypes(), isBoolTensor))
      candidates.push_back(op);
  });
  for (Operation *op : candidates) {
    rewriter.setInsertionPoint(op);
    (void)linalg::vectorize(rewriter, op);
  }

  // 4. Lower to the vector forms LLVM handles well, one stage at a time
  //    (each stage must see the previous one's canonical output): first
  //    fold broadcast+multiply+reduce chains into vector.contract, then
  //    contractions become outer products (broadcast + FMA), then the rest.
  auto applyStage = [&](function_ref<void(RewritePatternSet &)> populate) {
    RewritePatternSet patterns(ctx);
    populate(patterns);
    vector::TransferReadOp::getCanonicalizationPatterns(patterns, ctx);
    vector::TransferWriteOp::getCanonicalizationPatterns(patterns, ctx);
    vector::TransposeOp::getCanonicalizationPatterns(patterns, ctx);
    vector::BroadcastOp::getCanonicalizationPatterns(patterns, ctx);
    vector::ContractionOp::getCanonicalizationPatterns(patterns, ctx);
    return applyPatternsAndFoldGreedily(func, std::move(patterns));
  };
  if (failed(applyStage([](RewritePatternSet &patterns) {
        vector::populateVectorReductionToContractPatterns(patterns);
        vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
      })))
    return signalPassFailure();
  if (failed(applyStage([](RewritePatternSet &patterns) {
        vector::populateVectorContractLoweringPatterns(
            patterns,
            vector::VectorTransformsOptions().setVectorTransformsOptions(
                vector::VectorContractLowering::OuterProduct));
      })))
    return signalPassFailure();
  if (failed(applyStage([](RewritePatternSet &patterns) {
        vector::populateVectorTransposeLoweringPatterns(
            patterns, vector::VectorTransformsOptions());
        vector::populateVectorMultiReductionLoweringPatterns(
            patterns, vector::VectorMultiReductionLowering::InnerParallel);
        populateMathPolynomialApproximationPatterns(patterns);
        populateExpandPowFPattern(patterns);
        vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
      })))
    return signalPassFailure();
}

} // namespace
