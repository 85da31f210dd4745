//===- SerializeExecutables.cpp - spirv.module to exec.binary ---*- C++ -*-===//
//
// Serializes the SPIR-V kernel module into one exec.binary in format
// `spirv` that records the target environment its kernels need.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/SPIRV/Passes.h"
#include "compiler/Codegen/SPIRV/VulkanTargets.h"

#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Target/SPIRV/Serialization.h"

#define DEBUG_TYPE "ingot-spirv-serialize-executables"

namespace mlir::ingot::vk {
#define GEN_PASS_DEF_SERIALIZEEXECUTABLESPASS
#include "compiler/Codegen/SPIRV/Passes.h.inc"
} // namespace mlir::ingot::vk

using namespace mlir;
using namespace mlir::ingot;
namespace spv = mlir::spirv;

namespace {

struct SerializeExecutablesPass
    : public mlir::ingot::vk::impl::SerializeExecutablesPassBase<
          SerializeExecutablesPass> {
  using SerializeExecutablesPassBase::SerializeExecutablesPassBase;

  void runOnOperation() override;
};

void SerializeExecutablesPass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();
  ModuleOp kernels;
  for (ModuleOp nested : module.getOps<ModuleOp>())
    if (nested.getSymName() == vk::kKernelModuleName)
      kernels = nested;
  if (!kernels)
    return;
  SmallVector<spv::ModuleOp> spvModules(kernels.getOps<spv::ModuleOp>());
  auto entryPoints = kernels->getAttrOfType<ArrayAttr>(vk::kEntryPointsAttr);
  auto name = kernels->getAttrOfType<StringAttr>(vk::kTargetNameAttr);
  if (spvModules.size() != 1 || !entryPoints || !name) {
    kernels.emitOpError("must hold one spirv.module, its entry points and its "
                        "target name; run ingot-spirv-kernel-pipeline first");
    return signalPassFailure();
  }
  spv::ModuleOp spvModule = spvModules.front();
  std::optional<vk::VulkanTarget> target =
      vk::lookupVulkanTarget(name.getValue());
  std::optional<spv::VerCapExtAttr> vce = spvModule.getVceTriple();
  if (!target || !vce) {
    kernels.emitOpError("has an unknown Vulkan target or no VCE triple");
    return signalPassFailure();
  }

  SmallVector<uint32_t, 0> words;
  if (failed(spv::serialize(spvModule, words))) {
    spvModule.emitOpError("failed to serialize to SPIR-V");
    return signalPassFailure();
  }

  // What a device must support to run the module.
  Builder b(ctx);
  SmallVector<Attribute> capabilities, extensions;
  for (spv::Capability cap : vce->getCapabilities())
    capabilities.push_back(b.getStringAttr(spv::stringifyCapability(cap)));
  for (spv::Extension ext : vce->getExtensions())
    extensions.push_back(b.getStringAttr(spv::stringifyExtension(ext)));
  int64_t maxInvocations = 1;
  for (Attribute attr : entryPoints) {
    auto entry = cast<exec::EntryPointAttr>(attr);
    int64_t invocations = 1;
    for (int64_t s : entry.getWorkgroupSize())
      invocations *= s;
    maxInvocations = std::max(maxInvocations, invocations);
  }
  int64_t spirvVersion =
      (1 << 16) | (static_cast<int64_t>(vce->getVersion()) << 8);
  int64_t vulkanVersion = (int64_t(target->vulkanMajor) << 22) |
                          (int64_t(target->vulkanMinor) << 12);
  NamedAttribute config[] = {
      b.getNamedAttr("name", name),
      b.getNamedAttr("spirv_version", b.getI64IntegerAttr(spirvVersion)),
      b.getNamedAttr("vulkan_version", b.getI64IntegerAttr(vulkanVersion)),
      b.getNamedAttr("capabilities", b.getArrayAttr(capabilities)),
      b.getNamedAttr("extensions", b.getArrayAttr(extensions)),
      b.getNamedAttr("max_workgroup_invocations",
                     b.getI64IntegerAttr(maxInvocations)),
  };

  OpBuilder builder(kernels);
  StringRef bytes(reinterpret_cast<const char *>(words.data()),
                  words.size() * sizeof(uint32_t));
  builder.create<exec::BinaryOp>(
      module.getLoc(), builder.getStringAttr("spirv"),
      builder.getStringAttr("spirv"),
      builder.getStringAttr("vulkan:" + name.getValue()), entryPoints,
      builder.getStringAttr(bytes), b.getDictionaryAttr(config));
  kernels.erase();
  if (!keepExecutables)
    for (exec::ExecutableOp executable :
         llvm::make_early_inc_range(module.getOps<exec::ExecutableOp>()))
      executable.erase();
}

} // namespace
