//===- Passes.h - CPU code generation passes --------------------*- C++ -*-===//
#ifndef INGOT_COMPILER_CODEGEN_CPU_PASSES_H
#define INGOT_COMPILER_CODEGEN_CPU_PASSES_H

#include "dialects/Exec/IR/ExecOps.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace mlir::ingot::cpu {

#define GEN_PASS_DECL
#include "compiler/Codegen/CPU/Passes.h.inc"

/// Name of the attribute recording a kernel's workgroup grid (x, y, z).
constexpr const char *kWorkgroupCountAttr = "exec.workgroup_count";

/// Unit attribute that ingot-cpu-tile-and-distribute puts on a kernel too
/// small to share among threads: ingot-cpu-lower-kernel-abi runs its
/// workgroup loop sequentially, as a single workgroup.
constexpr const char *kSingleWorkgroupAttr = "ingot.cpu.single_workgroup";

/// Adds the passes that lower one kernel module (a `builtin.module` holding
/// a tensor kernel) to the LLVM dialect under the CPU executable ABI.
void buildCpuKernelPipeline(OpPassManager &pm);

/// Registers the CPU passes and the `ingot-cpu-kernel-pipeline` pipeline.
void registerCpuCodegenPasses();

} // namespace mlir::ingot::cpu

#endif // INGOT_COMPILER_CODEGEN_CPU_PASSES_H
