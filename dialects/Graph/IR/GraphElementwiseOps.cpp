//===- GraphElementwiseOps.cpp - graph elementwise math ops ----*- C++ -*-===//
//
// Verifiers of the ops in GraphElementwiseOps.td.
//
//===----------------------------------------------------------------------===//
#include "dialects/Graph/IR/GraphOps.h"

using namespace mlir;
using namespace mlir::ingot::graph;

LogicalResult mlir::ingot::graph::verifyBroadcastingOperands(
    Operation *op, ValueRange operands, Type resultElementType) {
  SmallVector<int64_t> inferred;
  for (Value operand : operands) {
    auto type = cast<RankedTensorType>(operand.getType());
    SmallVector<int64_t> next;
    if (!broadcastShapes(inferred, type.getShape(), next))
      return op->emitOpError("operand shapes do not broadcast: ")
             << operand.getType();
    inferred = std::move(next);
  }
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (resultType.getElementType() != resultElementType)
    return op->emitOpError("expected result element type ")
           << resultElementType << ", got " << resultType.getElementType();
  if (!isShapeCompatible(inferred, resultType.getShape()))
    return op->emitOpError("result type ")
           << resultType << " is incompatible with the broadcast shape";
  return success();
}

/// Verifies a comparison: operands of one element type broadcasting to a
/// boolean result.
static LogicalResult verifyCompare(Operation *op) {
  Type lhs =
      cast<RankedTensorType>(op->getOperand(0).getType()).getElementType();
  Type rhs =
      cast<RankedTensorType>(op->getOperand(1).getType()).getElementType();
  if (lhs != rhs)
    return op->emitOpError("operand element types differ (")
           << lhs << " vs " << rhs << ")";
  return verifyBroadcastingOperands(op, op->getOperands(),
                                    IntegerType::get(op->getContext(), 1));
}

LogicalResult MaxOp::verify() { return verifyBroadcastingOp(*this); }
LogicalResult MinOp::verify() { return verifyBroadcastingOp(*this); }
LogicalResult ModOp::verify() {
  if (!getFmod() && isa<FloatType>(getLhs().getType().getElementType()))
    return emitOpError("floating-point operands need fmod");
  return verifyBroadcastingOp(*this);
}
LogicalResult BitShiftOp::verify() {
  if (!isa<IntegerType>(getLhs().getType().getElementType()))
    return emitOpError("expects integer operands");
  return verifyBroadcastingOp(*this);
}
LogicalResult AndOp::verify() { return verifyBroadcastingOp(*this); }
LogicalResult OrOp::verify() { return verifyBroadcastingOp(*this); }
LogicalResult XorOp::verify() { return verifyBroadcastingOp(*this); }
LogicalResult PReluOp::verify() {
  if (!isa<FloatType>(getLhs().getType().getElementType()))
    return emitOpError("expects floating-point operands");
  return verifyBroadcastingOp(*this);
}
LogicalResult EqualOp::verify() { return verifyCompare(*this); }
LogicalResult LessOp::verify() { return verifyCompare(*this); }
LogicalResult LessOrEqualOp::verify() { return verifyCompare(*this); }
LogicalResult GreaterOp::verify() { return verifyCompare(*this); }
LogicalResult GreaterOrEqualOp::verify() { return verifyCompare(*this); }

LogicalResult WhereOp::verify() {
  if (getLhs().getType().getElementType() !=
      getRhs().getType().getElementType())
    return emitOpError("lhs and rhs element types differ");
  return verifyBroadcastingOperands(*this, getOperands(),
                                    getLhs().getType().getElementType());
}
