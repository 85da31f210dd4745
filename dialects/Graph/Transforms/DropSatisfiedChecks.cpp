//===- DropSatisfiedChecks.cpp - drop constant run-time checks --*- C++ -*-===//
//
// Removes `ingot.check` results that constant folding turned into non-zero
// constants, and reports those that folded to zero (they can never hold).
//
//===----------------------------------------------------------------------===//
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/BitVector.h"

namespace mlir::ingot::graph {
#define GEN_PASS_DEF_DROPSATISFIEDCHECKSPASS
#include "dialects/Graph/Transforms/Passes.h.inc"
} // namespace mlir::ingot::graph

using namespace mlir;

namespace {

struct DropSatisfiedChecksPass
    : public mlir::ingot::graph::impl::DropSatisfiedChecksPassBase<
          DropSatisfiedChecksPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    llvm::BitVector satisfied(func.getNumResults());
    bool failedCheck = false;
    func.walk([&](func::ReturnOp ret) {
      for (auto [i, operand] : llvm::enumerate(ret.getOperands())) {
        auto message = func.getResultAttrOfType<StringAttr>(i, "ingot.check");
        DenseIntElementsAttr value;
        if (!message || !matchPattern(operand, m_Constant(&value)))
          continue;
        if (llvm::all_of(value.getValues<APInt>(),
                         [](const APInt &v) { return !v.isZero(); })) {
          satisfied.set(i);
          continue;
        }
        // A size variant's function names the sizes that cannot run.
        ret.emitError("this module can never run: ")
            << message.getValue() << " (in function @" << func.getSymName()
            << ")";
        failedCheck = true;
      }
    });
    if (failedCheck)
      return signalPassFailure();
    if (satisfied.none())
      return;
    func.walk([&](func::ReturnOp ret) {
      for (int i = satisfied.size() - 1; i >= 0; --i)
        if (satisfied.test(i))
          ret->eraseOperand(i);
    });
    func.eraseResults(satisfied);
  }
};

} // namespace
