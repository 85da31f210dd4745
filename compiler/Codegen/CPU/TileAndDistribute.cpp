//===- TileAndDistribute.cpp - workgroup tiling with scf.forall -*- C++ -*-===//
//
// Tiles the root (last) compute op of a kernel into workgroup tiles with an
// scf.forall and fuses its producers into the loop.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/CPU/Passes.h"
#include "compiler/Codegen/CPU/TilingUtils.h"

#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"

#define DEBUG_TYPE "ingot-cpu-tile-and-distribute"

namespace mlir::ingot::cpu {
#define GEN_PASS_DEF_TILEANDDISTRIBUTEPASS
#include "compiler/Codegen/CPU/Passes.h.inc"
} // namespace mlir::ingot::cpu

using namespace mlir;
using namespace mlir::ingot::cpu;

namespace {

/// Elements of a workgroup tile below which outer loops join the tile.
constexpr int64_t kTargetTileElements = 16384;

/// The number of workgroups that `tiles` make of the loops `dims`.
int64_t workgroupCount(ArrayRef<int64_t> bounds, ArrayRef<int64_t> tiles,
                       ArrayRef<unsigned> dims) {
  int64_t count = 1;
  for (unsigned d : dims)
    count *= bounds[d] / tiles[d];
  return count;
}

/// Workgroup tile sizes for the iteration domain `bounds` of the root op
/// (`isParallel[i]` tells which loops may be tiled). Leading parallel dims
/// get tile 1; the two innermost parallel dims get cache-sized tiles that
/// divide them, shrunk until there are at least `minWorkgroups` tiles.
SmallVector<int64_t> workgroupTileSizes(ArrayRef<int64_t> bounds,
                                        ArrayRef<bool> isParallel,
                                        int64_t minWorkgroups) {
  SmallVector<int64_t> tiles(bounds.size(), 0);
  SmallVector<unsigned> parallelDims;
  for (unsigned i = 0; i < bounds.size(); ++i)
    if (isParallel[i])
      parallelDims.push_back(i);
  if (parallelDims.empty())
    return tiles;
  for (unsigned d : parallelDims)
    tiles[d] = 1;
  unsigned n = parallelDims.back();
  tiles[n] = largestVectorDivisorAtMost(bounds[n], 256, 32);
  std::optional<unsigned> m;
  if (parallelDims.size() >= 2) {
    m = parallelDims[parallelDims.size() - 2];
    tiles[*m] = largestDivisorAtMost(bounds[*m], 64);
  }
  auto count = [&]() { return workgroupCount(bounds, tiles, parallelDims); };
  // Shrink the tiles (N first down to 64, then M down to 8, then further) to
  // expose enough workgroups for the thread pool. N shrinks only while its
  // register tiles keep their vector lanes: first through whole vectors,
  // later through sizes whose partial last vector wastes no more lanes
  // (784 -> 392 -> 196, not 98 or 49).
  auto shrink = [&](unsigned dim, int64_t floor) {
    while (count() < minWorkgroups && tiles[dim] > floor) {
      int64_t next = largestVectorDivisorAtMost(bounds[dim], tiles[dim] - 1,
                                                dim == n ? 16 : 1);
      if (next < floor && next < tiles[dim] / 2)
        break;
      if (dim == n && next % 16 != 0 &&
          (floor > 16 || laneUse(next, 16) < laneUse(tiles[dim], 16)))
        break;
      tiles[dim] = next;
    }
  };
  shrink(n, 64);
  if (m)
    shrink(*m, 8);
  shrink(n, 16);
  if (m)
    shrink(*m, 1);
  // Outer dims grow (innermost first) while the tile stays under
  // kTargetTileElements and enough workgroups remain: a window copy over
  // (n, oh, ow, kh, kw, c) would otherwise run one 3 x 64 tile per
  // workgroup, and pay the thread pool's dispatch thousands of times.
  auto volume = [&]() {
    int64_t v = 1;
    for (unsigned d : parallelDims)
      v *= tiles[d];
    return v;
  };
  for (unsigned d : llvm::reverse(parallelDims)) {
    if (d == n || d == m)
      continue;
    int64_t base = volume() / tiles[d];
    for (int64_t t = bounds[d]; t > tiles[d];
         t = largestDivisorAtMost(bounds[d], t - 1)) {
      int64_t saved = tiles[d];
      tiles[d] = t;
      if (base * t <= kTargetTileElements && count() >= minWorkgroups)
        break;
      tiles[d] = saved;
    }
    if (tiles[d] != bounds[d])
      break;
  }
  return tiles;
}

/// Workgroup tile sizes for a root over packed panels, whose three innermost
/// parallel loops are (m, j, l): rows, panels of `panel` columns, the columns
/// of one panel. A workgroup takes whole panels, up to 256 columns by 64
/// rows (the packed weight panels stay in L2 while its row tiles pass over
/// them), shrunk until there are at least `minWorkgroups` of them.
SmallVector<int64_t> packedWorkgroupTileSizes(ArrayRef<int64_t> bounds,
                                              ArrayRef<bool> isParallel,
                                              int64_t panel,
                                              int64_t minWorkgroups) {
  SmallVector<int64_t> tiles(bounds.size(), 0);
  SmallVector<unsigned> parallelDims = parallelLoops(isParallel);
  for (unsigned d : parallelDims)
    tiles[d] = 1;
  unsigned l = parallelDims.back();
  unsigned j = parallelDims[parallelDims.size() - 2];
  unsigned m = parallelDims[parallelDims.size() - 3];
  tiles[l] = bounds[l];
  tiles[j] = largestDivisorAtMost(bounds[j], std::max<int64_t>(1, 256 / panel));
  tiles[m] = largestDivisorAtMost(bounds[m], 64);
  auto shrink = [&](unsigned dim, int64_t floor) {
    while (workgroupCount(bounds, tiles, parallelDims) < minWorkgroups &&
           tiles[dim] > floor) {
      int64_t next = largestDivisorAtMost(bounds[dim], tiles[dim] - 1);
      if (next < floor)
        break;
      tiles[dim] = next;
    }
  };
  shrink(j, 2);
  shrink(m, 8);
  shrink(j, 1);
  shrink(m, 1);
  return tiles;
}

struct TileAndDistributePass
    : public mlir::ingot::cpu::impl::TileAndDistributePassBase<
          TileAndDistributePass> {
  using TileAndDistributePassBase::TileAndDistributePassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // The root is the last tileable op: the one producing the kernel's
    // result. Everything feeding it gets fused.
    TilingInterface root;
    func.walk([&](TilingInterface op) {
      if (op->getParentOfType<scf::ForallOp>())
        return;
      root = op;
    });
    if (!root)
      return;
    if (root->getParentOfType<scf::ForallOp>())
      return;

    std::optional<SmallVector<int64_t>> bounds = staticLoopBounds(root);
    if (!bounds) {
      root->emitOpError("needs static loop bounds for CPU code generation");
      return signalPassFailure();
    }
    SmallVector<bool> isParallel;
    for (utils::IteratorType t : root.getLoopIteratorTypes())
      isParallel.push_back(t == utils::IteratorType::parallel);
    std::optional<int64_t> panel = packedPanelWidth(func);
    SmallVector<int64_t> tiles =
        panel && isPanelSpace(*bounds, isParallel, *panel)
            ? packedWorkgroupTileSizes(*bounds, isParallel, *panel,
                                       minWorkgroups)
            : workgroupTileSizes(*bounds, isParallel, minWorkgroups);
    if (llvm::all_of(tiles, [](int64_t t) { return t == 0; }))
      return; // A single workgroup runs the whole op.
    // The kernel's work: loop iterations of all its ops (the root and the
    // producers fused into it: a matmul feeding an elementwise root).
    int64_t iterations = 0;
    func.walk([&](TilingInterface op) {
      if (std::optional<SmallVector<int64_t>> opBounds = staticLoopBounds(op))
        iterations += computeProduct(*opBounds);
    });
    // Tiles covering a whole dim still count as tiled (one workgroup
    // along it) so the forall always has the same rank as the parallel
    // dims; fully-covering tiles fold away later.

    if (failed(tileAndFuseIntoForall(root, tiles,
                                     "failed to tile into workgroups")))
      return signalPassFailure();
    // A kernel of a few microseconds (a pad or window copy of a 7x7 layer,
    // a global pool) costs less run on one thread than handed to the pool
    // (waking and waiting for the other threads): its tiles (whose code
    // stays as it is) run one after the other in a single workgroup.
    if (iterations < serialIterations)
      func->setAttr(kSingleWorkgroupAttr, UnitAttr::get(func.getContext()));
    // Producers fused into the loop are dead outside it now.
    cleanupDeadOps(func);
  }
};

} // namespace
