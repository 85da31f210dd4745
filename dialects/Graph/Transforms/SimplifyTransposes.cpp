//===- SimplifyTransposes.cpp - compose and remove transposes ---*- C++ -*-===//
//
// Composes chains of graph.transpose, removes identity permutations and
// turns transposes that only move size-1 dims into reshapes.
//
//===----------------------------------------------------------------------===//
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"

#define DEBUG_TYPE "ingot-graph-simplify-transposes"

namespace mlir::ingot::graph {
#define GEN_PASS_DEF_SIMPLIFYTRANSPOSESPASS
#include "dialects/Graph/Transforms/Passes.h.inc"
} // namespace mlir::ingot::graph

using namespace mlir;
using namespace mlir::ingot::graph;

namespace {

/// Returns true if `perm` keeps the dims of `shape` that are not statically
/// 1 in order: the transpose then moves no data.
bool movesOnlyUnitDims(ArrayRef<int64_t> perm, ArrayRef<int64_t> shape) {
  int64_t previous = -1;
  for (int64_t p : perm) {
    if (shape[p] == 1)
      continue;
    if (p < previous)
      return false;
    previous = p;
  }
  return true;
}

/// Simplifies `op` (and erases the inner transpose it made dead).
void simplify(IRRewriter &rewriter, TransposeOp op) {
  // transpose(transpose(x, p1), p2) -> transpose(x, p1[p2[i]]).
  if (auto inner = op.getInput().getDefiningOp<TransposeOp>()) {
    rewriter.setInsertionPoint(op);
    auto composed = rewriter.create<TransposeOp>(
        op.getLoc(), op.getType(), inner.getInput(),
        composePermutations(inner.getPerm(), op.getPerm()));
    rewriter.replaceOp(op, composed.getResult());
    if (inner->use_empty())
      rewriter.eraseOp(inner);
    op = composed;
  }
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  ArrayRef<int64_t> perm = op.getPerm();
  bool identity = llvm::all_of(llvm::enumerate(perm), [](auto entry) {
    return static_cast<int64_t>(entry.index()) == entry.value();
  });
  if (identity && inputType == op.getType()) {
    rewriter.replaceOp(op, op.getInput());
    return;
  }
  // A permutation of size-1 dims only is a reshape (at most one dynamic
  // size, which graph.reshape infers).
  auto resultType = cast<RankedTensorType>(op.getType());
  if (movesOnlyUnitDims(perm, inputType.getShape()) &&
      resultType.getNumDynamicDims() <= 1) {
    SmallVector<int64_t> shape;
    for (int64_t size : resultType.getShape())
      shape.push_back(ShapedType::isDynamic(size) ? -1 : size);
    rewriter.setInsertionPoint(op);
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, resultType, op.getInput(),
                                           shape);
  }
}

struct SimplifyTransposesPass
    : public mlir::ingot::graph::impl::SimplifyTransposesPassBase<
          SimplifyTransposesPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    // Program order: an inner transpose is already simplified when its user
    // is visited, so chains compose from the front.
    SmallVector<TransposeOp> transposes;
    getOperation().walk([&](TransposeOp op) { transposes.push_back(op); });
    for (TransposeOp op : transposes)
      simplify(rewriter, op);
  }
};

} // namespace
