//===- TilingUtils.h - helpers shared by the tiling passes ------*- C++ -*-===//
//
// Used by the CPU and the SPIR-V code generation.
//
//===----------------------------------------------------------------------===//
#ifndef INGOT_COMPILER_CODEGEN_CPU_TILINGUTILS_H
#define INGOT_COMPILER_CODEGEN_CPU_TILINGUTILS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <optional>

namespace mlir::ingot::cpu {

/// The largest divisor of `size` that is at most `limit` (at least 1), so
/// tiles of that size cover `size` exactly and stay static.
int64_t largestDivisorAtMost(int64_t size, int64_t limit);

/// Like largestDivisorAtMost, but prefers the largest such divisor that is a
/// multiple of `multiple` (whole vectors), when there is one.
int64_t largestVectorDivisorAtMost(int64_t size, int64_t limit,
                                   int64_t multiple);

/// The fraction of vector lanes a tile of `size` elements uses when it is
/// split into vectors of `width` lanes (the last one partial).
double laneUse(int64_t size, int64_t width);

/// The static loop bounds of `op`'s iteration domain, if all are static.
std::optional<SmallVector<int64_t>> staticLoopBounds(TilingInterface op);

/// The panel width NR of a contraction over packed panels in `func`
/// (`out[m, j, l] += lhs[m, k] * packed[j, k, l]`, what
/// ingot-linalg-pack-weights makes of a matmul with a constant weight), if
/// `func` has one with a static NR.
std::optional<int64_t> packedPanelWidth(func::FuncOp func);

/// The indices of the parallel loops among `isParallel`, outermost first.
SmallVector<unsigned> parallelLoops(ArrayRef<bool> isParallel);

/// Returns true if the three innermost parallel loops of an op with loop
/// bounds `bounds` are (m, j, l) of a product over packed panels of `panel`
/// columns: the last parallel loop spans one panel.
bool isPanelSpace(ArrayRef<int64_t> bounds, ArrayRef<bool> isParallel,
                  int64_t panel);

/// Erases side-effect-free ops without uses in `func`, repeatedly.
void cleanupDeadOps(func::FuncOp func);

/// Tiles `root` by `tiles` into an `scf.forall`, fuses its producers into
/// the loop and replaces the uses of `root`'s results. Emits `error` on
/// `root` and fails if tiling fails.
LogicalResult tileAndFuseIntoForall(TilingInterface root,
                                    ArrayRef<int64_t> tiles, StringRef error);

/// Returns true if an op of `block` outside `loop` writes memory: such a
/// kernel cannot run its workgroups independently (every workgroup would
/// redo those writes). Allocations never count, nor the writes for which
/// `isPrivateWrite` (if given) returns true.
bool writesOutsideLoop(
    Block &block, Operation *loop,
    llvm::function_ref<bool(Operation *)> isPrivateWrite = nullptr);

/// Replaces the workgroup loop `forall` by a sequential loop nest: the
/// kernel then runs as a single workgroup.
LogicalResult serializeWorkgroupLoop(OpBuilder &b, scf::ForallOp forall);

/// Replaces the workgroup loop `forall` by its body for the workgroup
/// `linearId` (row-major over the loop's iteration counts), in place of the
/// loop. Returns the total number of workgroups, or failure if the loop is
/// not static.
FailureOr<int64_t> inlineWorkgroupLoop(OpBuilder &b, scf::ForallOp forall,
                                       Value linearId);

} // namespace mlir::ingot::cpu

#endif // INGOT_COMPILER_CODEGEN_CPU_TILINGUTILS_H
