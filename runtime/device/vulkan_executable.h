//===- vulkan_executable.h - A module loaded on a Vulkan device -*- C++ -*-===//
//
// What a Vulkan device keeps per loaded module: the SpirV executable checked
// against the device's features and turned into one VkShaderModule and one
// compute pipeline per dispatched entry point, the constants uploaded into a
// device buffer, and per function a descriptor set for each dispatch (see
// docs/design/executable-abi.md, "SPIR-V executable ABI (Vulkan)").
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_DEVICE_VULKAN_EXECUTABLE_H
#define INGOT_RUNTIME_DEVICE_VULKAN_EXECUTABLE_H

#include "runtime/device/device.h"
#include "runtime/device/vulkan_context.h"
#include "runtime/module/module.h"

#include <memory>
#include <vector>

namespace ingot::runtime::vulkan {

/// The compute pipeline of one kernel (entry point).
struct KernelPipeline {
  VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
  VkPipelineLayout layout = VK_NULL_HANDLE;
  VkPipeline pipeline = VK_NULL_HANDLE;
  /// Storage buffers of set 0 (the most any dispatch of the kernel binds).
  uint32_t bindingCount = 0;
  /// Bytes of the push-constant range (8 per value; 0: none).
  uint32_t pushConstantBytes = 0;
  /// EntryPoint.workgroup_count.
  uint32_t workgroupCount[3] = {1, 1, 1};
};

/// Descriptor sets of one function: one per command (unused for copies).
struct FunctionState {
  VkDescriptorPool pool = VK_NULL_HANDLE;
  std::vector<VkDescriptorSet> sets;
};

/// A module loaded on a Vulkan device. Owned by the module (its
/// DeviceModuleState for that device); keeps the device's context alive.
class VulkanExecutable final : public DeviceModuleState {
public:
  ~VulkanExecutable() override;

  /// Finds the module's SpirV executable (required if the module has
  /// kernels), checks its target against the device, creates the shader module
  /// and pipelines and uploads the constants. Errors name the module, the
  /// device and what is missing.
  static ingot_status_t load(std::shared_ptr<VulkanContext> context,
                             const ModuleImage &image,
                             std::unique_ptr<VulkanExecutable> &out);

  /// Returns the pipeline of dispatched kernel `kernel`.
  const KernelPipeline &kernel(uint32_t index) const { return kernels_[index]; }
  /// Returns the buffer holding every constant.
  const HostBuffer &constants() const { return constants_; }
  /// Returns the offset of constant `index` inside constants().
  VkDeviceSize constantOffset(uint32_t index) const {
    return constantOffsets_[index];
  }
  /// Returns the descriptor sets of function `index` of the module.
  FunctionState &function(uint32_t index) { return functions_[index]; }

private:
  explicit VulkanExecutable(std::shared_ptr<VulkanContext> context)
      : context_(std::move(context)) {}

  ingot_status_t createPipelines(const ModuleImage &image,
                                 const schema::Executable *executable);
  ingot_status_t uploadConstants(const ModuleImage &image);
  ingot_status_t createDescriptorSets(const ModuleImage &image);

  std::shared_ptr<VulkanContext> context_;
  VkShaderModule shader_ = VK_NULL_HANDLE;
  std::vector<KernelPipeline> kernels_;
  HostBuffer constants_;
  std::vector<VkDeviceSize> constantOffsets_;
  std::vector<FunctionState> functions_;
};

/// Rounds `value` up to a multiple of `alignment` (a power of two).
inline VkDeviceSize alignUp(VkDeviceSize value, VkDeviceSize alignment) {
  return (value + alignment - 1) & ~(alignment - 1);
}

} // namespace ingot::runtime::vulkan

#endif // INGOT_RUNTIME_DEVICE_VULKAN_EXECUTABLE_H
