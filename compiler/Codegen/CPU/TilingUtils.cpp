//===- TilingUtils.cpp - helpers shared by the tiling passes --------------===//
#include "compiler/Codegen/CPU/TilingUtils.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

int64_t mlir::ingot::cpu::largestDivisorAtMost(int64_t size, int64_t limit) {
  if (size <= limit)
    return size;
  for (int64_t d = limit; d > 1; --d)
    if (size % d == 0)
      return d;
  return 1;
}

int64_t mlir::ingot::cpu::largestVectorDivisorAtMost(int64_t size,
                                                     int64_t limit,
                                                     int64_t multiple) {
  if (size <= limit)
    return size;
  for (int64_t d = limit - limit % multiple; d >= multiple; d -= multiple)
    if (size % d == 0)
      return d;
  return largestDivisorAtMost(size, limit);
}

double mlir::ingot::cpu::laneUse(int64_t size, int64_t width) {
  int64_t vectors = (size + width - 1) / width;
  return static_cast<double>(size) / static_cast<double>(vectors * width);
}

std::optional<SmallVector<int64_t>>
mlir::ingot::cpu::staticLoopBounds(TilingInterface op) {
  OpBuilder builder(op);
  SmallVector<int64_t> bounds;
  for (Range range : op.getIterationDomain(builder)) {
    std::optional<int64_t> offset = getConstantIntValue(range.offset);
    std::optional<int64_t> size = getConstantIntValue(range.size);
    std::optional<int64_t> stride = getConstantIntValue(range.stride);
    if (!offset || !size || !stride || *offset != 0 || *stride != 1)
      return std::nullopt;
    bounds.push_back(*size);
  }
  return bounds;
}

/// Panels wider than this are not register tiles (no pass makes them).
static constexpr int64_t kMaxPanelWidth = 64;

std::optional<int64_t> mlir::ingot::cpu::packedPanelWidth(func::FuncOp func) {
  std::optional<int64_t> width;
  func.walk([&](linalg::GenericOp op) {
    if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
        !linalg::isaContractionOpInterface(op))
      return WalkResult::advance();
    FailureOr<linalg::ContractionDimensions> dims =
        linalg::inferContractionDims(op);
    if (failed(dims) || !dims->batch.empty() || dims->m.size() != 1 ||
        dims->n.size() != 2 || dims->k.size() != 1)
      return WalkResult::advance();
    // Exactly lhs (m, k), packed (j, k, l), out (m, j, l): the panel index j
    // outer and the panel column l innermost in both the packed operand and
    // the result (a convolution's (n, k, p) columns have no panel index).
    AffineMap lhs = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
    AffineMap rhs = op.getMatchingIndexingMap(op.getDpsInputOperand(1));
    AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    if (lhs.getNumResults() != 2 || rhs.getNumResults() != 3 ||
        out.getNumResults() != 3)
      return WalkResult::advance();
    AffineExpr m = out.getResult(0), j = out.getResult(1), l = out.getResult(2),
               k = lhs.getResult(1);
    if (lhs.getResult(0) != m || rhs.getResult(0) != j ||
        rhs.getResult(1) != k || rhs.getResult(2) != l)
      return WalkResult::advance();
    SmallVector<int64_t> bounds = op.getStaticLoopRanges();
    auto panelDim = dyn_cast<AffineDimExpr>(l);
    if (!panelDim)
      return WalkResult::advance();
    int64_t nr = bounds[panelDim.getPosition()];
    if (ShapedType::isDynamic(nr) || nr > kMaxPanelWidth)
      return WalkResult::advance();
    width = nr;
    return WalkResult::interrupt();
  });
  return width;
}

SmallVector<unsigned>
mlir::ingot::cpu::parallelLoops(ArrayRef<bool> isParallel) {
  SmallVector<unsigned> loops;
  for (auto [i, parallel] : llvm::enumerate(isParallel))
    if (parallel)
      loops.push_back(i);
  return loops;
}

bool mlir::ingot::cpu::isPanelSpace(ArrayRef<int64_t> bounds,
                                    ArrayRef<bool> isParallel, int64_t panel) {
  SmallVector<unsigned> parallelDims = parallelLoops(isParallel);
  return parallelDims.size() >= 3 && bounds[parallelDims.back()] == panel;
}

void mlir::ingot::cpu::cleanupDeadOps(func::FuncOp func) {
  bool changed = true;
  while (changed) {
    changed = false;
    SmallVector<Operation *> dead;
    func.walk([&](Operation *op) {
      if (op != func.getOperation() && op->use_empty() &&
          !op->hasTrait<OpTrait::IsTerminator>() && isMemoryEffectFree(op) &&
          op->getNumResults() > 0)
        dead.push_back(op);
    });
    // Erase outermost dead ops only: their nested ops go with them.
    for (Operation *op : llvm::reverse(dead)) {
      if (llvm::any_of(dead, [&](Operation *other) {
            return other != op && other->isProperAncestor(op);
          }))
        continue;
      op->erase();
      changed = true;
      break;
    }
  }
}

LogicalResult mlir::ingot::cpu::tileAndFuseIntoForall(TilingInterface root,
                                                      ArrayRef<int64_t> tiles,
                                                      StringRef error) {
  IRRewriter rewriter(root->getContext());
  scf::SCFTilingOptions tilingOptions;
  tilingOptions.setTileSizes(getAsIndexOpFoldResult(root->getContext(), tiles));
  tilingOptions.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tilingOptions);
  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(rewriter, root, options);
  if (failed(result))
    return root->emitOpError(error);
  for (OpResult res : root->getResults())
    if (Value replacement = result->replacements.lookup(res))
      rewriter.replaceAllUsesWith(res, replacement);
  return success();
}

bool mlir::ingot::cpu::writesOutsideLoop(
    Block &block, Operation *loop,
    llvm::function_ref<bool(Operation *)> isPrivateWrite) {
  for (Operation &op : block) {
    if (&op == loop)
      continue;
    bool writes = false;
    op.walk([&](Operation *nested) {
      if (auto effects = dyn_cast<MemoryEffectOpInterface>(nested)) {
        if (effects.hasEffect<MemoryEffects::Write>() &&
            !isa<memref::AllocaOp, memref::AllocOp>(nested) &&
            !(isPrivateWrite && isPrivateWrite(nested)))
          writes = true;
      } else if (!nested->hasTrait<OpTrait::HasRecursiveMemoryEffects>() &&
                 !isMemoryEffectFree(nested)) {
        writes = true;
      }
    });
    if (writes)
      return true;
  }
  return false;
}

LogicalResult mlir::ingot::cpu::serializeWorkgroupLoop(OpBuilder &b,
                                                       scf::ForallOp forall) {
  if (forall.getNumResults() != 0)
    return failure();
  Location loc = forall.getLoc();
  b.setInsertionPoint(forall);
  SmallVector<Value> ivs;
  for (auto [lb, ub, step] :
       llvm::zip(forall.getMixedLowerBound(), forall.getMixedUpperBound(),
                 forall.getMixedStep())) {
    auto toValue = [&](OpFoldResult ofr) {
      return getValueOrCreateConstantIndexOp(b, loc, ofr);
    };
    auto loop =
        b.create<scf::ForOp>(loc, toValue(lb), toValue(ub), toValue(step));
    ivs.push_back(loop.getInductionVar());
    b.setInsertionPointToStart(loop.getBody());
  }
  Block *body = forall.getBody();
  for (auto [arg, iv] : llvm::zip(body->getArguments(), ivs))
    arg.replaceAllUsesWith(iv);
  Operation *terminator = body->getTerminator();
  Block *target = b.getInsertionBlock();
  target->getOperations().splice(b.getInsertionPoint(), body->getOperations(),
                                 body->begin(), Block::iterator(terminator));
  forall.erase();
  return success();
}

FailureOr<int64_t> mlir::ingot::cpu::inlineWorkgroupLoop(OpBuilder &b,
                                                         scf::ForallOp forall,
                                                         Value linearId) {
  std::optional<SmallVector<int64_t>> lbs =
      getConstantIntValues(forall.getMixedLowerBound());
  std::optional<SmallVector<int64_t>> ubs =
      getConstantIntValues(forall.getMixedUpperBound());
  std::optional<SmallVector<int64_t>> steps =
      getConstantIntValues(forall.getMixedStep());
  if (!lbs || !ubs || !steps || forall.getNumResults() != 0)
    return failure();
  Location loc = forall.getLoc();
  b.setInsertionPoint(forall);
  SmallVector<int64_t> counts;
  int64_t total = 1;
  for (auto [lb, ub, step] : llvm::zip(*lbs, *ubs, *steps)) {
    counts.push_back(llvm::divideCeil(ub - lb, step));
    total *= counts.back();
  }
  // Delinearize: the innermost loop varies fastest.
  SmallVector<Value> ivs(counts.size());
  Value rest = linearId;
  for (int64_t i = counts.size() - 1; i >= 0; --i) {
    Value count = b.create<arith::ConstantIndexOp>(loc, counts[i]);
    Value index = i == 0 ? rest : b.create<arith::RemUIOp>(loc, rest, count);
    if (i > 0)
      rest = b.create<arith::DivUIOp>(loc, rest, count);
    Value scaled = b.create<arith::MulIOp>(
        loc, index, b.create<arith::ConstantIndexOp>(loc, (*steps)[i]));
    ivs[i] = b.create<arith::AddIOp>(
        loc, scaled, b.create<arith::ConstantIndexOp>(loc, (*lbs)[i]));
  }
  Block *body = forall.getBody();
  for (auto [arg, iv] : llvm::zip(body->getArguments(), ivs))
    arg.replaceAllUsesWith(iv);
  // Move the body (minus its empty in_parallel terminator) before the loop.
  Operation *terminator = body->getTerminator();
  forall->getBlock()->getOperations().splice(
      Block::iterator(forall), body->getOperations(), body->begin(),
      Block::iterator(terminator));
  forall.erase();
  return total;
}
