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
#include "mlir/Dialect/Math/IR/Math.h"
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

/// math.atan2(y, x) -> math.atan(y / x) moved to the right quadrant:
/// + pi when x < 0 and y >= 0, - pi when x < 0 and y < 0, and 0 when both
/// are 0 (GLSL.std.450 has Atan but no Atan2 MLIR 19 converts).
struct ExpandAtan2 : public OpRewritePattern<math::Atan2Op> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::Atan2Op op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type type = op.getType();
    Value y = op.getLhs(), x = op.getRhs();
    auto constant = [&](double value) -> Value {
      TypedAttr attr = rewriter.getFloatAttr(getElementTypeOrSelf(type), value);
      if (auto shaped = dyn_cast<ShapedType>(type))
        attr = SplatElementsAttr::get(shaped, attr);
      return rewriter.create<arith::ConstantOp>(loc, attr);
    };
    Value zero = constant(0.0), pi = constant(M_PI);
    Value angle = rewriter.create<math::AtanOp>(
        loc, rewriter.create<arith::DivFOp>(loc, y, x));
    Value yNonNegative =
        rewriter.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGE, y, zero);
    Value shift = rewriter.create<arith::SelectOp>(
        loc, yNonNegative, pi, rewriter.create<arith::NegFOp>(loc, pi));
    Value xNegative =
        rewriter.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, x, zero);
    angle = rewriter.create<arith::SelectOp>(
        loc, xNegative, rewriter.create<arith::AddFOp>(loc, angle, shift),
        angle);
    Value bothZero = rewriter.create<arith::AndIOp>(
        loc,
        rewriter.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, x, zero),
        rewriter.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, y,
                                       zero));
    rewriter.replaceOpWithNewOp<arith::SelectOp>(op, bothZero, zero, angle);
    return success();
  }
};

/// math.atan -> spirv.GL.Atan (MLIR 19's MathToSPIRV lacks it).
struct AtanToGL : public OpConversionPattern<math::AtanOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(math::AtanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = getTypeConverter()->convertType(op.getType());
    if (!type)
      return failure();
    rewriter.replaceOpWithNewOp<spv::GLAtanOp>(op, type, adaptor.getOperand());
    return success();
  }
};

/// Fails with a clear error on the first math op of `kernels` computing on
/// f64 that lowers to a GLSL.std.450 instruction taking only 16/32-bit
/// floats (exp, log, pow, trigonometric, hyperbolic, erf, ...); computing
/// them in f32 would silently lose the precision the model asked for.
LogicalResult checkNoF64Transcendentals(ArrayRef<func::FuncOp> kernels) {
  for (func::FuncOp kernel : kernels) {
    WalkResult result = kernel.walk([](Operation *op) {
      if (!isa<math::AcosOp, math::AcoshOp, math::AsinOp, math::AsinhOp,
               math::AtanOp, math::Atan2Op, math::AtanhOp, math::CbrtOp,
               math::CosOp, math::CoshOp, math::ErfOp, math::ExpOp,
               math::Exp2Op, math::ExpM1Op, math::FPowIOp, math::LogOp,
               math::Log10Op, math::Log1pOp, math::Log2Op, math::PowFOp,
               math::SinOp, math::SinhOp, math::TanOp, math::TanhOp>(op))
        return WalkResult::advance();
      auto isF64 = [](Type type) { return getElementTypeOrSelf(type).isF64(); };
      if (llvm::none_of(op->getOperandTypes(), isF64) &&
          llvm::none_of(op->getResultTypes(), isF64))
        return WalkResult::advance();
      op->emitError() << "'" << op->getName()
                      << "' on f64 is not supported by the Vulkan target "
                         "(GLSL.std.450 is 32-bit only); compile for the CPU "
                         "or use a float32 model";
      return WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      return failure();
  }
  return success();
}

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

    if (failed(checkNoF64Transcendentals(kernels)))
      return signalPassFailure();

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
      patterns.add<ExpandAtan2>(ctx);
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
    patterns.add<AtanToGL>(typeConverter, ctx);
    if (failed(applyFullConversion(gpuModule.getOperation(), *target,
                                   std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
