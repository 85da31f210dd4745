//===- TileAndDistribute.cpp - invocation tiling with scf.forall -*- C++
//-*-===//
//
// Tiles the root (last) compute op of a kernel into one small tile per GPU
// invocation with an scf.forall and fuses its producers into the loop.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/CPU/TilingUtils.h"
#include "compiler/Codegen/SPIRV/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "llvm/ADT/ScopeExit.h"

#define DEBUG_TYPE "ingot-spirv-tile-and-distribute"

namespace mlir::ingot::vk {
#define GEN_PASS_DEF_TILEANDDISTRIBUTEPASS
#include "compiler/Codegen/SPIRV/Passes.h.inc"
} // namespace mlir::ingot::vk

using namespace mlir;
using namespace mlir::ingot;

namespace {

/// Largest non-splat tensor constant a kernel may hold: it is rebuilt
/// element by element in every invocation's private memory.
constexpr int64_t kMaxConstantElements = 4096;

/// Rewrites the tensor constants of `func` into ops that bufferize to
/// private arrays (SPIR-V kernels have no constant globals).
LogicalResult materializeTensorConstants(func::FuncOp func) {
  SmallVector<arith::ConstantOp> constants;
  func.walk([&](arith::ConstantOp op) {
    if (isa<RankedTensorType>(op.getType()))
      constants.push_back(op);
  });
  for (arith::ConstantOp op : constants) {
    auto type = cast<RankedTensorType>(op.getType());
    auto dense = dyn_cast<DenseElementsAttr>(op.getValue());
    if (!dense || !type.hasStaticShape())
      return op.emitOpError("tensor constant of type ")
             << type << " is not supported by SPIR-V code generation";
    OpBuilder b(op);
    Location loc = op.getLoc();
    Type elementType = type.getElementType();
    Value replacement;
    if (dense.isSplat()) {
      Value scalar = b.create<arith::ConstantOp>(
          loc, elementType, cast<TypedAttr>(dense.getSplatValue<Attribute>()));
      Value empty =
          b.create<tensor::EmptyOp>(loc, type.getShape(), elementType);
      replacement = b.create<linalg::FillOp>(loc, scalar, empty).getResult(0);
    } else {
      if (type.getNumElements() > kMaxConstantElements)
        return op.emitOpError("tensor constant of type ")
               << type << " is too large for a SPIR-V kernel (at most "
               << kMaxConstantElements << " elements)";
      // A private array filled element by element (tensor.from_elements
      // cannot bufferize into a memory space).
      auto alloc =
          b.create<bufferization::AllocTensorOp>(loc, type, ValueRange{});
      alloc.setMemorySpaceAttr(b.getI64IntegerAttr(vk::kPrivateMemorySpace));
      replacement = alloc.getResult();
      SmallVector<int64_t> strides = computeStrides(type.getShape());
      for (auto [linear, element] :
           llvm::enumerate(dense.getValues<Attribute>())) {
        Value scalar = b.create<arith::ConstantOp>(loc, elementType,
                                                   cast<TypedAttr>(element));
        SmallVector<Value> indices;
        for (int64_t offset : delinearize(linear, strides))
          indices.push_back(b.create<arith::ConstantIndexOp>(loc, offset));
        replacement =
            b.create<tensor::InsertOp>(loc, scalar, replacement, indices);
      }
    }
    op.replaceAllUsesWith(replacement);
    op.erase();
  }
  return success();
}

struct TileAndDistributePass
    : public mlir::ingot::vk::impl::TileAndDistributePassBase<
          TileAndDistributePass> {
  using TileAndDistributePassBase::TileAndDistributePassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // Last on tensors before bufferization: canonicalization would fold the
    // constants back.
    auto constants = llvm::make_scope_exit([&] {
      if (failed(materializeTensorConstants(func)))
        signalPassFailure();
    });
    // The root is the last tileable op: the one producing the kernel's
    // result. Everything feeding it gets fused.
    TilingInterface root;
    func.walk([&](TilingInterface op) {
      if (op->getParentOfType<scf::ForallOp>())
        return;
      root = op;
    });
    if (!root)
      return;

    std::optional<SmallVector<int64_t>> bounds = cpu::staticLoopBounds(root);
    if (!bounds) {
      root->emitOpError("needs static loop bounds for SPIR-V code generation");
      return signalPassFailure();
    }
    // One element along every parallel dim but one, which gets up to
    // `elementsPerInvocation` (a divisor, so tiles stay static): the
    // innermost non-trivial dim before the innermost one, so that
    // neighbouring invocations access neighbouring elements (coalesced
    // loads and stores) and each reuses its loads of the other operands
    // (a column of the input for 4 output channels of a matmul/conv).
    SmallVector<int64_t> tiles(bounds->size(), 0);
    SmallVector<unsigned> parallel;
    for (auto [i, type] : llvm::enumerate(root.getLoopIteratorTypes()))
      if (type == utils::IteratorType::parallel) {
        tiles[i] = 1;
        parallel.push_back(i);
      }
    if (parallel.empty())
      return; // A single invocation runs the whole op.
    unsigned blocked = parallel.back();
    for (unsigned d : llvm::reverse(ArrayRef(parallel).drop_back()))
      if ((*bounds)[d] > 1) {
        blocked = d;
        break;
      }
    tiles[blocked] =
        cpu::largestDivisorAtMost((*bounds)[blocked], elementsPerInvocation);

    if (failed(cpu::tileAndFuseIntoForall(root, tiles,
                                          "failed to tile into invocations")))
      return signalPassFailure();
    // Producers fused into the loop are dead outside it now.
    cpu::cleanupDeadOps(func);
    IRRewriter rewriter(func.getContext());

    // Inside an invocation, reductions (K) become the outer loops: each
    // step then loads the shared operand once for the whole block of
    // outputs, whose accumulators stay in private memory (registers).
    SmallVector<linalg::LinalgOp> contractions;
    func.walk([&](linalg::LinalgOp op) {
      if (op->getParentOfType<scf::ForallOp>() &&
          op.getNumReductionLoops() > 0 && op.getNumParallelLoops() > 0)
        contractions.push_back(op);
    });
    for (linalg::LinalgOp op : contractions) {
      SmallVector<unsigned> permutation;
      SmallVector<utils::IteratorType> types = op.getIteratorTypesArray();
      for (unsigned i = 0; i < types.size(); ++i)
        if (types[i] == utils::IteratorType::reduction)
          permutation.push_back(i);
      for (unsigned i = 0; i < types.size(); ++i)
        if (types[i] == utils::IteratorType::parallel)
          permutation.push_back(i);
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::GenericOp> generic =
          isa<linalg::GenericOp>(op.getOperation())
              ? FailureOr<linalg::GenericOp>(cast<linalg::GenericOp>(op))
              : linalg::generalizeNamedOp(rewriter, op);
      if (failed(generic) || failed(linalg::interchangeGenericOp(
                                 rewriter, *generic, permutation))) {
        op->emitOpError("cannot put its reduction loops outermost");
        return signalPassFailure();
      }
    }
    // A contraction accumulating straight into the output (a fill of the
    // output tile) accumulates in private memory instead; the block is
    // copied out once at the end.
    func.walk([&](linalg::FillOp fill) {
      auto slice = fill.getOutputs()[0].getDefiningOp<tensor::ExtractSliceOp>();
      auto forall = fill->getParentOfType<scf::ForallOp>();
      if (!slice || !forall ||
          !llvm::is_contained(forall.getRegionIterArgs(), slice.getSource()))
        return;
      if (!llvm::all_of(fill->getUsers(), [](Operation *user) {
            auto linalgOp = dyn_cast<linalg::LinalgOp>(user);
            return linalgOp && linalgOp.getNumReductionLoops() > 0;
          }))
        return;
      rewriter.setInsertionPoint(fill);
      auto type = cast<RankedTensorType>(slice.getType());
      auto alloc = rewriter.create<bufferization::AllocTensorOp>(
          fill.getLoc(), type, ValueRange{});
      alloc.setMemorySpaceAttr(
          rewriter.getI64IntegerAttr(vk::kPrivateMemorySpace));
      rewriter.modifyOpInPlace(
          fill, [&] { fill.getOutputsMutable()[0].set(alloc.getResult()); });
    });
    cpu::cleanupDeadOps(func);
  }
};

} // namespace
