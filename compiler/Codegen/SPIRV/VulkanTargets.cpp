//===- VulkanTargets.cpp - named Vulkan/SPIR-V targets ----------*- C++ -*-===//
//
// The targets `--vulkan-target=` names. `default` is what every Vulkan 1.1
// device guarantees (SPIR-V 1.3, 128 invocations per workgroup); `desktop`
// assumes a Vulkan 1.2 desktop-class device (lavapipe, discrete GPUs).
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/SPIRV/VulkanTargets.h"

#include "mlir/Dialect/SPIRV/IR/SPIRVAttributes.h"
#include "mlir/IR/Builders.h"

using namespace mlir;
namespace spv = mlir::spirv;

static const mlir::ingot::vk::VulkanTarget kTargets[] = {
    {"default", "any Vulkan 1.1 device: SPIR-V 1.3, 128 invocations", 1, 1,
     128},
    {"desktop",
     "Vulkan 1.2 desktop-class device (lavapipe, discrete GPUs): "
     "SPIR-V 1.5, 256 invocations",
     1, 2, 256},
};

std::optional<mlir::ingot::vk::VulkanTarget>
mlir::ingot::vk::lookupVulkanTarget(llvm::StringRef name) {
  for (const VulkanTarget &target : kTargets)
    if (name == target.name)
      return target;
  return std::nullopt;
}

std::string mlir::ingot::vk::listVulkanTargets() {
  std::string list;
  for (const VulkanTarget &target : kTargets) {
    if (!list.empty())
      list += ", ";
    list += target.name;
  }
  return list;
}

spv::TargetEnvAttr mlir::ingot::vk::getTargetEnv(MLIRContext *ctx,
                                                 const VulkanTarget &target) {
  // Vulkan 1.1 consumes SPIR-V 1.3, Vulkan 1.2 SPIR-V 1.5.
  spv::Version version =
      target.vulkanMinor >= 2 ? spv::Version::V_1_5 : spv::Version::V_1_3;
  // Everything the kernels may use; spirv-update-vce keeps only what the
  // module actually needs.
  spv::Capability caps[] = {spv::Capability::Shader,
                            spv::Capability::Int8,
                            spv::Capability::Int16,
                            spv::Capability::Int64,
                            spv::Capability::Float16,
                            spv::Capability::Float64,
                            spv::Capability::StorageBuffer8BitAccess,
                            spv::Capability::StorageBuffer16BitAccess};
  spv::Extension exts[] = {
      spv::Extension::SPV_KHR_8bit_storage,
      spv::Extension::SPV_KHR_16bit_storage,
      spv::Extension::SPV_KHR_storage_buffer_storage_class};
  auto triple = spv::VerCapExtAttr::get(version, caps, exts, ctx);
  Builder b(ctx);
  int32_t size = static_cast<int32_t>(target.workgroupSize);
  auto limits = spv::ResourceLimitsAttr::get(
      ctx, /*max_compute_shared_memory_size=*/16384,
      /*max_compute_workgroup_invocations=*/size,
      b.getI32ArrayAttr({size, size, 64}), /*subgroup_size=*/32, std::nullopt,
      std::nullopt, nullptr, nullptr);
  return spv::TargetEnvAttr::get(triple, limits, spv::ClientAPI::Vulkan);
}
