//===- LowerKernelAbi.cpp - CPU executable ABI for kernels ------*- C++ -*-===//
//
// Rewrites a bufferized kernel `(memref...)` into the CPU executable ABI
// `(bindings, push_constants, workgroup_id)` of docs/design/executable-abi.md
// and runs its workgroup loop body for one workgroup id.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/CPU/Passes.h"
#include "compiler/Codegen/CPU/TilingUtils.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define DEBUG_TYPE "ingot-cpu-lower-kernel-abi"

namespace mlir::ingot::cpu {
#define GEN_PASS_DEF_LOWERKERNELABIPASS
#include "compiler/Codegen/CPU/Passes.h.inc"
} // namespace mlir::ingot::cpu

using namespace mlir;
using namespace mlir::ingot::cpu;

namespace {

/// Builds a memref descriptor for a dense row-major `type` at `ptr` and casts
/// it to the memref type (the cast folds away in the LLVM conversion).
Value buildMemRef(OpBuilder &b, Location loc, MemRefType type, Value ptr) {
  MLIRContext *ctx = b.getContext();
  Type i64 = b.getI64Type();
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  int64_t rank = type.getRank();
  SmallVector<Type> fields = {ptrType, ptrType, i64};
  if (rank > 0) {
    fields.push_back(LLVM::LLVMArrayType::get(i64, rank));
    fields.push_back(LLVM::LLVMArrayType::get(i64, rank));
  }
  auto descType = LLVM::LLVMStructType::getLiteral(ctx, fields);
  Value desc = b.create<LLVM::UndefOp>(loc, descType);
  desc = b.create<LLVM::InsertValueOp>(loc, desc, ptr, 0);
  desc = b.create<LLVM::InsertValueOp>(loc, desc, ptr, 1);
  auto constI64 = [&](int64_t v) -> Value {
    return b.create<LLVM::ConstantOp>(loc, i64, b.getI64IntegerAttr(v));
  };
  desc = b.create<LLVM::InsertValueOp>(loc, desc, constI64(0), 2);
  int64_t stride = 1;
  for (int64_t i = rank - 1; i >= 0; --i) {
    desc = b.create<LLVM::InsertValueOp>(
        loc, desc, constI64(type.getDimSize(i)), ArrayRef<int64_t>{3, i});
    desc = b.create<LLVM::InsertValueOp>(loc, desc, constI64(stride),
                                         ArrayRef<int64_t>{4, i});
    stride *= type.getDimSize(i);
  }
  return b.create<UnrealizedConversionCastOp>(loc, type, desc).getResult(0);
}

struct LowerKernelAbiPass
    : public mlir::ingot::cpu::impl::LowerKernelAbiPassBase<
          LowerKernelAbiPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    MLIRContext *ctx = &getContext();
    FunctionType type = func.getFunctionType();
    if (type.getNumResults() != 0) {
      func.emitOpError("kernel must return nothing after bufferization");
      return signalPassFailure();
    }
    for (Type t : type.getInputs()) {
      auto memref = dyn_cast<MemRefType>(t);
      if (!memref || !memref.hasStaticShape() ||
          !memref.getLayout().isIdentity()) {
        func.emitOpError("kernel arguments must be static identity-layout "
                         "memrefs, got ")
            << t;
        return signalPassFailure();
      }
    }

    Block &entry = func.getBody().front();
    // Temporary tiles become stack buffers that live for the whole kernel,
    // allocated in the entry block so loops do not grow the stack.
    SmallVector<memref::AllocOp> allocs;
    func.walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
    for (memref::AllocOp alloc : allocs) {
      if (alloc->getNumOperands() != 0) {
        alloc.emitOpError("dynamic allocations are not supported in CPU "
                          "kernels");
        return signalPassFailure();
      }
      OpBuilder allocaBuilder(&entry, entry.begin());
      auto alloca = allocaBuilder.create<memref::AllocaOp>(
          alloc.getLoc(), alloc.getType(), alloc.getAlignmentAttr());
      for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      alloc.replaceAllUsesWith(alloca.getResult());
      alloc.erase();
    }
    auto ptrType = LLVM::LLVMPointerType::get(ctx);
    Type i64 = IntegerType::get(ctx, 64);
    Location loc = func.getLoc();
    Value bindings = entry.addArgument(ptrType, loc);
    entry.addArgument(ptrType, loc); // push constants (unused so far)
    Value workgroupId = entry.addArgument(i64, loc);

    OpBuilder b = OpBuilder::atBlockBegin(&entry);
    for (unsigned i = 0; i < type.getNumInputs(); ++i) {
      Value slot = b.create<LLVM::GEPOp>(loc, ptrType, ptrType, bindings,
                                         ArrayRef<LLVM::GEPArg>{int32_t(i)});
      Value ptr = b.create<LLVM::LoadOp>(loc, ptrType, slot);
      Value memref =
          buildMemRef(b, loc, cast<MemRefType>(type.getInput(i)), ptr);
      entry.getArgument(i).replaceAllUsesWith(memref);
    }
    Value id = b.create<arith::IndexCastOp>(loc, b.getIndexType(), workgroupId);

    // The workgroup loop: at most one top-level scf.forall.
    SmallVector<scf::ForallOp> loops(entry.getOps<scf::ForallOp>());
    int64_t count = 1;
    if (loops.size() > 1) {
      func.emitOpError("expects at most one workgroup loop");
      return signalPassFailure();
    }
    bool single = func->hasAttr(kSingleWorkgroupAttr);
    func->removeAttr(kSingleWorkgroupAttr);
    if (!loops.empty() && (single || writesOutsideLoop(entry, loops.front()))) {
      // Too small to share among threads, or e.g. an output initialised
      // from an input buffer (correct, serial).
      if (failed(serializeWorkgroupLoop(b, loops.front()))) {
        loops.front()->emitOpError("cannot serialize the workgroup loop");
        return signalPassFailure();
      }
    } else if (!loops.empty()) {
      FailureOr<int64_t> total = inlineWorkgroupLoop(b, loops.front(), id);
      if (failed(total)) {
        loops.front()->emitOpError("workgroup loop must have static bounds");
        return signalPassFailure();
      }
      count = *total;
    }
    entry.eraseArguments(0, type.getNumInputs());
    func.setFunctionType(
        FunctionType::get(ctx, {ptrType, ptrType, i64}, TypeRange{}));
    func->setAttr(kWorkgroupCountAttr,
                  DenseI64ArrayAttr::get(ctx, {count, 1, 1}));
  }
};

} // namespace
