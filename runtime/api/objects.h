//===- objects.h - Definitions of the C API's opaque objects ----*- C++ -*-===//
//
// The structs behind the C API handles, shared by the API implementation and
// the devices. Reference counts start at one.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_API_OBJECTS_H
#define INGOT_RUNTIME_API_OBJECTS_H

#include "runtime/device/cpu_executable.h"
#include "runtime/device/device.h"
#include "runtime/module/module.h"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

/// Process-wide runtime state.
struct ingot_instance_s {
  std::atomic<int32_t> refs{1};
};

/// A device plus the instance it came from.
struct ingot_device_s {
  std::atomic<int32_t> refs{1};
  ingot_instance_t *instance = nullptr;
  std::unique_ptr<ingot::runtime::Device> impl;
};

/// A loaded module and the per-device state loaded from it on demand.
struct ingot_module_s {
  std::atomic<int32_t> refs{1};
  ingot_instance_t *instance = nullptr;
  std::unique_ptr<ingot::runtime::ModuleImage> image;
  /// Indices of the exported functions: every function but size variants.
  std::vector<uint32_t> exported;
  /// For every function: the index of the function listing it as a size
  /// variant, or -1.
  std::vector<int64_t> variantOf;
  /// Guards the lazily loaded executables below.
  std::mutex mutex;
  /// The CpuElf executable, loaded by the first CPU invocation.
  std::unique_ptr<ingot::runtime::CpuExecutable> cpuExecutable;
  /// Per-device state of other devices (Vulkan), keyed by Device::id().
  std::map<uint64_t, std::unique_ptr<ingot::runtime::DeviceModuleState>>
      deviceStates;
};

/// An exported function and its decoded signature.
struct ingot_function_s {
  std::atomic<int32_t> refs{1};
  ingot_module_t *module = nullptr;
  const ingot::schema::Function *function = nullptr;
  std::vector<ingot_parameter_t> inputs;
  /// The caller-visible outputs (check outputs left out).
  std::vector<ingot_parameter_t> outputs;
  /// Size variants (Function.variants), in order; they share this object's
  /// reference to the module.
  std::vector<std::unique_ptr<ingot_function_s>> variants;
  /// Index in the schema's `outputs` of each caller-visible output.
  std::vector<uint32_t> outputSlots;
  /// Index in the schema's `outputs` of each check output, whose message is
  /// `Parameter.check_message` (see docs/design/module-format.md).
  std::vector<uint32_t> checkSlots;
};

/// A dense host tensor, owning or wrapping its data.
struct ingot_tensor_s {
  std::atomic<int32_t> refs{1};
  ingot_element_type_t elementType = INGOT_ELEMENT_TYPE_F32;
  std::vector<int64_t> dims;
  size_t elementCount = 0;
  size_t byteSize = 0;
  void *data = nullptr;
  ingot::runtime::AlignedStorage storage;
  ingot_tensor_release_fn_t releaseFn = nullptr;
  void *releaseUserData = nullptr;
};

#endif // INGOT_RUNTIME_API_OBJECTS_H
