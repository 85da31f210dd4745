//===- device.h - Device interface of the runtime ---------------*- C++ -*-===//
//
// A Device runs a function's host program: given the caller's (validated)
// input tensors and freshly allocated output tensors, it binds the buffers and
// executes the commands. The CPU device is the only implementation today; a
// Vulkan device would implement the same interface.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_DEVICE_DEVICE_H
#define INGOT_RUNTIME_DEVICE_DEVICE_H

#include "runtime/base/status.h"
#include "runtime/schema/module_generated.h"

#include <cstdint>
#include <memory>

namespace ingot::runtime {

/// A device that can run host programs.
class Device {
public:
  virtual ~Device() = default;

  /// Returns the device name ("cpu").
  virtual const char *name() const = 0;

  /// Returns the number of threads workgroups run on.
  virtual uint32_t threadCount() const = 0;

  /// Runs the host program of `function` (a function of `module`). `inputs`
  /// match the signature; `outputs` are allocated with the output shapes.
  virtual ingot_status_t run(ingot_module_t *module,
                             const schema::Function *function,
                             ingot_tensor_t *const *inputs,
                             ingot_tensor_t *const *outputs) = 0;
};

/// Creates the CPU device with `threadCount` threads (0: one per core).
std::unique_ptr<Device> createCpuDevice(uint32_t threadCount);

} // namespace ingot::runtime

#endif // INGOT_RUNTIME_DEVICE_DEVICE_H
