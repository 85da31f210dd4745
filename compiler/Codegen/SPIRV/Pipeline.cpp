//===- Pipeline.cpp - the SPIR-V kernel pipeline and its registration -----===//
//
// Lowers the tensor kernels of every exec.executable into one SPIR-V module:
// gather, destination-passing interface, invocation tiling, bufferization
// into private arrays, loops, GPU ids, SPIR-V conversion, ABI and VCE.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/SPIRV/Passes.h"

#include "compiler/Codegen/CPU/Passes.h"
#include "compiler/Codegen/SPIRV/VulkanTargets.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Dialect/SPIRV/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace mlir::ingot::vk {
#define GEN_PASS_REGISTRATION
#include "compiler/Codegen/SPIRV/Passes.h.inc"
} // namespace mlir::ingot::vk

void mlir::ingot::vk::buildSpirvKernelPipeline(
    OpPassManager &pm, const SpirvPipelineOptions &options) {
  GatherKernelsPassOptions gather;
  gather.target = options.target;
  pm.addPass(createGatherKernelsPass(gather));
  std::optional<VulkanTarget> target = lookupVulkanTarget(options.target);
  int64_t workgroupSize = target ? target->workgroupSize : 128;

  // Everything below runs on the nested module of kernels.
  OpPassManager &kpm = pm.nest<ModuleOp>();
  {
    OpPassManager &fpm = kpm.nest<func::FuncOp>();
    fpm.addPass(cpu::createMaterializeKernelInterfacePass());
    fpm.addPass(createCanonicalizerPass());
    fpm.addPass(createCSEPass());
    // Last on tensors: it rewrites the tensor constants for bufferization.
    fpm.addPass(createTileAndDistributePass());
  }
  // Buffers: results go straight into the output bindings; temporaries are
  // private arrays of each invocation.
  kpm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizationOptions bufferization;
  bufferization.setFunctionBoundaryTypeConversion(
      bufferization::LayoutMapOption::IdentityLayoutMap);
  bufferization.defaultMemorySpaceFn =
      [](TensorType type) -> std::optional<Attribute> {
    return IntegerAttr::get(IntegerType::get(type.getContext(), 64),
                            kPrivateMemorySpace);
  };
  bufferization.allocationFn = [](OpBuilder &b, Location loc, MemRefType type,
                                  ValueRange dynamicSizes,
                                  unsigned) -> FailureOr<Value> {
    return b.create<memref::AllocaOp>(loc, type, dynamicSizes).getResult();
  };
  bufferization.memCpyFn = [](OpBuilder &b, Location loc, Value from,
                              Value to) {
    b.create<linalg::CopyOp>(loc, from, to);
    return success();
  };
  kpm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  {
    OpPassManager &fpm = kpm.nest<func::FuncOp>();
    fpm.addPass(createCSEPass());
    fpm.addPass(createCanonicalizerPass());
    fpm.addPass(createConvertLinalgToLoopsPass());
    fpm.addPass(memref::createFoldMemRefAliasOpsPass());
    DistributeToInvocationsPassOptions distribute;
    distribute.workgroupSize = workgroupSize;
    fpm.addPass(createDistributeToInvocationsPass(distribute));
    fpm.addPass(createCanonicalizerPass());
    fpm.addPass(createCSEPass());
  }
  kpm.addPass(createLowerAffinePass());
  kpm.addPass(createConvertKernelsToSPIRVPass());
  OpPassManager &spm = kpm.nest<spirv::ModuleOp>();
  spm.addPass(spirv::createSPIRVLowerABIAttributesPass());
  spm.addPass(spirv::createSPIRVUpdateVCEPass());
  spm.addPass(createCanonicalizerPass());
}

void mlir::ingot::vk::registerSpirvCodegenPasses() {
  registerSPIRVPasses();
  PassPipelineRegistration<>(
      "ingot-spirv-kernel-pipeline",
      "Lowers every exec.executable's tensor kernel into one SPIR-V module "
      "(default Vulkan target)",
      [](OpPassManager &pm) {
        buildSpirvKernelPipeline(pm, SpirvPipelineOptions());
      });
}
