//===- TilingUtils.cpp - helpers shared by the CPU tiling passes ----------===//
#include "compiler/Codegen/CPU/TilingUtils.h"

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
