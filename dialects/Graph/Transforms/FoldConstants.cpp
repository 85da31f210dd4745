//===- FoldConstants.cpp - evaluate graph ops on constants ------*- C++ -*-===//
//
// Applies the graph ops' folders (GraphFolders.cpp) to ops whose operands
// are all constants; the folders decide what is worth computing.
//
//===----------------------------------------------------------------------===//
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/FoldUtils.h"

#define DEBUG_TYPE "ingot-graph-fold-constants"

namespace mlir::ingot::graph {
#define GEN_PASS_DEF_FOLDCONSTANTSPASS
#include "dialects/Graph/Transforms/Passes.h.inc"
} // namespace mlir::ingot::graph

using namespace mlir;
using namespace mlir::ingot::graph;

namespace {

/// Returns true if `op` is a non-constant graph op whose operands are all
/// constants.
bool hasOnlyConstantOperands(Operation *op) {
  if (!isa<GraphDialect>(op->getDialect()) ||
      op->hasTrait<OpTrait::ConstantLike>() || op->getNumOperands() == 0)
    return false;
  return llvm::all_of(op->getOperands(), [](Value operand) {
    return matchPattern(operand, m_Constant());
  });
}

struct FoldConstantsPass
    : public mlir::ingot::graph::impl::FoldConstantsPassBase<
          FoldConstantsPass> {
  void runOnOperation() override {
    {
      // Program order: a folded result is a constant by the time its users
      // are visited. The folder uniques the constants it creates.
      OperationFolder folder(&getContext());
      getOperation().walk([&](Operation *op) {
        if (hasOnlyConstantOperands(op))
          (void)folder.tryToFold(op);
      });
    }
    // Operands replaced by folded constants (e.g. a transposed weight).
    getOperation().walk([](ConstantOp constant) {
      if (constant->use_empty())
        constant->erase();
    });
  }
};

} // namespace
