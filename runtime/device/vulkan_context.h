//===- vulkan_context.h - Vulkan loader, instance and device ----*- C++ -*-===//
//
// The runtime reaches Vulkan only through `dlopen("libvulkan.so.1")` and
// `vkGetInstanceProcAddr`/`vkGetDeviceProcAddr` (the headers are compiled
// with VK_NO_PROTOTYPES), so the runtime binaries do not depend on the
// Vulkan loader: a CPU-only deployment runs without it.
//
// VulkanInstance owns the loader library and a VkInstance; PhysicalDeviceInfo
// holds what the runtime checks modules against (API version, features,
// limits, extensions); VulkanContext owns a VkDevice with its compute queue
// and is shared by the device and the per-module state loaded on it.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_DEVICE_VULKAN_CONTEXT_H
#define INGOT_RUNTIME_DEVICE_VULKAN_CONTEXT_H

#ifndef VK_NO_PROTOTYPES
#define VK_NO_PROTOTYPES
#endif
#include <vulkan/vulkan.h>

#include "runtime/base/status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ingot::runtime::vulkan {

/// Instance-level functions the runtime uses.
#define INGOT_VK_INSTANCE_FUNCTIONS(X)                                         \
  X(vkDestroyInstance)                                                         \
  X(vkEnumeratePhysicalDevices)                                                \
  X(vkGetPhysicalDeviceProperties)                                             \
  X(vkGetPhysicalDeviceProperties2)                                            \
  X(vkGetPhysicalDeviceFeatures2)                                              \
  X(vkGetPhysicalDeviceQueueFamilyProperties)                                  \
  X(vkGetPhysicalDeviceMemoryProperties)                                       \
  X(vkEnumerateDeviceExtensionProperties)                                      \
  X(vkCreateDevice)                                                            \
  X(vkGetDeviceProcAddr)

/// Device-level functions the runtime uses.
#define INGOT_VK_DEVICE_FUNCTIONS(X)                                           \
  X(vkDestroyDevice)                                                           \
  X(vkGetDeviceQueue)                                                          \
  X(vkCreateBuffer)                                                            \
  X(vkDestroyBuffer)                                                           \
  X(vkGetBufferMemoryRequirements)                                             \
  X(vkAllocateMemory)                                                          \
  X(vkFreeMemory)                                                              \
  X(vkBindBufferMemory)                                                        \
  X(vkMapMemory)                                                               \
  X(vkUnmapMemory)                                                             \
  X(vkFlushMappedMemoryRanges)                                                 \
  X(vkInvalidateMappedMemoryRanges)                                            \
  X(vkCreateShaderModule)                                                      \
  X(vkDestroyShaderModule)                                                     \
  X(vkCreateDescriptorSetLayout)                                               \
  X(vkDestroyDescriptorSetLayout)                                              \
  X(vkCreatePipelineLayout)                                                    \
  X(vkDestroyPipelineLayout)                                                   \
  X(vkCreateComputePipelines)                                                  \
  X(vkDestroyPipeline)                                                         \
  X(vkCreateDescriptorPool)                                                    \
  X(vkDestroyDescriptorPool)                                                   \
  X(vkAllocateDescriptorSets)                                                  \
  X(vkUpdateDescriptorSets)                                                    \
  X(vkCreateCommandPool)                                                       \
  X(vkDestroyCommandPool)                                                      \
  X(vkResetCommandPool)                                                        \
  X(vkAllocateCommandBuffers)                                                  \
  X(vkBeginCommandBuffer)                                                      \
  X(vkEndCommandBuffer)                                                        \
  X(vkCmdBindPipeline)                                                         \
  X(vkCmdBindDescriptorSets)                                                   \
  X(vkCmdPushConstants)                                                        \
  X(vkCmdDispatch)                                                             \
  X(vkCmdCopyBuffer)                                                           \
  X(vkCmdPipelineBarrier)                                                      \
  X(vkCreateFence)                                                             \
  X(vkDestroyFence)                                                            \
  X(vkResetFences)                                                             \
  X(vkWaitForFences)                                                           \
  X(vkQueueSubmit)

/// Returns the name of a VkResult ("VK_ERROR_DEVICE_LOST").
const char *resultName(VkResult result);

/// Formats a Vulkan version as "1.3".
std::string formatVersion(uint32_t version);

/// The Vulkan loader library and one VkInstance.
class VulkanInstance {
public:
  ~VulkanInstance();
  VulkanInstance(const VulkanInstance &) = delete;
  VulkanInstance &operator=(const VulkanInstance &) = delete;

  /// Loads the Vulkan loader ($INGOT_VULKAN_LIBRARY, else libvulkan.so.1)
  /// and creates an instance for Vulkan 1.1 or newer (at most 1.3). Fails
  /// with INGOT_STATUS_UNAVAILABLE when there is no loader or no driver.
  static ingot_status_t create(std::shared_ptr<VulkanInstance> &out);

  /// Returns the physical devices, in the loader's order (vulkan://N).
  const std::vector<VkPhysicalDevice> &physicalDevices() const {
    return physicalDevices_;
  }
  /// Returns the API version the instance was created with.
  uint32_t apiVersion() const { return apiVersion_; }
  VkInstance handle() const { return instance_; }

#define INGOT_VK_DECLARE(name) PFN_##name name = nullptr;
  INGOT_VK_INSTANCE_FUNCTIONS(INGOT_VK_DECLARE)
#undef INGOT_VK_DECLARE

private:
  VulkanInstance() = default;

  void *library_ = nullptr;
  VkInstance instance_ = VK_NULL_HANDLE;
  uint32_t apiVersion_ = 0;
  std::vector<VkPhysicalDevice> physicalDevices_;
};

/// What the runtime knows about one physical device.
struct PhysicalDeviceInfo {
  VkPhysicalDevice handle = VK_NULL_HANDLE;
  /// Index among the instance's physical devices (vulkan://index).
  uint32_t index = 0;
  VkPhysicalDeviceProperties properties{};
  /// The API version usable with it: min(instance, device).
  uint32_t apiVersion = 0;
  VkPhysicalDeviceFeatures features{};
  VkPhysicalDevice16BitStorageFeatures storage16{};
  VkPhysicalDeviceVariablePointersFeatures variablePointers{};
  /// Valid only if `hasStorage8` (Vulkan 1.2 or VK_KHR_8bit_storage).
  VkPhysicalDevice8BitStorageFeatures storage8{};
  bool hasStorage8 = false;
  /// Valid only if `hasFloat16Int8` (1.2 or VK_KHR_shader_float16_int8).
  VkPhysicalDeviceShaderFloat16Int8Features float16Int8{};
  bool hasFloat16Int8 = false;
  VkPhysicalDeviceSubgroupProperties subgroup{};
  std::vector<std::string> extensions;
  /// A queue family with compute support, or -1.
  int32_t computeQueueFamily = -1;

  /// Returns true if the device lists extension `name`.
  bool hasExtension(const char *name) const;
  /// Returns "vulkan://N".
  std::string name() const;
  /// Returns e.g. "llvmpipe (LLVM 15.0.6, 256 bits) (Vulkan 1.3, cpu)".
  std::string description() const;
  /// Returns why the runtime cannot use the device, or "" if it can.
  std::string unsuitableReason() const;
};

/// Queries physical device `index` of `instance`.
PhysicalDeviceInfo queryPhysicalDevice(const VulkanInstance &instance,
                                       uint32_t index);

/// A VkBuffer bound to host-visible memory that stays mapped.
struct HostBuffer {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  uint8_t *mapped = nullptr;
  VkDeviceSize size = 0;
};

/// A VkDevice with one compute queue, shared (std::shared_ptr) by the device
/// and every module state loaded on it, so that it outlives them all.
class VulkanContext {
public:
  ~VulkanContext();
  VulkanContext(const VulkanContext &) = delete;
  VulkanContext &operator=(const VulkanContext &) = delete;

  /// Creates the logical device of `physical` with every feature and
  /// extension the runtime knows how to check that it supports.
  static ingot_status_t create(std::shared_ptr<VulkanInstance> instance,
                               const PhysicalDeviceInfo &physical,
                               std::shared_ptr<VulkanContext> &out);

  const PhysicalDeviceInfo &physical() const { return physical_; }
  VkDevice device() const { return device_; }
  VkQueue queue() const { return queue_; }
  uint32_t queueFamily() const { return physical_.computeQueueFamily; }
  /// Largest of minStorageBufferOffsetAlignment and 64: every binding's
  /// offset inside a buffer is a multiple of it.
  VkDeviceSize bindingAlignment() const { return bindingAlignment_; }

  /// Creates a storage/transfer buffer of `size` bytes in host-visible
  /// memory (device-local too where the device offers it), mapped.
  ingot_status_t createHostBuffer(VkDeviceSize size, HostBuffer &out);
  /// Destroys `buffer` (a null one is fine) and resets it.
  void destroyHostBuffer(HostBuffer &buffer);
  /// Makes host writes to `buffer` visible to the device (flush when the
  /// memory is not coherent).
  ingot_status_t flush(const HostBuffer &buffer);
  /// Makes device writes to `buffer` visible to the host (invalidate when
  /// the memory is not coherent).
  ingot_status_t invalidate(const HostBuffer &buffer);

  /// Returns a status for a failed Vulkan call `what` on this device.
  ingot_status_t error(const char *what, VkResult result) const;

#define INGOT_VK_DECLARE(name) PFN_##name name = nullptr;
  INGOT_VK_DEVICE_FUNCTIONS(INGOT_VK_DECLARE)
#undef INGOT_VK_DECLARE

private:
  VulkanContext() = default;

  std::shared_ptr<VulkanInstance> instance_;
  PhysicalDeviceInfo physical_;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  uint32_t memoryType_ = 0;
  bool coherent_ = true;
  VkDeviceSize bindingAlignment_ = 64;
};

} // namespace ingot::runtime::vulkan

#endif // INGOT_RUNTIME_DEVICE_VULKAN_CONTEXT_H
