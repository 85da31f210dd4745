//===- Passes.h - SPIR-V code generation passes -----------------*- C++ -*-===//
#ifndef INGOT_COMPILER_CODEGEN_SPIRV_PASSES_H
#define INGOT_COMPILER_CODEGEN_SPIRV_PASSES_H

#include "dialects/Exec/IR/ExecOps.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVDialect.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include <string>

namespace mlir::ingot::vk {

#define GEN_PASS_DECL
#include "compiler/Codegen/SPIRV/Passes.h.inc"

/// Name of the nested module that holds every kernel for SPIR-V.
constexpr const char *kKernelModuleName = "spirv_kernels";
/// Attribute naming the Vulkan target on that module.
constexpr const char *kTargetNameAttr = "exec.spirv_target";
/// Attribute listing the entry points (#exec.entry_point) on that module.
constexpr const char *kEntryPointsAttr = "exec.entry_points";
/// Kernel attributes recording its grid and workgroup size (x, y, z).
constexpr const char *kWorkgroupCountAttr = "exec.workgroup_count";
constexpr const char *kWorkgroupSizeAttr = "exec.workgroup_size";
/// Memory space of private (per-invocation) arrays: SPIR-V `Function`
/// storage in the Vulkan mapping.
constexpr int64_t kPrivateMemorySpace = 6;

/// Options of the SPIR-V kernel pipeline.
struct SpirvPipelineOptions {
  /// Named Vulkan target (see listVulkanTargets()).
  std::string target = "default";
};

/// Adds the passes that lower every exec.executable's tensor kernel into one
/// SPIR-V module (in a nested `builtin.module @spirv_kernels`); the
/// executables stay as they are for other targets.
void buildSpirvKernelPipeline(OpPassManager &pm,
                              const SpirvPipelineOptions &options);

/// Registers the SPIR-V passes and the `ingot-spirv-kernel-pipeline`
/// pipeline.
void registerSpirvCodegenPasses();

} // namespace mlir::ingot::vk

#endif // INGOT_COMPILER_CODEGEN_SPIRV_PASSES_H
