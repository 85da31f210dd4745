//===- module.cpp - Mapping module files into memory ------------*- C++ -*-===//

#include "runtime/module/module.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ingot::runtime {

ModuleImage::~ModuleImage() {
  if (mappedSize_)
    munmap(const_cast<uint8_t *>(data_), mappedSize_);
}

ingot_status_t ModuleImage::loadFile(const std::string &path,
                                     std::unique_ptr<ModuleImage> &out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return makeStatus(
        errno == ENOENT ? INGOT_STATUS_NOT_FOUND : INGOT_STATUS_UNAVAILABLE,
        "%s: cannot open module file: %s", path.c_str(), std::strerror(errno));
  struct stat info;
  if (fstat(fd, &info) != 0) {
    int error = errno;
    close(fd);
    return makeStatus(INGOT_STATUS_UNAVAILABLE, "%s: cannot stat: %s",
                      path.c_str(), std::strerror(error));
  }
  if (!S_ISREG(info.st_mode)) {
    close(fd);
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT, "%s: not a regular file",
                      path.c_str());
  }
  size_t size = static_cast<size_t>(info.st_size);
  std::unique_ptr<ModuleImage> image(new ModuleImage());
  image->name_ = path;
  if (size == 0) {
    close(fd);
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "%s: not an Ingot module: the file is empty",
                      path.c_str());
  }
  void *mapping = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  int error = errno;
  close(fd);
  if (mapping == MAP_FAILED)
    return makeStatus(INGOT_STATUS_UNAVAILABLE, "%s: cannot map %zu bytes: %s",
                      path.c_str(), size, std::strerror(error));
  image->data_ = static_cast<const uint8_t *>(mapping);
  image->size_ = size;
  image->mappedSize_ = size;
  INGOT_RETURN_IF_ERROR(verifyModule(image->data_, image->size_, path));
  out = std::move(image);
  return nullptr;
}

ingot_status_t ModuleImage::loadMemory(const void *data, size_t size,
                                       const std::string &name,
                                       std::unique_ptr<ModuleImage> &out) {
  if (!data && size)
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT, "%s: module data is NULL",
                      name.c_str());
  std::unique_ptr<ModuleImage> image(new ModuleImage());
  image->name_ = name;
  image->heap_ = alignedAllocate(size, false);
  if (!image->heap_)
    return makeStatus(INGOT_STATUS_RESOURCE_EXHAUSTED,
                      "%s: cannot allocate %zu bytes for the module",
                      name.c_str(), size);
  if (size)
    std::memcpy(image->heap_.get(), data, size);
  image->data_ = static_cast<const uint8_t *>(image->heap_.get());
  image->size_ = size;
  INGOT_RETURN_IF_ERROR(verifyModule(image->data_, image->size_, name));
  out = std::move(image);
  return nullptr;
}

} // namespace ingot::runtime
