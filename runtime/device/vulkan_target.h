//===- vulkan_target.h - SPIR-V target env vs a Vulkan device ---*- C++ -*-===//
//
// Maps what a SpirV executable's target environment (schema::SpirvTarget)
// declares, SPIR-V capabilities and extensions, SPIR-V and Vulkan versions,
// workgroup size, to Vulkan features, device extensions and limits, and
// checks them against a physical device (docs/design/executable-abi.md).
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_DEVICE_VULKAN_TARGET_H
#define INGOT_RUNTIME_DEVICE_VULKAN_TARGET_H

#include "runtime/device/vulkan_context.h"
#include "runtime/schema/module_generated.h"

#include <string>
#include <vector>

namespace ingot::runtime::vulkan {

/// Checks that `physical` supports everything `target` needs. The error
/// (INGOT_STATUS_FAILED_PRECONDITION) starts with `what` (the module) and
/// names the first missing requirement and the device.
ingot_status_t checkSpirvTarget(const schema::SpirvTarget *target,
                                const PhysicalDeviceInfo &physical,
                                const std::string &what);

/// Returns the device extensions behind SPIR-V extensions the runtime knows
/// that `physical` offers and its API version does not include: the device
/// is created with them enabled.
std::vector<const char *>
deviceExtensionsToEnable(const PhysicalDeviceInfo &physical);

} // namespace ingot::runtime::vulkan

#endif // INGOT_RUNTIME_DEVICE_VULKAN_TARGET_H
