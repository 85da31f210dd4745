//===- GatherKernels.cpp - collect tensor kernels for SPIR-V ----*- C++ -*-===//
//
// Clones the tensor kernel of every exec.executable into one nested module
// that becomes the single SPIR-V module of the program.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/SPIRV/Passes.h"
#include "compiler/Codegen/SPIRV/VulkanTargets.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

#define DEBUG_TYPE "ingot-spirv-gather-kernels"

namespace mlir::ingot::vk {
#define GEN_PASS_DEF_GATHERKERNELSPASS
#include "compiler/Codegen/SPIRV/Passes.h.inc"
} // namespace mlir::ingot::vk

using namespace mlir;
using namespace mlir::ingot;

namespace {

struct GatherKernelsPass
    : public mlir::ingot::vk::impl::GatherKernelsPassBase<GatherKernelsPass> {
  using GatherKernelsPassBase::GatherKernelsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    std::optional<vk::VulkanTarget> vulkanTarget =
        vk::lookupVulkanTarget(target);
    if (!vulkanTarget) {
      module.emitError("unknown Vulkan target '")
          << target << "'; known targets: " << vk::listVulkanTargets();
      return signalPassFailure();
    }
    SmallVector<exec::ExecutableOp> executables(
        module.getOps<exec::ExecutableOp>());
    if (executables.empty())
      return;
    for (ModuleOp nested : module.getOps<ModuleOp>())
      if (nested.getSymName() == vk::kKernelModuleName) {
        nested.emitOpError("already holds the SPIR-V kernels");
        return signalPassFailure();
      }

    OpBuilder b(ctx);
    b.setInsertionPoint(executables.front());
    auto kernels =
        b.create<ModuleOp>(module.getLoc(), StringRef(vk::kKernelModuleName));
    kernels->setAttr(::mlir::spirv::getTargetEnvAttrName(),
                     vk::getTargetEnv(ctx, *vulkanTarget));
    kernels->setAttr(vk::kTargetNameAttr, b.getStringAttr(target));
    b.setInsertionPointToEnd(kernels.getBody());
    for (exec::ExecutableOp executable : executables) {
      func::FuncOp kernel = executable.getKernel();
      if (!kernel || kernel.isExternal()) {
        executable.emitOpError("has no tensor kernel to compile to SPIR-V");
        return signalPassFailure();
      }
      for (Operation &op : executable.getInnerModule().getOps())
        if (&op != kernel.getOperation()) {
          op.emitOpError("is not supported next to a kernel by SPIR-V code "
                         "generation");
          return signalPassFailure();
        }
      b.clone(*kernel);
    }
  }
};

} // namespace
