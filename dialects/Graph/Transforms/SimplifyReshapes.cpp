//===- SimplifyReshapes.cpp - merge and remove reshapes ---------*- C++ -*-===//
//
// Merges chains of graph.reshape and graph.flatten into one reshape and
// removes the ones that do not change the type.
//
//===----------------------------------------------------------------------===//
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"

#define DEBUG_TYPE "ingot-graph-simplify-reshapes"

namespace mlir::ingot::graph {
#define GEN_PASS_DEF_SIMPLIFYRESHAPESPASS
#include "dialects/Graph/Transforms/Passes.h.inc"
} // namespace mlir::ingot::graph

using namespace mlir;
using namespace mlir::ingot::graph;

namespace {

/// Returns true for the ops that only change the shape of their operand.
bool isReshapeLike(Operation *op) { return isa<ReshapeOp, FlattenOp>(op); }

/// Simplifies the reshape-like `op` (and erases the producer it made dead).
void simplify(IRRewriter &rewriter, Operation *op) {
  Value input = op->getOperand(0);
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  // Only the final shape matters along a chain.
  Operation *inner = input.getDefiningOp();
  if (inner && isReshapeLike(inner))
    input = inner->getOperand(0);
  if (input.getType() == resultType) {
    rewriter.replaceOp(op, input);
  } else if (input != op->getOperand(0)) {
    // graph.reshape infers at most one dynamic size.
    if (resultType.getNumDynamicDims() > 1)
      return;
    SmallVector<int64_t> shape;
    for (int64_t size : resultType.getShape())
      shape.push_back(ShapedType::isDynamic(size) ? -1 : size);
    rewriter.setInsertionPoint(op);
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, resultType, input, shape);
  } else {
    return;
  }
  if (inner && isReshapeLike(inner) && inner->use_empty())
    rewriter.eraseOp(inner);
}

struct SimplifyReshapesPass
    : public mlir::ingot::graph::impl::SimplifyReshapesPassBase<
          SimplifyReshapesPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    // Program order: a producer is already simplified when its user is
    // visited, so chains merge from the front.
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isReshapeLike(op))
        ops.push_back(op);
    });
    for (Operation *op : ops)
      simplify(rewriter, op);
  }
};

} // namespace
