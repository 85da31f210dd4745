//===- cpu_executable.h - Loading CpuElf executables ------------*- C++ -*-===//
//
// Loads a module's CpuElf executable: the segment is copied into a memfd and
// dlopen'ed through /proc/self/fd, then every entry point is resolved (see
// docs/design/executable-abi.md).
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_DEVICE_CPU_EXECUTABLE_H
#define INGOT_RUNTIME_DEVICE_CPU_EXECUTABLE_H

#include "runtime/module/module.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace ingot::runtime {

/// A kernel of a CpuElf executable (docs/design/executable-abi.md).
using CpuKernelFn = void (*)(void *const *bindings,
                             const int64_t *pushConstants, int64_t workgroupId);

/// A dlopen'ed CpuElf executable with its resolved entry points.
class CpuExecutable {
public:
  ~CpuExecutable();
  CpuExecutable(const CpuExecutable &) = delete;
  CpuExecutable &operator=(const CpuExecutable &) = delete;

  /// Loads the first CpuElf executable of `image`. Fails if there is none, if
  /// the dynamic loader rejects it, or if a symbol is missing.
  static ingot_status_t load(const ModuleImage &image,
                             std::unique_ptr<CpuExecutable> &out);

  /// Returns the entry point of kernel `index`.
  CpuKernelFn kernel(uint32_t index) const { return kernels_[index]; }

  /// Returns the number of workgroups (x * y * z) of kernel `index`.
  int64_t workgroupCount(uint32_t index) const {
    return workgroupCounts_[index];
  }

private:
  CpuExecutable() = default;

  void *handle_ = nullptr;
  /// The memfd holding the library, open until after dlclose.
  int fd_ = -1;
  std::vector<CpuKernelFn> kernels_;
  std::vector<int64_t> workgroupCounts_;
};

} // namespace ingot::runtime

#endif // INGOT_RUNTIME_DEVICE_CPU_EXECUTABLE_H
