//===- TilingUtils.h - helpers shared by the CPU tiling passes --*- C++ -*-===//
#ifndef INGOT_COMPILER_CODEGEN_CPU_TILINGUTILS_H
#define INGOT_COMPILER_CODEGEN_CPU_TILINGUTILS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Interfaces/TilingInterface.h"
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

/// Erases side-effect-free ops without uses in `func`, repeatedly.
void cleanupDeadOps(func::FuncOp func);

} // namespace mlir::ingot::cpu

#endif // INGOT_COMPILER_CODEGEN_CPU_TILINGUTILS_H
