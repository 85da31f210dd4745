//===- Pipeline.cpp - the CPU kernel pipeline and its registration --------===//
//
// Lowers one kernel module (tensor kernel) to the LLVM dialect under the CPU
// executable ABI: destination-passing interface, workgroup and register
// tiling, vectorization, bufferization, ABI, LLVM conversion.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/CPU/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace mlir::ingot::cpu {
#define GEN_PASS_REGISTRATION
#include "compiler/Codegen/CPU/Passes.h.inc"
} // namespace mlir::ingot::cpu

void mlir::ingot::cpu::buildCpuKernelPipeline(OpPassManager &pm) {
  // Tensor level: interface, tiling, vectorization.
  {
    OpPassManager &fpm = pm.nest<func::FuncOp>();
    fpm.addPass(createMaterializeKernelInterfacePass());
    fpm.addPass(createTileAndDistributePass());
    fpm.addPass(createTileAndVectorizePass());
    fpm.addPass(createCanonicalizerPass());
    fpm.addPass(createCSEPass());
  }
  // Buffers: results are written straight into the output bindings.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizationOptions bufferization;
  bufferization.setFunctionBoundaryTypeConversion(
      bufferization::LayoutMapOption::IdentityLayoutMap);
  // Copies become loops: the kernels link no runtime library (memrefCopy).
  bufferization.memCpyFn = [](OpBuilder &b, Location loc, Value from,
                              Value to) {
    b.create<linalg::CopyOp>(loc, from, to);
    return success();
  };
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  {
    OpPassManager &fpm = pm.nest<func::FuncOp>();
    fpm.addPass(createOptimizeVectorTransfersPass());
    // Ops left unvectorized write their tiles in place; the copies of a
    // tile onto itself that bufferization leaves behind fold away once
    // equal subviews are merged.
    fpm.addPass(createCSEPass());
    fpm.addPass(createCanonicalizerPass());
    fpm.addPass(createConvertLinalgToLoopsPass());
    fpm.addPass(createLowerKernelAbiPass());
  }
  // LLVM dialect.
  VectorTransferToSCFOptions transfers;
  transfers.enableFullUnroll();
  pm.addPass(createConvertVectorToSCFPass(transfers));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertSCFToCFPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // Vector lowering may create memref.load/store (0-d transfers): memref
  // conversion comes after it.
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  // Math without an LLVM intrinsic (tan, asin, acos, atan, ... on scalars or
  // f64, which polynomial approximation leaves) becomes libm calls.
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void mlir::ingot::cpu::registerCpuCodegenPasses() {
  registerCPUPasses();
  PassPipelineRegistration<>(
      "ingot-cpu-kernel-pipeline",
      "Lowers a kernel module (tensor kernel) to LLVM under the CPU ABI",
      [](OpPassManager &pm) { buildCpuKernelPipeline(pm); });
}
