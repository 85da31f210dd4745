//===- DistributeToInvocations.cpp - forall to GPU ids ----------*- C++ -*-===//
//
// Replaces the invocation loop (scf.forall) of a bufferized kernel by its
// body for the current GPU invocation and records the kernel's grid.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/CPU/TilingUtils.h"
#include "compiler/Codegen/SPIRV/Passes.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"

#define DEBUG_TYPE "ingot-spirv-distribute-to-invocations"

namespace mlir::ingot::vk {
#define GEN_PASS_DEF_DISTRIBUTETOINVOCATIONSPASS
#include "compiler/Codegen/SPIRV/Passes.h.inc"
} // namespace mlir::ingot::vk

using namespace mlir;
using namespace mlir::ingot;

namespace {

/// Vulkan's guaranteed maxComputeWorkGroupCount per dimension.
constexpr int64_t kMaxWorkgroupCount = 65535;

/// True if `type` lives in private (per-invocation) memory.
bool isPrivate(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  if (!memref)
    return false;
  auto space = dyn_cast_or_null<IntegerAttr>(memref.getMemorySpace());
  return space && space.getInt() == vk::kPrivateMemorySpace;
}

/// True if every memref `op` writes is private memory.
bool writesPrivateMemoryOnly(Operation *op) {
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return false;
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  for (MemoryEffects::EffectInstance &effect : instances) {
    if (!isa<MemoryEffects::Write>(effect.getEffect()))
      continue;
    Value value = effect.getValue();
    if (!value || !isPrivate(value.getType()))
      return false;
  }
  return true;
}

/// Static iteration counts of `forall`, or std::nullopt.
std::optional<SmallVector<int64_t>> tripCounts(scf::ForallOp forall) {
  std::optional<SmallVector<int64_t>> lbs =
      getConstantIntValues(forall.getMixedLowerBound());
  std::optional<SmallVector<int64_t>> ubs =
      getConstantIntValues(forall.getMixedUpperBound());
  std::optional<SmallVector<int64_t>> steps =
      getConstantIntValues(forall.getMixedStep());
  if (!lbs || !ubs || !steps)
    return std::nullopt;
  SmallVector<int64_t> counts;
  for (auto [lb, ub, step] : llvm::zip(*lbs, *ubs, *steps))
    counts.push_back(llvm::divideCeil(ub - lb, step));
  return counts;
}

struct DistributeToInvocationsPass
    : public mlir::ingot::vk::impl::DistributeToInvocationsPassBase<
          DistributeToInvocationsPass> {
  using DistributeToInvocationsPassBase::DistributeToInvocationsPassBase;

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
          !memref.getLayout().isIdentity() || memref.getMemorySpace()) {
        func.emitOpError("kernel arguments must be static identity-layout "
                         "memrefs in the default memory space, got ")
            << t;
        return signalPassFailure();
      }
    }
    Block &entry = func.getBody().front();
    // Temporary tiles are private arrays allocated once, at entry (SPIR-V
    // declares function variables in the first block).
    SmallVector<Operation *> allocations;
    func.walk([&](Operation *op) {
      if (isa<memref::AllocOp, memref::AllocaOp>(op))
        allocations.push_back(op);
      else if (isa<memref::DeallocOp>(op))
        allocations.push_back(op);
    });
    for (Operation *op : allocations) {
      if (isa<memref::DeallocOp>(op)) {
        op->erase();
        continue;
      }
      auto memrefType = cast<MemRefType>(op->getResult(0).getType());
      if (!memrefType.hasStaticShape() || !isPrivate(memrefType)) {
        op->emitOpError("temporary buffer must be static and private for "
                        "SPIR-V, got ")
            << memrefType;
        return signalPassFailure();
      }
      OpBuilder b = OpBuilder::atBlockBegin(&entry);
      auto alloca = b.create<memref::AllocaOp>(op->getLoc(), memrefType);
      op->getResult(0).replaceAllUsesWith(alloca.getResult());
      op->erase();
    }

    OpBuilder b(ctx);
    SmallVector<scf::ForallOp> loops(entry.getOps<scf::ForallOp>());
    if (loops.size() > 1) {
      func.emitOpError("expects at most one invocation loop");
      return signalPassFailure();
    }
    int64_t invocations = 1;
    scf::ForallOp forall = loops.empty() ? nullptr : loops.front();
    if (forall) {
      std::optional<SmallVector<int64_t>> counts = tripCounts(forall);
      if (!counts || forall.getNumResults() != 0) {
        forall->emitOpError("invocation loop must be static and bufferized");
        return signalPassFailure();
      }
      if (cpu::writesOutsideLoop(entry, forall, writesPrivateMemoryOnly)) {
        // E.g. an output initialised from an input buffer: correct, serial.
        if (failed(cpu::serializeWorkgroupLoop(b, forall))) {
          forall->emitOpError("cannot serialize the invocation loop");
          return signalPassFailure();
        }
        forall = nullptr;
      } else {
        for (int64_t c : *counts)
          invocations *= c;
      }
    }
    int64_t size = std::min<int64_t>(workgroupSize, invocations);
    int64_t groups = llvm::divideCeil(invocations, size);
    int64_t countX = std::min(groups, kMaxWorkgroupCount);
    int64_t countY = llvm::divideCeil(groups, countX);
    if (countY > kMaxWorkgroupCount) {
      func.emitOpError("needs ")
          << invocations << " invocations: more than a 65535 x 65535 grid";
      return signalPassFailure();
    }
    if (forall && invocations > 1) {
      Location loc = forall.getLoc();
      b.setInsertionPoint(forall);
      Value id = b.create<gpu::BlockIdOp>(loc, gpu::Dimension::x);
      if (countY > 1) {
        Value y = b.create<gpu::BlockIdOp>(loc, gpu::Dimension::y);
        Value row = b.create<arith::MulIOp>(
            loc, y, b.create<arith::ConstantIndexOp>(loc, countX));
        id = b.create<arith::AddIOp>(loc, row, id);
      }
      id = b.create<arith::MulIOp>(loc, id,
                                   b.create<arith::ConstantIndexOp>(loc, size));
      id = b.create<arith::AddIOp>(
          loc, id, b.create<gpu::ThreadIdOp>(loc, gpu::Dimension::x));
      if (countX * countY * size != invocations) {
        Value inBounds = b.create<arith::CmpIOp>(
            loc, arith::CmpIPredicate::ult, id,
            b.create<arith::ConstantIndexOp>(loc, invocations));
        auto guard = b.create<scf::IfOp>(loc, inBounds, /*else=*/false);
        forall->moveBefore(guard.thenBlock()->getTerminator());
      }
      if (failed(cpu::inlineWorkgroupLoop(b, forall, id))) {
        func.emitOpError("cannot distribute the invocation loop");
        return signalPassFailure();
      }
    } else if (forall) {
      // One iteration: the loop is the whole kernel.
      b.setInsertionPoint(forall);
      if (failed(cpu::inlineWorkgroupLoop(
              b, forall,
              b.create<arith::ConstantIndexOp>(forall.getLoc(), 0)))) {
        func.emitOpError("cannot distribute the invocation loop");
        return signalPassFailure();
      }
    }
    func->setAttr(vk::kWorkgroupCountAttr,
                  DenseI64ArrayAttr::get(ctx, {countX, countY, 1}));
    func->setAttr(vk::kWorkgroupSizeAttr,
                  DenseI64ArrayAttr::get(ctx, {size, 1, 1}));
  }
};

} // namespace
