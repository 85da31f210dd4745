//===- vulkan_target.cpp - SPIR-V target env vs a Vulkan device -*- C++ -*-===//

#include "runtime/device/vulkan_target.h"

#include <cstring>

namespace ingot::runtime::vulkan {

namespace {

/// A SPIR-V capability and the device support it needs.
struct CapabilityRequirement {
  const char *capability;
  /// The Vulkan feature (or property) it maps to, for messages.
  const char *feature;
  bool (*supported)(const PhysicalDeviceInfo &);
};

/// True if the device runs subgroup operations `bits` in compute shaders.
bool subgroupSupports(const PhysicalDeviceInfo &d,
                      VkSubgroupFeatureFlags bits) {
  return (d.subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) &&
         (d.subgroup.supportedOperations & bits) == bits;
}

const CapabilityRequirement kCapabilities[] = {
    {"Shader", "Vulkan", [](const PhysicalDeviceInfo &) { return true; }},
    {"Int64", "shaderInt64",
     [](const PhysicalDeviceInfo &d) { return bool(d.features.shaderInt64); }},
    {"Float64", "shaderFloat64",
     [](const PhysicalDeviceInfo &d) {
       return bool(d.features.shaderFloat64);
     }},
    {"Int16", "shaderInt16",
     [](const PhysicalDeviceInfo &d) { return bool(d.features.shaderInt16); }},
    {"Int8", "shaderInt8 (VkPhysicalDeviceShaderFloat16Int8Features)",
     [](const PhysicalDeviceInfo &d) {
       return d.hasFloat16Int8 && d.float16Int8.shaderInt8;
     }},
    {"Float16", "shaderFloat16 (VkPhysicalDeviceShaderFloat16Int8Features)",
     [](const PhysicalDeviceInfo &d) {
       return d.hasFloat16Int8 && d.float16Int8.shaderFloat16;
     }},
    {"StorageBuffer16BitAccess", "storageBuffer16BitAccess",
     [](const PhysicalDeviceInfo &d) {
       return bool(d.storage16.storageBuffer16BitAccess);
     }},
    {"UniformAndStorageBuffer16BitAccess", "uniformAndStorageBuffer16BitAccess",
     [](const PhysicalDeviceInfo &d) {
       return bool(d.storage16.uniformAndStorageBuffer16BitAccess);
     }},
    {"StoragePushConstant16", "storagePushConstant16",
     [](const PhysicalDeviceInfo &d) {
       return bool(d.storage16.storagePushConstant16);
     }},
    {"StorageBuffer8BitAccess", "storageBuffer8BitAccess",
     [](const PhysicalDeviceInfo &d) {
       return d.hasStorage8 && d.storage8.storageBuffer8BitAccess;
     }},
    {"UniformAndStorageBuffer8BitAccess", "uniformAndStorageBuffer8BitAccess",
     [](const PhysicalDeviceInfo &d) {
       return d.hasStorage8 && d.storage8.uniformAndStorageBuffer8BitAccess;
     }},
    {"StoragePushConstant8", "storagePushConstant8",
     [](const PhysicalDeviceInfo &d) {
       return d.hasStorage8 && d.storage8.storagePushConstant8;
     }},
    {"VariablePointersStorageBuffer", "variablePointersStorageBuffer",
     [](const PhysicalDeviceInfo &d) {
       return bool(d.variablePointers.variablePointersStorageBuffer);
     }},
    {"VariablePointers", "variablePointers",
     [](const PhysicalDeviceInfo &d) {
       return bool(d.variablePointers.variablePointers);
     }},
    {"GroupNonUniform", "subgroup operations (basic) in compute shaders",
     [](const PhysicalDeviceInfo &d) {
       return subgroupSupports(d, VK_SUBGROUP_FEATURE_BASIC_BIT);
     }},
    {"GroupNonUniformVote", "subgroup vote operations",
     [](const PhysicalDeviceInfo &d) {
       return subgroupSupports(d, VK_SUBGROUP_FEATURE_VOTE_BIT);
     }},
    {"GroupNonUniformArithmetic", "subgroup arithmetic operations",
     [](const PhysicalDeviceInfo &d) {
       return subgroupSupports(d, VK_SUBGROUP_FEATURE_ARITHMETIC_BIT);
     }},
    {"GroupNonUniformBallot", "subgroup ballot operations",
     [](const PhysicalDeviceInfo &d) {
       return subgroupSupports(d, VK_SUBGROUP_FEATURE_BALLOT_BIT);
     }},
    {"GroupNonUniformShuffle", "subgroup shuffle operations",
     [](const PhysicalDeviceInfo &d) {
       return subgroupSupports(d, VK_SUBGROUP_FEATURE_SHUFFLE_BIT);
     }},
    {"GroupNonUniformShuffleRelative", "subgroup relative shuffle operations",
     [](const PhysicalDeviceInfo &d) {
       return subgroupSupports(d, VK_SUBGROUP_FEATURE_SHUFFLE_RELATIVE_BIT);
     }},
    {"GroupNonUniformClustered", "subgroup clustered operations",
     [](const PhysicalDeviceInfo &d) {
       return subgroupSupports(d, VK_SUBGROUP_FEATURE_CLUSTERED_BIT);
     }},
    {"GroupNonUniformQuad", "subgroup quad operations",
     [](const PhysicalDeviceInfo &d) {
       return subgroupSupports(d, VK_SUBGROUP_FEATURE_QUAD_BIT);
     }},
};

/// A SPIR-V extension, the device extension providing it and the Vulkan
/// version that made it core (0: never).
struct ExtensionRequirement {
  const char *spirv;
  const char *device;
  uint32_t core;
};

const ExtensionRequirement kExtensions[] = {
    {"SPV_KHR_storage_buffer_storage_class",
     "VK_KHR_storage_buffer_storage_class", VK_API_VERSION_1_1},
    {"SPV_KHR_16bit_storage", "VK_KHR_16bit_storage", VK_API_VERSION_1_1},
    {"SPV_KHR_variable_pointers", "VK_KHR_variable_pointers",
     VK_API_VERSION_1_1},
    {"SPV_KHR_8bit_storage", "VK_KHR_8bit_storage", VK_API_VERSION_1_2},
    {"SPV_KHR_float_controls", "VK_KHR_shader_float_controls",
     VK_API_VERSION_1_2},
    {"SPV_KHR_vulkan_memory_model", "VK_KHR_vulkan_memory_model",
     VK_API_VERSION_1_2},
    {"SPV_KHR_physical_storage_buffer", "VK_KHR_buffer_device_address",
     VK_API_VERSION_1_2},
    {"SPV_KHR_non_semantic_info", "VK_KHR_shader_non_semantic_info",
     VK_API_VERSION_1_3},
    {"SPV_KHR_integer_dot_product", "VK_KHR_shader_integer_dot_product",
     VK_API_VERSION_1_3},
    {"SPV_KHR_cooperative_matrix", "VK_KHR_cooperative_matrix", 0},
    {"SPV_NV_cooperative_matrix", "VK_NV_cooperative_matrix", 0},
    {"SPV_EXT_shader_atomic_float_add", "VK_EXT_shader_atomic_float", 0},
};

/// Device extensions the runtime enables for the features it queries.
const ExtensionRequirement kFeatureExtensions[] = {
    {nullptr, "VK_KHR_8bit_storage", VK_API_VERSION_1_2},
    {nullptr, "VK_KHR_shader_float16_int8", VK_API_VERSION_1_2},
    {nullptr, "VK_KHR_spirv_1_4", VK_API_VERSION_1_2},
};

/// Major.minor of `version` without the patch level.
uint32_t majorMinor(uint32_t version) {
  return VK_MAKE_API_VERSION(0, VK_API_VERSION_MAJOR(version),
                             VK_API_VERSION_MINOR(version), 0);
}

/// Highest SPIR-V version (header word) Vulkan `api` accepts.
uint32_t maxSpirvVersion(const PhysicalDeviceInfo &d) {
  uint32_t api = majorMinor(d.apiVersion);
  if (api >= VK_API_VERSION_1_3)
    return 0x10600;
  if (api >= VK_API_VERSION_1_2)
    return 0x10500;
  if (d.hasExtension("VK_KHR_spirv_1_4"))
    return 0x10400;
  if (api >= VK_API_VERSION_1_1)
    return 0x10300;
  return 0x10000;
}

std::string formatSpirvVersion(uint32_t word) {
  return std::to_string((word >> 16) & 0xff) + "." +
         std::to_string((word >> 8) & 0xff);
}

} // namespace

ingot_status_t checkSpirvTarget(const schema::SpirvTarget *target,
                                const PhysicalDeviceInfo &physical,
                                const std::string &what) {
  std::string device = physical.name() + " (" + physical.description() + ")";
  std::string targetName = target->name() && target->name()->size()
                               ? "target '" + target->name()->str() + "'"
                               : "its target";
  auto missing = [&](const std::string &need) {
    return makeStatus(INGOT_STATUS_FAILED_PRECONDITION,
                      "%s: the SpirV executable (%s) needs %s, which %s does "
                      "not support",
                      what.c_str(), targetName.c_str(), need.c_str(),
                      device.c_str());
  };
  if (majorMinor(target->vulkan_version()) > majorMinor(physical.apiVersion))
    return missing("Vulkan " + formatVersion(target->vulkan_version()) +
                   " (the device has Vulkan " +
                   formatVersion(physical.apiVersion) + ")");
  if (target->spirv_version() > maxSpirvVersion(physical))
    return missing("SPIR-V " + formatSpirvVersion(target->spirv_version()) +
                   " (the device takes up to SPIR-V " +
                   formatSpirvVersion(maxSpirvVersion(physical)) + ")");
  for (uint32_t i = 0;
       target->capabilities() && i < target->capabilities()->size(); ++i) {
    const char *capability = target->capabilities()->Get(i)->c_str();
    const CapabilityRequirement *requirement = nullptr;
    for (const CapabilityRequirement &candidate : kCapabilities)
      if (std::strcmp(candidate.capability, capability) == 0)
        requirement = &candidate;
    if (!requirement)
      return makeStatus(INGOT_STATUS_UNIMPLEMENTED,
                        "%s: the SpirV executable (%s) declares SPIR-V "
                        "capability '%s', which the Vulkan runtime does not "
                        "know how to check",
                        what.c_str(), targetName.c_str(), capability);
    if (!requirement->supported(physical))
      return missing(std::string("SPIR-V capability '") + capability +
                     "' (Vulkan feature " + requirement->feature + ")");
  }
  for (uint32_t i = 0; target->extensions() && i < target->extensions()->size();
       ++i) {
    const char *extension = target->extensions()->Get(i)->c_str();
    const ExtensionRequirement *requirement = nullptr;
    for (const ExtensionRequirement &candidate : kExtensions)
      if (std::strcmp(candidate.spirv, extension) == 0)
        requirement = &candidate;
    if (!requirement)
      return makeStatus(INGOT_STATUS_UNIMPLEMENTED,
                        "%s: the SpirV executable (%s) declares SPIR-V "
                        "extension '%s', which the Vulkan runtime does not "
                        "know how to check",
                        what.c_str(), targetName.c_str(), extension);
    bool core = requirement->core &&
                majorMinor(physical.apiVersion) >= requirement->core;
    if (!core && !physical.hasExtension(requirement->device))
      return missing(std::string("SPIR-V extension '") + extension +
                     "' (device extension " + requirement->device + ")");
  }
  uint32_t limit = physical.properties.limits.maxComputeWorkGroupInvocations;
  if (target->max_workgroup_invocations() > limit)
    return missing(formatString("workgroups of %u invocations (its "
                                "maxComputeWorkGroupInvocations is %u)",
                                target->max_workgroup_invocations(), limit));
  return nullptr;
}

std::vector<const char *>
deviceExtensionsToEnable(const PhysicalDeviceInfo &physical) {
  std::vector<const char *> result;
  auto add = [&](const ExtensionRequirement &requirement) {
    bool core =
        requirement.core && majorMinor(physical.apiVersion) >= requirement.core;
    if (core || !physical.hasExtension(requirement.device))
      return;
    for (const char *name : result)
      if (std::strcmp(name, requirement.device) == 0)
        return;
    result.push_back(requirement.device);
  };
  for (const ExtensionRequirement &requirement : kExtensions)
    add(requirement);
  for (const ExtensionRequirement &requirement : kFeatureExtensions)
    add(requirement);
  return result;
}

} // namespace ingot::runtime::vulkan
