//===- device.h - Device interface of the runtime ---------------*- C++ -*-===//
//
// A Device runs a function's host program: given the caller's (validated)
// input tensors and freshly allocated output tensors, it binds the buffers and
// executes the commands. Implementations: the CPU device (CpuElf
// executables) and the Vulkan device (SpirV executables).
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_DEVICE_DEVICE_H
#define INGOT_RUNTIME_DEVICE_DEVICE_H

#include "runtime/base/status.h"
#include "runtime/schema/module_generated.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ingot::runtime {

/// State a device keeps per loaded module (pipelines, uploaded constants).
/// The module owns it (ingot_module_s::deviceStates) and frees it with
/// itself; a state must keep alive whatever device resources it uses.
class DeviceModuleState {
public:
  virtual ~DeviceModuleState() = default;
};

/// One device the runtime can create, as listed by
/// ingot_instance_list_devices.
struct DeviceInfo {
  /// Name for ingot_device_create, or the kind when none is available.
  std::string name;
  /// What the device is, or why the kind is unavailable.
  std::string description;
  bool available = false;
};

/// A device that can run host programs.
class Device {
public:
  virtual ~Device() = default;

  /// Returns the device name ("cpu", "vulkan://0").
  virtual const char *name() const = 0;

  /// Returns the number of host threads workgroups run on (0 when the
  /// device is not the host CPU).
  virtual uint32_t threadCount() const = 0;

  /// Returns an id no other device of the process has: the key of this
  /// device's DeviceModuleState in each module.
  uint64_t id() const { return id_; }

  /// Runs the host program of `function` (a function of `module`). `inputs`
  /// match the signature; `outputs` are allocated with the output shapes.
  virtual ingot_status_t run(ingot_module_t *module,
                             const schema::Function *function,
                             ingot_tensor_t *const *inputs,
                             ingot_tensor_t *const *outputs) = 0;

private:
  static inline std::atomic<uint64_t> nextId_{1};
  const uint64_t id_ = nextId_.fetch_add(1, std::memory_order_relaxed);
};

/// Returns the number of cores the process may run on (at least 1).
uint32_t defaultCpuThreadCount();

/// Creates the CPU device with `threadCount` threads (0: one per core).
std::unique_ptr<Device> createCpuDevice(uint32_t threadCount);

/// Creates the Vulkan device `name`: "vulkan" (the first suitable physical
/// device) or "vulkan://N". Fails with a clear status when there is no
/// Vulkan loader, no physical device or no device N.
ingot_status_t createVulkanDevice(const std::string &name,
                                  std::unique_ptr<Device> &out);

/// Appends the Vulkan physical devices to `out`, or one unavailable "vulkan"
/// entry saying why there is none.
void listVulkanDevices(std::vector<DeviceInfo> &out);

} // namespace ingot::runtime

#endif // INGOT_RUNTIME_DEVICE_DEVICE_H
