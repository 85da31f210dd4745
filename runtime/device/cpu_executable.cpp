//===- cpu_executable.cpp - Loading CpuElf executables ----------*- C++ -*-===//

#include "runtime/device/cpu_executable.h"

#include <cerrno>
#include <cstring>
#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace ingot::runtime {

CpuExecutable::~CpuExecutable() {
  if (handle_)
    dlclose(handle_);
  if (fd_ >= 0)
    close(fd_);
}

/// Writes all `size` bytes of `data` to `fd`.
static bool writeAll(int fd, const uint8_t *data, size_t size) {
  while (size > 0) {
    ssize_t written = write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

ingot_status_t CpuExecutable::load(const ModuleImage &image,
                                   std::unique_ptr<CpuExecutable> &out) {
  const schema::Module *module = image.schema();
  const schema::Executable *executable = nullptr;
  std::string formats;
  for (uint32_t i = 0;
       module->executables() && i < module->executables()->size(); ++i) {
    const schema::Executable *candidate = module->executables()->Get(i);
    if (candidate->format() == schema::ExecutableFormat::CpuElf) {
      executable = candidate;
      break;
    }
    formats += formats.empty() ? "" : ", ";
    formats += schema::EnumNameExecutableFormat(candidate->format());
  }
  if (!executable)
    return makeStatus(INGOT_STATUS_FAILED_PRECONDITION,
                      "%s: the module has no CpuElf executable for the cpu "
                      "device; compile with --target=cpu (it has: %s)",
                      image.name().c_str(),
                      formats.empty() ? "none" : formats.c_str());

  int fd = memfd_create("ingot-executable", MFD_CLOEXEC);
  if (fd < 0)
    return makeStatus(INGOT_STATUS_UNAVAILABLE, "%s: memfd_create failed: %s",
                      image.name().c_str(), std::strerror(errno));
  const schema::Segment *segment = executable->data();
  if (!writeAll(fd, image.segmentData(segment), segment->size())) {
    int error = errno;
    close(fd);
    return makeStatus(INGOT_STATUS_UNAVAILABLE,
                      "%s: cannot write the CpuElf executable to a memfd: %s",
                      image.name().c_str(), std::strerror(error));
  }
  // The dynamic loader identifies libraries by path: if /proc/self/fd/N still
  // names a library that was never unloaded (one linked with -z nodelete),
  // dlopen would return that library. Move to another fd number until the
  // path names nothing loaded.
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  std::vector<int> taken;
  while (void *stale = dlopen(path.c_str(), RTLD_LAZY | RTLD_NOLOAD)) {
    dlclose(stale);
    int copy = taken.size() < 64 ? dup(fd) : -1;
    if (copy < 0) {
      close(fd);
      for (int t : taken)
        close(t);
      return makeStatus(INGOT_STATUS_UNAVAILABLE,
                        "%s: no free path to load the CpuElf executable from",
                        image.name().c_str());
    }
    taken.push_back(fd);
    fd = copy;
    path = "/proc/self/fd/" + std::to_string(fd);
  }
  for (int t : taken)
    close(t);
  dlerror();
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *message = dlerror();
    close(fd);
    return makeStatus(INGOT_STATUS_FAILED_PRECONDITION,
                      "%s: cannot load the CpuElf executable (target '%s'): "
                      "%s",
                      image.name().c_str(),
                      executable->target() ? executable->target()->c_str() : "",
                      message ? message : "unknown dlopen error");
  }
  std::unique_ptr<CpuExecutable> result(new CpuExecutable());
  result->handle_ = handle;
  // The memfd stays open while the library is loaded: the dynamic loader
  // identifies libraries by path, so /proc/self/fd/N must not be reused by
  // another executable while this one is loaded.
  result->fd_ = fd;
  const auto *entryPoints = executable->entry_points();
  uint32_t count = entryPoints ? entryPoints->size() : 0;
  for (uint32_t i = 0; i < count; ++i) {
    const schema::EntryPoint *entry = entryPoints->Get(i);
    dlerror();
    void *symbol = dlsym(handle, entry->symbol()->c_str());
    if (!symbol)
      return makeStatus(INGOT_STATUS_NOT_FOUND,
                        "%s: the CpuElf executable has no symbol '%s' "
                        "(kernel %u)",
                        image.name().c_str(), entry->symbol()->c_str(), i);
    result->kernels_.push_back(reinterpret_cast<CpuKernelFn>(symbol));
    const auto *grid = entry->workgroup_count();
    result->workgroupCounts_.push_back(int64_t(grid->Get(0)) * grid->Get(1) *
                                       grid->Get(2));
  }
  out = std::move(result);
  return nullptr;
}

} // namespace ingot::runtime
