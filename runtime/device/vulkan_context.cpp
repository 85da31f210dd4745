//===- vulkan_context.cpp - Vulkan loader, instance and device --*- C++ -*-===//

#include "runtime/device/vulkan_context.h"

#include "runtime/device/vulkan_target.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>

namespace ingot::runtime::vulkan {

const char *resultName(VkResult result) {
  switch (result) {
#define INGOT_VK_RESULT(name)                                                  \
  case name:                                                                   \
    return #name;
    INGOT_VK_RESULT(VK_SUCCESS)
    INGOT_VK_RESULT(VK_NOT_READY)
    INGOT_VK_RESULT(VK_TIMEOUT)
    INGOT_VK_RESULT(VK_INCOMPLETE)
    INGOT_VK_RESULT(VK_ERROR_OUT_OF_HOST_MEMORY)
    INGOT_VK_RESULT(VK_ERROR_OUT_OF_DEVICE_MEMORY)
    INGOT_VK_RESULT(VK_ERROR_INITIALIZATION_FAILED)
    INGOT_VK_RESULT(VK_ERROR_DEVICE_LOST)
    INGOT_VK_RESULT(VK_ERROR_MEMORY_MAP_FAILED)
    INGOT_VK_RESULT(VK_ERROR_LAYER_NOT_PRESENT)
    INGOT_VK_RESULT(VK_ERROR_EXTENSION_NOT_PRESENT)
    INGOT_VK_RESULT(VK_ERROR_FEATURE_NOT_PRESENT)
    INGOT_VK_RESULT(VK_ERROR_INCOMPATIBLE_DRIVER)
    INGOT_VK_RESULT(VK_ERROR_TOO_MANY_OBJECTS)
    INGOT_VK_RESULT(VK_ERROR_FORMAT_NOT_SUPPORTED)
    INGOT_VK_RESULT(VK_ERROR_FRAGMENTED_POOL)
    INGOT_VK_RESULT(VK_ERROR_UNKNOWN)
    INGOT_VK_RESULT(VK_ERROR_OUT_OF_POOL_MEMORY)
    INGOT_VK_RESULT(VK_ERROR_INVALID_SHADER_NV)
#undef INGOT_VK_RESULT
  default:
    return "VK_ERROR_(unknown)";
  }
}

std::string formatVersion(uint32_t version) {
  return std::to_string(VK_API_VERSION_MAJOR(version)) + "." +
         std::to_string(VK_API_VERSION_MINOR(version));
}

//===----------------------------------------------------------------------===//
// VulkanInstance
//===----------------------------------------------------------------------===//

VulkanInstance::~VulkanInstance() {
  if (instance_ && vkDestroyInstance)
    vkDestroyInstance(instance_, nullptr);
  if (library_)
    dlclose(library_);
}

ingot_status_t VulkanInstance::create(std::shared_ptr<VulkanInstance> &out) {
  const char *path = std::getenv("INGOT_VULKAN_LIBRARY");
  if (!path || !*path)
    path = "libvulkan.so.1";
  std::shared_ptr<VulkanInstance> result(new VulkanInstance());
  result->library_ = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!result->library_)
    return makeStatus(INGOT_STATUS_UNAVAILABLE,
                      "Vulkan is not available: %s not found", path);
  auto getInstanceProcAddr = reinterpret_cast<PFN_vkGetInstanceProcAddr>(
      dlsym(result->library_, "vkGetInstanceProcAddr"));
  if (!getInstanceProcAddr)
    return makeStatus(INGOT_STATUS_UNAVAILABLE,
                      "Vulkan is not available: %s has no "
                      "vkGetInstanceProcAddr",
                      path);
  auto enumerateVersion = reinterpret_cast<PFN_vkEnumerateInstanceVersion>(
      getInstanceProcAddr(nullptr, "vkEnumerateInstanceVersion"));
  auto createInstance = reinterpret_cast<PFN_vkCreateInstance>(
      getInstanceProcAddr(nullptr, "vkCreateInstance"));
  uint32_t loaderVersion = VK_API_VERSION_1_0;
  if (enumerateVersion)
    enumerateVersion(&loaderVersion);
  if (!createInstance || loaderVersion < VK_API_VERSION_1_1)
    return makeStatus(INGOT_STATUS_UNAVAILABLE,
                      "Vulkan is not available: the loader %s supports "
                      "Vulkan %s but the runtime needs 1.1",
                      path, formatVersion(loaderVersion).c_str());
  result->apiVersion_ = std::min<uint32_t>(loaderVersion, VK_API_VERSION_1_3);

  VkApplicationInfo application{};
  application.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO;
  application.pApplicationName = "ingot";
  application.pEngineName = "ingot";
  application.apiVersion = result->apiVersion_;
  VkInstanceCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO;
  info.pApplicationInfo = &application;
  VkResult vr = createInstance(&info, nullptr, &result->instance_);
  if (vr == VK_ERROR_INCOMPATIBLE_DRIVER)
    return makeStatus(INGOT_STATUS_UNAVAILABLE,
                      "no Vulkan physical device (no Vulkan driver is "
                      "installed: vkCreateInstance returned %s)",
                      resultName(vr));
  if (vr != VK_SUCCESS)
    return makeStatus(INGOT_STATUS_UNAVAILABLE,
                      "Vulkan is not available: vkCreateInstance failed: %s",
                      resultName(vr));
#define INGOT_VK_LOAD(name)                                                    \
  result->name = reinterpret_cast<PFN_##name>(                                 \
      getInstanceProcAddr(result->instance_, #name));                          \
  if (!result->name)                                                           \
    return makeStatus(INGOT_STATUS_UNAVAILABLE,                                \
                      "Vulkan is not available: the loader has no " #name);
  INGOT_VK_INSTANCE_FUNCTIONS(INGOT_VK_LOAD)
#undef INGOT_VK_LOAD

  uint32_t count = 0;
  vr = result->vkEnumeratePhysicalDevices(result->instance_, &count, nullptr);
  if (vr == VK_SUCCESS && count) {
    result->physicalDevices_.resize(count);
    vr = result->vkEnumeratePhysicalDevices(result->instance_, &count,
                                            result->physicalDevices_.data());
    result->physicalDevices_.resize(count);
  }
  if (vr != VK_SUCCESS && vr != VK_INCOMPLETE)
    return makeStatus(INGOT_STATUS_UNAVAILABLE,
                      "no Vulkan physical device (vkEnumeratePhysicalDevices "
                      "failed: %s)",
                      resultName(vr));
  out = std::move(result);
  return nullptr;
}

//===----------------------------------------------------------------------===//
// PhysicalDeviceInfo
//===----------------------------------------------------------------------===//

PhysicalDeviceInfo queryPhysicalDevice(const VulkanInstance &instance,
                                       uint32_t index) {
  PhysicalDeviceInfo info;
  info.handle = instance.physicalDevices()[index];
  info.index = index;
  instance.vkGetPhysicalDeviceProperties(info.handle, &info.properties);
  info.apiVersion = std::min(instance.apiVersion(), info.properties.apiVersion);

  uint32_t count = 0;
  instance.vkEnumerateDeviceExtensionProperties(info.handle, nullptr, &count,
                                                nullptr);
  std::vector<VkExtensionProperties> extensions(count);
  if (count)
    instance.vkEnumerateDeviceExtensionProperties(info.handle, nullptr, &count,
                                                  extensions.data());
  for (uint32_t i = 0; i < count; ++i)
    info.extensions.push_back(extensions[i].extensionName);

  uint32_t familyCount = 0;
  instance.vkGetPhysicalDeviceQueueFamilyProperties(info.handle, &familyCount,
                                                    nullptr);
  std::vector<VkQueueFamilyProperties> families(familyCount);
  instance.vkGetPhysicalDeviceQueueFamilyProperties(info.handle, &familyCount,
                                                    families.data());
  // Prefer a compute-only queue family (async compute), else any with
  // compute.
  for (uint32_t i = 0; i < familyCount; ++i) {
    if (!(families[i].queueFlags & VK_QUEUE_COMPUTE_BIT) ||
        !families[i].queueCount)
      continue;
    bool computeOnly = !(families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT);
    if (info.computeQueueFamily < 0 || computeOnly)
      info.computeQueueFamily = static_cast<int32_t>(i);
    if (computeOnly)
      break;
  }

  if (info.apiVersion < VK_API_VERSION_1_1)
    return info;
  // Feature and property chains; structs of Vulkan 1.2 only where the device
  // has 1.2 or the extension that introduced them.
  bool v12 = info.apiVersion >= VK_API_VERSION_1_2;
  info.hasStorage8 = v12 || info.hasExtension("VK_KHR_8bit_storage");
  info.hasFloat16Int8 = v12 || info.hasExtension("VK_KHR_shader_float16_int8");
  VkPhysicalDeviceFeatures2 features{};
  features.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2;
  info.storage16.sType =
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES;
  info.variablePointers.sType =
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VARIABLE_POINTERS_FEATURES;
  info.storage8.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_8BIT_STORAGE_FEATURES;
  info.float16Int8.sType =
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FLOAT16_INT8_FEATURES;
  void **next = &features.pNext;
  auto chain = [&next](auto &features) {
    *next = &features;
    next = &features.pNext;
  };
  chain(info.storage16);
  chain(info.variablePointers);
  if (info.hasStorage8)
    chain(info.storage8);
  if (info.hasFloat16Int8)
    chain(info.float16Int8);
  instance.vkGetPhysicalDeviceFeatures2(info.handle, &features);
  info.features = features.features;
  // Clear the chain pointers: they point into the stack frame.
  info.storage16.pNext = info.variablePointers.pNext = info.storage8.pNext =
      info.float16Int8.pNext = nullptr;

  VkPhysicalDeviceProperties2 properties{};
  properties.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2;
  info.subgroup.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES;
  properties.pNext = &info.subgroup;
  instance.vkGetPhysicalDeviceProperties2(info.handle, &properties);
  info.subgroup.pNext = nullptr;
  return info;
}

bool PhysicalDeviceInfo::hasExtension(const char *name) const {
  return std::find(extensions.begin(), extensions.end(), name) !=
         extensions.end();
}

std::string PhysicalDeviceInfo::name() const {
  return "vulkan://" + std::to_string(index);
}

std::string PhysicalDeviceInfo::description() const {
  const char *type = "other";
  switch (properties.deviceType) {
  case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
    type = "integrated GPU";
    break;
  case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
    type = "discrete GPU";
    break;
  case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
    type = "virtual GPU";
    break;
  case VK_PHYSICAL_DEVICE_TYPE_CPU:
    type = "cpu";
    break;
  default:
    break;
  }
  return std::string(properties.deviceName) + " (Vulkan " +
         formatVersion(properties.apiVersion) + ", " + type + ")";
}

std::string PhysicalDeviceInfo::unsuitableReason() const {
  if (apiVersion < VK_API_VERSION_1_1)
    return "it supports Vulkan " + formatVersion(apiVersion) +
           " but the runtime needs 1.1";
  if (computeQueueFamily < 0)
    return "it has no compute queue";
  return "";
}

//===----------------------------------------------------------------------===//
// VulkanContext
//===----------------------------------------------------------------------===//

VulkanContext::~VulkanContext() {
  if (device_ && vkDestroyDevice)
    vkDestroyDevice(device_, nullptr);
}

ingot_status_t VulkanContext::create(std::shared_ptr<VulkanInstance> instance,
                                     const PhysicalDeviceInfo &physical,
                                     std::shared_ptr<VulkanContext> &out) {
  std::string reason = physical.unsuitableReason();
  if (!reason.empty())
    return makeStatus(INGOT_STATUS_FAILED_PRECONDITION,
                      "%s (%s) cannot run modules: %s", physical.name().c_str(),
                      physical.description().c_str(), reason.c_str());
  std::shared_ptr<VulkanContext> result(new VulkanContext());
  result->instance_ = instance;
  result->physical_ = physical;

  // Enable every feature a module's target may ask for that the device has
  // (checkSpirvTarget refuses modules needing one it lacks).
  PhysicalDeviceInfo enabled = physical;
  VkPhysicalDeviceFeatures2 features{};
  features.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2;
  features.features.shaderInt64 = physical.features.shaderInt64;
  features.features.shaderFloat64 = physical.features.shaderFloat64;
  features.features.shaderInt16 = physical.features.shaderInt16;
  void **next = &features.pNext;
  auto chain = [&next](auto &features) {
    *next = &features;
    next = &features.pNext;
  };
  chain(enabled.storage16);
  chain(enabled.variablePointers);
  if (enabled.hasStorage8)
    chain(enabled.storage8);
  if (enabled.hasFloat16Int8)
    chain(enabled.float16Int8);
  std::vector<const char *> extensions = deviceExtensionsToEnable(physical);

  float priority = 1.0f;
  VkDeviceQueueCreateInfo queueInfo{};
  queueInfo.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
  queueInfo.queueFamilyIndex =
      static_cast<uint32_t>(physical.computeQueueFamily);
  queueInfo.queueCount = 1;
  queueInfo.pQueuePriorities = &priority;
  VkDeviceCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO;
  info.pNext = &features;
  info.queueCreateInfoCount = 1;
  info.pQueueCreateInfos = &queueInfo;
  info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  VkResult vr = instance->vkCreateDevice(physical.handle, &info, nullptr,
                                         &result->device_);
  if (vr != VK_SUCCESS)
    return makeStatus(INGOT_STATUS_UNAVAILABLE,
                      "%s (%s): vkCreateDevice failed: %s",
                      physical.name().c_str(), physical.description().c_str(),
                      resultName(vr));
#define INGOT_VK_LOAD(fn)                                                      \
  result->fn = reinterpret_cast<PFN_##fn>(                                     \
      instance->vkGetDeviceProcAddr(result->device_, #fn));                    \
  if (!result->fn)                                                             \
    return makeStatus(INGOT_STATUS_UNAVAILABLE,                                \
                      "%s: the Vulkan driver has no " #fn,                     \
                      physical.name().c_str());
  INGOT_VK_DEVICE_FUNCTIONS(INGOT_VK_LOAD)
#undef INGOT_VK_LOAD
  result->vkGetDeviceQueue(result->device_, queueInfo.queueFamilyIndex, 0,
                           &result->queue_);

  // Host-visible memory for every buffer; device-local too if offered
  // (unified memory, resizable BAR), coherent preferred.
  VkPhysicalDeviceMemoryProperties memory;
  instance->vkGetPhysicalDeviceMemoryProperties(physical.handle, &memory);
  int best = -1, bestScore = -1;
  for (uint32_t i = 0; i < memory.memoryTypeCount; ++i) {
    VkMemoryPropertyFlags flags = memory.memoryTypes[i].propertyFlags;
    if (!(flags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT))
      continue;
    int score = (flags & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT ? 2 : 0) +
                (flags & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT ? 1 : 0);
    if (score > bestScore) {
      best = static_cast<int>(i);
      bestScore = score;
    }
  }
  if (best < 0)
    return makeStatus(INGOT_STATUS_UNAVAILABLE,
                      "%s (%s) has no host-visible memory",
                      physical.name().c_str(), physical.description().c_str());
  result->memoryType_ = static_cast<uint32_t>(best);
  result->coherent_ = memory.memoryTypes[best].propertyFlags &
                      VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  result->bindingAlignment_ = std::max<VkDeviceSize>(
      physical.properties.limits.minStorageBufferOffsetAlignment, 64);
  out = std::move(result);
  return nullptr;
}

ingot_status_t VulkanContext::error(const char *what, VkResult result) const {
  return makeStatus(result == VK_ERROR_OUT_OF_DEVICE_MEMORY ||
                            result == VK_ERROR_OUT_OF_HOST_MEMORY
                        ? INGOT_STATUS_RESOURCE_EXHAUSTED
                        : INGOT_STATUS_INTERNAL,
                    "%s: %s failed: %s", physical_.name().c_str(), what,
                    resultName(result));
}

ingot_status_t VulkanContext::createHostBuffer(VkDeviceSize size,
                                               HostBuffer &out) {
  HostBuffer buffer;
  buffer.size = std::max<VkDeviceSize>(size, 64);
  VkBufferCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO;
  info.size = buffer.size;
  info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
               VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
               VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  VkResult vr = vkCreateBuffer(device_, &info, nullptr, &buffer.buffer);
  if (vr != VK_SUCCESS)
    return error("vkCreateBuffer", vr);
  VkMemoryRequirements requirements;
  vkGetBufferMemoryRequirements(device_, buffer.buffer, &requirements);
  if (!(requirements.memoryTypeBits & (1u << memoryType_))) {
    destroyHostBuffer(buffer);
    return makeStatus(INGOT_STATUS_UNAVAILABLE,
                      "%s: storage buffers cannot live in host-visible memory",
                      physical_.name().c_str());
  }
  VkMemoryAllocateInfo allocate{};
  allocate.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO;
  allocate.allocationSize = requirements.size;
  allocate.memoryTypeIndex = memoryType_;
  vr = vkAllocateMemory(device_, &allocate, nullptr, &buffer.memory);
  if (vr == VK_SUCCESS)
    vr = vkBindBufferMemory(device_, buffer.buffer, buffer.memory, 0);
  void *mapped = nullptr;
  if (vr == VK_SUCCESS)
    vr = vkMapMemory(device_, buffer.memory, 0, VK_WHOLE_SIZE, 0, &mapped);
  if (vr != VK_SUCCESS) {
    destroyHostBuffer(buffer);
    return makeStatus(
        vr == VK_ERROR_OUT_OF_DEVICE_MEMORY || vr == VK_ERROR_OUT_OF_HOST_MEMORY
            ? INGOT_STATUS_RESOURCE_EXHAUSTED
            : INGOT_STATUS_INTERNAL,
        "%s: cannot allocate a %llu-byte buffer: %s", physical_.name().c_str(),
        (unsigned long long)size, resultName(vr));
  }
  buffer.mapped = static_cast<uint8_t *>(mapped);
  out = buffer;
  return nullptr;
}

void VulkanContext::destroyHostBuffer(HostBuffer &buffer) {
  if (buffer.mapped)
    vkUnmapMemory(device_, buffer.memory);
  if (buffer.buffer)
    vkDestroyBuffer(device_, buffer.buffer, nullptr);
  if (buffer.memory)
    vkFreeMemory(device_, buffer.memory, nullptr);
  buffer = HostBuffer();
}

ingot_status_t VulkanContext::flush(const HostBuffer &buffer) {
  if (coherent_)
    return nullptr;
  VkMappedMemoryRange range{};
  range.sType = VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE;
  range.memory = buffer.memory;
  range.offset = 0;
  range.size = VK_WHOLE_SIZE;
  VkResult vr = vkFlushMappedMemoryRanges(device_, 1, &range);
  return vr == VK_SUCCESS ? nullptr : error("vkFlushMappedMemoryRanges", vr);
}

ingot_status_t VulkanContext::invalidate(const HostBuffer &buffer) {
  if (coherent_)
    return nullptr;
  VkMappedMemoryRange range{};
  range.sType = VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE;
  range.memory = buffer.memory;
  range.offset = 0;
  range.size = VK_WHOLE_SIZE;
  VkResult vr = vkInvalidateMappedMemoryRanges(device_, 1, &range);
  return vr == VK_SUCCESS ? nullptr
                          : error("vkInvalidateMappedMemoryRanges", vr);
}

} // namespace ingot::runtime::vulkan
