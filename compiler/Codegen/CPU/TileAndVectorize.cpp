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
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
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
/// f32 lanes of a vector register (AVX-512).
constexpr int64_t kVectorWidth = 16;
/// K step of contractions: outer products per loop iteration.
constexpr int64_t kContractionKStep = 8;
/// Largest iteration space (elements) of one vectorized op: what a
/// register tile with its reduction steps may unroll to.
constexpr int64_t kMaxVectorElements = 2048;
/// Reduction step of other reductions.
constexpr int64_t kReductionStep = 32;

/// Register tiles of a root: sizes per loop, and whether the last parallel
/// loop (N) has a partial last tile to peel off.
struct RegisterTiles {
  SmallVector<int64_t> sizes;
  bool peelN = false;
  /// Loop order of the tile loops (empty: the op's own).
  SmallVector<int64_t> interchange;
};

/// Register tile sizes for the root's loops: 1 on leading parallel dims,
/// M/N-sized on the two innermost parallel dims (N only for window reads),
/// 0 on reductions. In kernels
/// with a contraction, an N without a divisor that is a whole number of
/// vectors (49, 196 pixels) gets whole-vector tiles and a peeled partial
/// last tile instead of narrow vectors (7, 28 lanes), which LLVM
/// legalizes badly. Window reads tile single rows along `innermost` (the
/// loop of the result's contiguous dim), when given.
RegisterTiles registerTileSizes(ArrayRef<int64_t> bounds,
                                ArrayRef<bool> isParallel, bool hasContraction,
                                bool readsWindows,
                                std::optional<unsigned> innermost) {
  RegisterTiles tiles;
  tiles.sizes.assign(bounds.size(), 0);
  SmallVector<unsigned> parallelDims;
  for (unsigned i = 0; i < bounds.size(); ++i)
    if (isParallel[i]) {
      parallelDims.push_back(i);
      tiles.sizes[i] = 1;
    }
  if (parallelDims.empty())
    return tiles;
  unsigned n = parallelDims.back();
  if (readsWindows && innermost && isParallel[*innermost])
    n = *innermost;
  int64_t rows = 1;
  // Ops reading windows (oh + kh) get single-row tiles: with all loops but
  // N of unit size, their reads become contiguous rows.
  if (parallelDims.size() >= 2 && !readsWindows) {
    unsigned m = parallelDims[parallelDims.size() - 2];
    tiles.sizes[m] = largestDivisorAtMost(bounds[m], kRegisterRows);
    rows = tiles.sizes[m];
  }
  int64_t limit = rows == 1 ? kRegisterColsSingleRow : kRegisterCols;
  int64_t cols = largestVectorDivisorAtMost(bounds[n], limit, kVectorWidth);
  if (hasContraction && rows > 1 && cols % kVectorWidth != 0 &&
      bounds[n] > kRegisterCols) {
    // The partial tile is bounds % cols wide: keep it under one vector.
    cols =
        bounds[n] % kRegisterCols < kVectorWidth ? kRegisterCols : kVectorWidth;
    tiles.peelN = true;
  }
  tiles.sizes[n] = cols;
  return tiles;
}

/// Register tiles of a root over packed panels (three innermost parallel
/// loops m, j, l): kRegisterRows rows of one panel, the panel loop outside
/// the row loop so that consecutive tiles reuse one K x NR weight panel.
RegisterTiles packedRegisterTileSizes(ArrayRef<int64_t> bounds,
                                      ArrayRef<bool> isParallel) {
  RegisterTiles tiles;
  tiles.sizes.assign(bounds.size(), 0);
  SmallVector<unsigned> parallelDims = parallelLoops(isParallel);
  for (unsigned d : parallelDims)
    tiles.sizes[d] = 1;
  unsigned l = parallelDims.back();
  unsigned j = parallelDims[parallelDims.size() - 2];
  unsigned m = parallelDims[parallelDims.size() - 3];
  tiles.sizes[l] = bounds[l];
  tiles.sizes[m] = largestDivisorAtMost(bounds[m], kRegisterRows);
  tiles.interchange = llvm::to_vector(llvm::seq<int64_t>(0, bounds.size()));
  std::swap(tiles.interchange[m], tiles.interchange[j]);
  return tiles;
}

/// Tiles `op` and fuses its producers with scf.for loops; returns failure
/// only on a tiling error (nothing to tile is success). With `peelLast`, the
/// innermost loop's partial last iteration is peeled off so both loops get
/// static tile sizes.
LogicalResult tileAndFuse(RewriterBase &rewriter, TilingInterface op,
                          ArrayRef<int64_t> tiles, bool peelLast,
                          ArrayRef<int64_t> interchange = {}) {
  if (llvm::all_of(tiles, [](int64_t t) { return t == 0; }))
    return success();
  scf::SCFTilingOptions tilingOptions;
  tilingOptions.setTileSizes(getAsIndexOpFoldResult(op->getContext(), tiles));
  if (!interchange.empty())
    tilingOptions.setInterchange(interchange);
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
  if (peelLast && !result->loops.empty())
    if (auto loop = dyn_cast<scf::ForOp>(result->loops.back().getOperation())) {
      scf::ForOp partial;
      (void)scf::peelForLoopAndSimplifyBounds(rewriter, loop, partial);
    }
  return success();
}

/// Returns true for linalg ops with an indexing map that is not a projected
/// permutation (a window read such as oh * 2 + kh): the vectorizer needs
/// their unit loops dropped first.
bool readsWindows(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp &&
         !llvm::all_of(linalgOp.getIndexingMapsArray(), [](AffineMap map) {
           return map.isProjectedPermutation();
         });
}

/// Folds the slicing arithmetic of tiled loops (affine.min of peeled loops,
/// extract_slice sizes) so tiles get static shapes.
LogicalResult foldTileArithmetic(func::FuncOp func) {
  MLIRContext *ctx = func.getContext();
  RewritePatternSet patterns(ctx);
  linalg::populateLinalgTilingCanonicalizationPatterns(patterns);
  tensor::populateFoldTensorEmptyPatterns(patterns);
  scf::ForOp::getCanonicalizationPatterns(patterns, ctx);
  tensor::ExtractSliceOp::getCanonicalizationPatterns(patterns, ctx);
  return applyPatternsAndFoldGreedily(func, std::move(patterns));
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

  // 0. Depthwise convolutions (which the vectorizer handles in NHWC only)
  //    become generics reading windows: the path below turns them into
  //    row-wide FMAs.
  SmallVector<linalg::DepthwiseConv2DNchwChwOp> depthwise;
  func.walk([&](linalg::DepthwiseConv2DNchwChwOp op) {
    if (op.hasPureTensorSemantics())
      depthwise.push_back(op);
  });
  for (linalg::DepthwiseConv2DNchwChwOp op : depthwise) {
    rewriter.setInsertionPoint(op);
    (void)linalg::generalizeNamedOp(rewriter, op);
  }
  // Kernels of a product over packed weight panels.
  std::optional<int64_t> panel = packedPanelWidth(func);
  // Ops extracting elements (padding: a clamped read of the input) get
  // single-row tiles like window reads: their extracts then vary along the
  // vector dim only and become contiguous loads instead of scalar code.
  bool kernelReadsWindows = false;
  func.walk([&](linalg::LinalgOp op) {
    kernelReadsWindows |=
        readsWindows(op) ||
        (isa<linalg::GenericOp>(op) &&
         !op->getRegion(0).getOps<tensor::ExtractOp>().empty());
  });

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
      bool hasContraction = false;
      func.walk([&](linalg::LinalgOp op) {
        hasContraction |= linalg::isaContractionOpInterface(op);
      });
      // The loop of the root result's contiguous dim (ow of a depthwise
      // convolution, whose loops are (n, oh, ow, c, kh, kw)).
      std::optional<unsigned> innermost;
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(root.getOperation()))
        if (linalgOp.getNumDpsInits() == 1)
          if (auto dim = dyn_cast<AffineDimExpr>(
                  linalgOp.getMatchingIndexingMap(linalgOp.getDpsInitOperand(0))
                      .getResults()
                      .back()))
            innermost = dim.getPosition();
      RegisterTiles tiles =
          panel && isPanelSpace(*bounds, isParallel, *panel)
              ? packedRegisterTileSizes(*bounds, isParallel)
              : registerTileSizes(*bounds, isParallel, hasContraction,
                                  kernelReadsWindows, innermost);
      if (failed(tileAndFuse(rewriter, root, tiles.sizes, tiles.peelN,
                             tiles.interchange))) {
        root->emitOpError("failed to tile to registers");
        return signalPassFailure();
      }
      cleanupDeadOps(func);
    }
  }

  // Peeled tiles get static sizes before their reductions are tiled.
  if (failed(foldTileArithmetic(func)))
    return signalPassFailure();

  // 2. Tile reductions: contractions by a small K step (outer products),
  //    window reductions (kh, kw) by 1 so their tiles have unit loops but
  //    one, other reductions by a vector-sized step.
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
    bool isWindow = readsWindows(op);
    SmallVector<int64_t> tiles(bounds->size(), 0);
    bool any = false;
    for (auto [i, t] : llvm::enumerate(op.getIteratorTypesArray())) {
      if (t != utils::IteratorType::reduction)
        continue;
      int64_t step =
          isWindow ? 1
                   : largestDivisorAtMost((*bounds)[i], isContraction
                                                            ? kContractionKStep
                                                            : kReductionStep);
      if (step < (*bounds)[i]) {
        tiles[i] = step;
        any = true;
      }
    }
    // The vectorized tile (register tile times reduction steps) is unrolled
    // into straight-line code: reductions over several dims (a global pool
    // over 13 x 13 pixels of 125 channels) shrink their outer steps until
    // the tile is at most kMaxVectorElements, so code size is bounded by the
    // tile sizes, never by the model's dims.
    auto volume = [&]() {
      int64_t v = 1;
      for (auto [i, bound] : llvm::enumerate(*bounds))
        v *= tiles[i] ? tiles[i] : bound;
      return v;
    };
    for (auto [i, t] : llvm::enumerate(op.getIteratorTypesArray())) {
      if (t != utils::IteratorType::reduction)
        continue;
      while (volume() > kMaxVectorElements) {
        int64_t current = tiles[i] ? tiles[i] : (*bounds)[i];
        if (current == 1)
          break;
        tiles[i] = largestDivisorAtMost((*bounds)[i], current - 1);
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
  if (failed(foldTileArithmetic(func)))
    return signalPassFailure();

  // Window reads of a tile whose loops are unit but one become plain
  // (projected) reads once the unit loops are dropped: (oh + kh, ow + kw)
  // with unit oh, kh, kw reads a row (ow).
  // Dropping unit loops may leave unit operand dims behind (a constant 0
  // in a map) that the next round drops.
  // Tiles of a product over packed panels cover one panel: their unit panel
  // loop is dropped too, so the register tile is a plain matmul tile.
  for (bool changed = true; changed;) {
    changed = false;
    SmallVector<linalg::GenericOp> windows;
    func.walk([&](linalg::GenericOp op) {
      if (op.hasPureTensorSemantics() && !op.hasDynamicShape() &&
          (readsWindows(op) || panel))
        windows.push_back(op);
    });
    linalg::ControlDropUnitDims options;
    // Rank-reducing slices rather than reshapes for panel tiles: they
    // bufferize to subviews of the accumulator, which then stays in
    // registers across the K loop (a collapse of a strided tile would be
    // copied).
    if (panel)
      options.rankReductionStrategy = linalg::ControlDropUnitDims::
          RankReductionStrategy::ExtractInsertSlice;
    for (linalg::GenericOp op : windows) {
      rewriter.setInsertionPoint(op);
      changed |= succeeded(linalg::dropUnitDims(rewriter, op, options));
    }
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
    // n-D extracts too: the vectorizer turns those varying along the vector
    // dim only into contiguous loads, the others into gathers.
    (void)linalg::vectorize(rewriter, op, /*inputVectorSizes=*/{},
                            /*inputScalableVecDims=*/{},
                            /*vectorizeNDExtract=*/true);
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
