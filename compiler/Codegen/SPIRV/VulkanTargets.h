//===- VulkanTargets.h - named Vulkan/SPIR-V targets ------------*- C++ -*-===//
#ifndef INGOT_COMPILER_CODEGEN_SPIRV_VULKANTARGETS_H
#define INGOT_COMPILER_CODEGEN_SPIRV_VULKANTARGETS_H

#include "mlir/Dialect/SPIRV/IR/TargetAndABI.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>
#include <string>

namespace mlir::ingot::vk {

/// A named Vulkan target: what the kernels may use.
struct VulkanTarget {
  /// Name for --vulkan-target=.
  const char *name;
  /// One-line description for --help.
  const char *description;
  /// Minimum Vulkan version (major, minor).
  unsigned vulkanMajor, vulkanMinor;
  /// Invocations per workgroup the kernels use (and the most they may).
  int64_t workgroupSize;
};

/// The target named `name`, or std::nullopt.
std::optional<VulkanTarget> lookupVulkanTarget(llvm::StringRef name);

/// Comma-separated names of the known targets, for error messages.
std::string listVulkanTargets();

/// The `spirv.target_env` of `target`: its SPIR-V version, every capability
/// and extension the kernels may need (spirv-update-vce keeps only the used
/// ones) and its limits.
::mlir::spirv::TargetEnvAttr getTargetEnv(MLIRContext *ctx,
                                          const VulkanTarget &target);

} // namespace mlir::ingot::vk

#endif // INGOT_COMPILER_CODEGEN_SPIRV_VULKANTARGETS_H
