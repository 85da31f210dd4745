//===- ConvertKernelsToSPIRV.cpp - kernels to one spirv.module --*- C++ -*-===//
//
// Wraps the distributed kernels of the SPIR-V kernel module into one
// gpu.module of gpu.func kernels and converts it to the SPIR-V dialect.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/SPIRV/Passes.h"

#include "mlir/Conversion/ArithToSPIRV/ArithToSPIRV.h"
#include "mlir/Conversion/ControlFlowToSPIRV/ControlFlowToSPIRV.h"
#include "mlir/Conversion/FuncToSPIRV/FuncToSPIRV.h"
#include "mlir/Conversion/GPUToSPIRV/GPUToSPIRV.h"
#include "mlir/Conversion/MathToSPIRV/MathToSPIRV.h"
#include "mlir/Conversion/MemRefToSPIRV/MemRefToSPIRV.h"
#include "mlir/Conversion/SCFToSPIRV/SCFToSPIRV.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Dialect/SPIRV/IR/TargetAndABI.h"
#include "mlir/Dialect/SPIRV/Transforms/SPIRVConversion.h"
#include "mlir/IR/Builders.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "ingot-spirv-convert-kernels-to-spirv"

namespace mlir::ingot::vk {
#define GEN_PASS_DEF_CONVERTKERNELSTOSPIRVPASS
#include "compiler/Codegen/SPIRV/Passes.h.inc"
} // namespace mlir::ingot::vk

using namespace mlir;
using namespace mlir::ingot;
namespace spv = mlir::spirv;

namespace {

/// Moves `func` (a distributed kernel) into `gpuModule` as a gpu.func
/// kernel with its entry point ABI; returns its #exec.entry_point.
FailureOr<Attribute> outlineKernel(func::FuncOp func,
                                   gpu::GPUModuleOp gpuModule) {
  MLIRContext *ctx = func.getContext();
  auto count = func->getAttrOfType<DenseI64ArrayAttr>(vk::kWorkgroupCountAttr);
  auto size = func->getAttrOfType<DenseI64ArrayAttr>(vk::kWorkgroupSizeAttr);
  if (!count || count.size() != 3 || !size || size.size() != 3)
    return func.emitOpError("lacks its workgroup count and size; run "
                            "ingot-spirv-distribute-to-invocations first");
  OpBuilder b = OpBuilder::atBlockEnd(gpuModule.getBody());
  auto kernel = b.create<gpu::GPUFuncOp>(func.getLoc(), func.getName(),
                                         func.getFunctionType());
  kernel->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
  SmallVector<int32_t> localSize(size.asArrayRef().begin(),
                                 size.asArrayRef().end());
  kernel->setAttr(spv::getEntryPointABIAttrName(),
                  spv::getEntryPointABIAttr(ctx, localSize));
  Region &body = kernel.getBody();
  body.getBlocks().clear();
  body.takeBody(func.getBody());
  SmallVector<func::ReturnOp> returns;
  kernel.walk([&](func::ReturnOp ret) { returns.push_back(ret); });
  for (func::ReturnOp ret : returns) {
    b.setInsertionPoint(ret);
    b.create<gpu::ReturnOp>(ret.getLoc());
    ret.erase();
  }
  auto name = b.getStringAttr(func.getName());
  func.erase();
  return Attribute(exec::EntryPointAttr::get(
      ctx, name, name, count.asArrayRef(), size.asArrayRef()));
}

struct ConvertKernelsToSPIRVPass
    : public mlir::ingot::vk::impl::ConvertKernelsToSPIRVPassBase<
          ConvertKernelsToSPIRVPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    SmallVector<func::FuncOp> kernels(module.getOps<func::FuncOp>());
    if (kernels.empty())
      return;
    auto targetEnv =
        module->getAttrOfType<spv::TargetEnvAttr>(spv::getTargetEnvAttrName());
    if (!targetEnv) {
      module.emitOpError("needs a spirv.target_env attribute");
      return signalPassFailure();
    }

    // 1. One gpu.module with every kernel.
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    auto gpuModule =
        b.create<gpu::GPUModuleOp>(module.getLoc(), "kernels", ArrayAttr());
    SmallVector<Attribute> entryPoints;
    for (func::FuncOp func : kernels) {
      FailureOr<Attribute> entry = outlineKernel(func, gpuModule);
      if (failed(entry))
        return signalPassFailure();
      entryPoints.push_back(*entry);
    }
    module->setAttr(vk::kEntryPointsAttr, b.getArrayAttr(entryPoints));

    // 2. Math without a SPIR-V (GLSL) form.
    {
      RewritePatternSet patterns(ctx);
      populatePolynomialApproximateErfPattern(patterns);
      populateExpandTanPattern(patterns);
      populateExpandSinhPattern(patterns);
      populateExpandCoshPattern(patterns);
      populateExpandAsinhPattern(patterns);
      populateExpandAcoshPattern(patterns);
      populateExpandAtanhPattern(patterns);
      populateExpandFPowIPattern(patterns);
      populateExpandExp2FPattern(patterns);
      if (failed(applyPatternsAndFoldGreedily(gpuModule, std::move(patterns))))
        return signalPassFailure();
    }

    // 3. Memory spaces to storage classes: bindings become storage
    //    buffers, private arrays function variables.
    {
      spv::MemorySpaceToStorageClassConverter converter(
          spv::mapMemorySpaceToVulkanStorageClass);
      spv::convertMemRefTypesAndAttrs(gpuModule, converter);
    }

    // 4. Everything to SPIR-V.
    std::unique_ptr<ConversionTarget> target =
        SPIRVConversionTarget::get(targetEnv);
    SPIRVConversionOptions options;
    SPIRVTypeConverter typeConverter(targetEnv, options);
    ScfToSPIRVContext scfContext;
    RewritePatternSet patterns(ctx);
    populateGPUToSPIRVPatterns(typeConverter, patterns);
    arith::populateArithToSPIRVPatterns(typeConverter, patterns);
    cf::populateControlFlowToSPIRVPatterns(typeConverter, patterns);
    populateFuncToSPIRVPatterns(typeConverter, patterns);
    populateMemRefToSPIRVPatterns(typeConverter, patterns);
    populateSCFToSPIRVPatterns(typeConverter, scfContext, patterns);
    populateMathToSPIRVPatterns(typeConverter, patterns);
    if (failed(applyFullConversion(gpuModule.getOperation(), *target,
                                   std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
