//===- MaterializeKernelInterface.cpp - tensor kernel to DPS memrefs ------===//
//
// Rewrites `(tensor...) -> (tensor...)` kernels into destination-passing
// `(memref inputs..., memref outputs...) -> ()` kernels.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/CPU/Passes.h"

#include "mlir/IR/Builders.h"

#define DEBUG_TYPE "ingot-cpu-materialize-kernel-interface"

namespace mlir::ingot::cpu {
#define GEN_PASS_DEF_MATERIALIZEKERNELINTERFACEPASS
#include "compiler/Codegen/CPU/Passes.h.inc"
} // namespace mlir::ingot::cpu

using namespace mlir;

namespace {

/// The memref type a kernel binding of tensor type `type` gets.
MemRefType bindingType(RankedTensorType type) {
  return MemRefType::get(type.getShape(), type.getElementType());
}

struct MaterializeKernelInterfacePass
    : public mlir::ingot::cpu::impl::MaterializeKernelInterfacePassBase<
          MaterializeKernelInterfacePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    FunctionType type = func.getFunctionType();
    SmallVector<Type> newInputs;
    for (Type t :
         llvm::concat<const Type>(type.getInputs(), type.getResults())) {
      auto tensorType = dyn_cast<RankedTensorType>(t);
      if (!tensorType || !tensorType.hasStaticShape()) {
        func.emitOpError("kernel interface expects statically shaped ranked "
                         "tensors, got ")
            << t;
        return signalPassFailure();
      }
      newInputs.push_back(bindingType(tensorType));
    }

    Block &entry = func.getBody().front();
    OpBuilder builder(func.getContext());
    builder.setInsertionPointToStart(&entry);
    unsigned numInputs = type.getNumInputs();
    // Inputs: memref argument + to_tensor in place of the tensor argument.
    for (unsigned i = 0; i < numInputs; ++i) {
      BlockArgument oldArg = entry.getArgument(i);
      Value memref = entry.addArgument(newInputs[i], oldArg.getLoc());
      auto toTensor = builder.create<bufferization::ToTensorOp>(
          oldArg.getLoc(), oldArg.getType(), memref, /*restrict=*/true,
          /*writable=*/false);
      oldArg.replaceAllUsesWith(toTensor.getResult());
    }
    // Outputs: one memref argument each; store results into it.
    SmallVector<Value> outputs;
    for (unsigned i = numInputs; i < newInputs.size(); ++i)
      outputs.push_back(entry.addArgument(newInputs[i], func.getLoc()));
    entry.eraseArguments(0, numInputs);

    SmallVector<func::ReturnOp> returns;
    func.walk([&](func::ReturnOp op) { returns.push_back(op); });
    for (func::ReturnOp ret : returns) {
      builder.setInsertionPoint(ret);
      for (auto [value, output] : llvm::zip(ret.getOperands(), outputs)) {
        auto store = builder.create<bufferization::MaterializeInDestinationOp>(
            ret.getLoc(), TypeRange{}, value, output);
        store.setRestrict(true);
        store.setWritable(true);
      }
      builder.create<func::ReturnOp>(ret.getLoc());
      ret.erase();
    }
    func.setFunctionType(
        FunctionType::get(func.getContext(), newInputs, TypeRange{}));
  }
};

} // namespace
