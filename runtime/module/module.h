//===- module.h - Loading and verifying .ingot module files -----*- C++ -*-===//
//
// A ModuleImage owns the bytes of one module file (a read-only mmap, or an
// aligned heap copy) after `verifyModule` accepted them. Everything the host
// program interpreter and the devices read from the image has been bounds
// checked, so they index it without further checks.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_MODULE_MODULE_H
#define INGOT_RUNTIME_MODULE_MODULE_H

#include "runtime/base/status.h"
#include "runtime/base/types.h"
#include "runtime/schema/module_generated.h"

#include <cstdint>
#include <memory>
#include <string>

namespace ingot::runtime {

/// The newest module format version this runtime reads: 2 adds size
/// variants (Function.variants) and check outputs (Parameter.check_message).
/// A module with neither is written as version 1, so runtimes that predate
/// them still load it.
constexpr uint32_t kModuleVersion = 2;

/// The oldest module format version this runtime reads.
constexpr uint32_t kMinModuleVersion = 1;

/// The first module format version with check outputs.
constexpr uint32_t kCheckOutputsVersion = 2;

/// Alignment of every segment's file offset.
constexpr uint64_t kSegmentAlignment = 64;

/// Verifies the module file `data[0, size)`: FlatBuffer structure and file
/// identifier, version, and every offset, index and size the runtime will use.
/// `name` (the path) prefixes error messages. Never reads outside the range.
ingot_status_t verifyModule(const uint8_t *data, size_t size,
                            const std::string &name);

/// Returns the byte size of a parameter type with static dims, or false if it
/// has dynamic dims (or overflows). Only valid on verified modules.
bool staticByteSize(const schema::TensorType *type, uint64_t &out);

/// Returns the byte size of one tile of a parameter type: dim 0 = -1 (the
/// batch) counts as `batchTile` rows when `batchTile` > 0; otherwise as
/// staticByteSize. Only valid on verified modules.
bool tileByteSize(const schema::TensorType *type, uint32_t batchTile,
                  uint64_t &out);

/// Whether a parameter of a function with `batchTile` > 0 is batched (its
/// dim 0 is -1).
bool isBatchedParameter(const schema::TensorType *type, uint32_t batchTile);

/// Whether the function has size variants (then it has no host program).
inline bool hasVariants(const schema::Function *function) {
  return function->variants() && function->variants()->size() > 0;
}

/// The verified bytes of one module file.
class ModuleImage {
public:
  ~ModuleImage();
  ModuleImage(const ModuleImage &) = delete;
  ModuleImage &operator=(const ModuleImage &) = delete;

  /// Maps and verifies the file at `path`.
  static ingot_status_t loadFile(const std::string &path,
                                 std::unique_ptr<ModuleImage> &out);

  /// Copies `size` bytes at `data` into aligned storage and verifies them.
  static ingot_status_t loadMemory(const void *data, size_t size,
                                   const std::string &name,
                                   std::unique_ptr<ModuleImage> &out);

  /// Returns the file's bytes.
  const uint8_t *data() const { return data_; }
  /// Returns the file's size in bytes.
  size_t size() const { return size_; }
  /// Returns the path or name the image was loaded from.
  const std::string &name() const { return name_; }
  /// Returns the root table.
  const schema::Module *schema() const { return schema::GetModule(data_); }
  /// Returns the first byte of `segment` inside the file.
  const uint8_t *segmentData(const schema::Segment *segment) const {
    return data_ + segment->offset();
  }

private:
  ModuleImage() = default;

  const uint8_t *data_ = nullptr;
  size_t size_ = 0;
  std::string name_;
  /// Length of the mapping when the image is an mmap (0 otherwise).
  size_t mappedSize_ = 0;
  AlignedStorage heap_;
};

} // namespace ingot::runtime

#endif // INGOT_RUNTIME_MODULE_MODULE_H
