//===- runtime.cpp - C API objects and tensors ------------------*- C++ -*-===//

#include "runtime/api/objects.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

using namespace ingot::runtime;

namespace {

/// Most threads a device may be created with.
constexpr uint32_t kMaxThreadCount = 1024;

/// A device kind the instance can create: "cpu", or "vulkan" (also
/// "vulkan://N").
struct DeviceKind {
  const char *name;
  /// Creates device `name` (the kind's name or `<kind>://N`).
  ingot_status_t (*create)(const std::string &name,
                           const ingot_device_options_t &options,
                           std::unique_ptr<Device> &out);
  /// Appends the devices of this kind (or why there is none).
  void (*list)(std::vector<DeviceInfo> &out);
};

ingot_status_t createCpu(const std::string &name,
                         const ingot_device_options_t &options,
                         std::unique_ptr<Device> &out) {
  if (name != "cpu")
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "invalid device name '%s': expected 'cpu'", name.c_str());
  out = createCpuDevice(options.thread_count);
  return nullptr;
}

void listCpu(std::vector<DeviceInfo> &out) {
  uint32_t threads = defaultCpuThreadCount();
  out.push_back(
      {"cpu", std::to_string(threads) + (threads == 1 ? " thread" : " threads"),
       true});
}

ingot_status_t createVulkan(const std::string &name,
                            const ingot_device_options_t &,
                            std::unique_ptr<Device> &out) {
  return createVulkanDevice(name, out);
}

const DeviceKind kDeviceKinds[] = {{"cpu", createCpu, listCpu},
                                   {"vulkan", createVulkan, listVulkanDevices}};

/// Copies `text` into the fixed-size `target`, truncating.
template <size_t N> void copyText(char (&target)[N], const std::string &text) {
  size_t length = std::min(text.size(), N - 1);
  std::memcpy(target, text.data(), length);
  target[length] = '\0';
}

template <typename T> void retain(T *object) {
  if (object)
    object->refs.fetch_add(1, std::memory_order_relaxed);
}

/// Drops a reference; returns true if it was the last one.
template <typename T> bool releaseRef(T *object) {
  return object && object->refs.fetch_sub(1, std::memory_order_acq_rel) == 1;
}

ingot_status_t nullArgument(const char *function, const char *argument) {
  return makeStatus(INGOT_STATUS_INVALID_ARGUMENT, "%s: %s must not be NULL",
                    function, argument);
}

/// Fills the public view of a signature parameter.
ingot_parameter_t describe(const ingot::schema::Parameter *param) {
  ingot_parameter_t result;
  result.name = param->name() ? param->name()->c_str() : "";
  result.element_type =
      static_cast<ingot_element_type_t>(param->type()->element_type());
  const auto *dims = param->type()->dims();
  result.rank = dims ? dims->size() : 0;
  result.dims = dims && dims->size() ? dims->data() : nullptr;
  return result;
}

/// Checks a tensor's type and computes its sizes into `tensor`.
ingot_status_t initTensor(ingot_element_type_t elementType, size_t rank,
                          const int64_t *dims, ingot_tensor_t *tensor) {
  if (!isValidElementType(elementType))
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT, "invalid element type %u",
                      unsigned(elementType));
  if (rank > INGOT_MAX_RANK)
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "rank %zu exceeds the maximum of %d", rank,
                      INGOT_MAX_RANK);
  if (rank && !dims)
    return nullArgument("ingot_tensor_create", "dims");
  uint64_t count, bytes;
  if (!elementCount(dims, rank, count) ||
      !checkedMul(count, ingot_element_type_size(elementType), bytes) ||
      bytes > SIZE_MAX / 2)
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "invalid tensor shape %s (negative dim or too large)",
                      formatTensorType(elementType, dims, rank).c_str());
  tensor->elementType = elementType;
  tensor->dims.assign(dims, dims + rank);
  tensor->elementCount = count;
  tensor->byteSize = bytes;
  return nullptr;
}

} // namespace

extern "C" {

//===----------------------------------------------------------------------===//
// Instance
//===----------------------------------------------------------------------===//

void ingot_instance_options_initialize(ingot_instance_options_t *out_options) {
  std::memset(out_options, 0, sizeof(*out_options));
  out_options->api_version = INGOT_API_VERSION;
}

ingot_status_t ingot_instance_create(const ingot_instance_options_t *options,
                                     ingot_instance_t **out_instance) {
  if (!out_instance)
    return nullArgument("ingot_instance_create", "out_instance");
  *out_instance = nullptr;
  if (options && options->api_version != INGOT_API_VERSION)
    return makeStatus(INGOT_STATUS_FAILED_PRECONDITION,
                      "ingot_instance_create: options are for API version %u "
                      "but this runtime implements version %d (call "
                      "ingot_instance_options_initialize)",
                      options->api_version, INGOT_API_VERSION);
  *out_instance = new ingot_instance_s();
  return nullptr;
}

void ingot_instance_retain(ingot_instance_t *instance) { retain(instance); }

void ingot_instance_release(ingot_instance_t *instance) {
  if (releaseRef(instance))
    delete instance;
}

size_t ingot_instance_device_count(const ingot_instance_t *) {
  return sizeof(kDeviceKinds) / sizeof(kDeviceKinds[0]);
}

const char *ingot_instance_device_name(const ingot_instance_t *instance,
                                       size_t index) {
  return index < ingot_instance_device_count(instance)
             ? kDeviceKinds[index].name
             : nullptr;
}

ingot_status_t ingot_instance_list_devices(ingot_instance_t *instance,
                                           size_t capacity,
                                           ingot_device_info_t *out_infos,
                                           size_t *out_count) {
  if (!out_count)
    return nullArgument("ingot_instance_list_devices", "out_count");
  *out_count = 0;
  if (!instance)
    return nullArgument("ingot_instance_list_devices", "instance");
  if (capacity && !out_infos)
    return nullArgument("ingot_instance_list_devices", "out_infos");
  std::vector<DeviceInfo> devices;
  for (const DeviceKind &kind : kDeviceKinds)
    kind.list(devices);
  for (size_t i = 0; i < devices.size() && i < capacity; ++i) {
    copyText(out_infos[i].name, devices[i].name);
    copyText(out_infos[i].description, devices[i].description);
    out_infos[i].available = devices[i].available ? 1 : 0;
  }
  *out_count = devices.size();
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Device
//===----------------------------------------------------------------------===//

void ingot_device_options_initialize(ingot_device_options_t *out_options) {
  std::memset(out_options, 0, sizeof(*out_options));
}

ingot_status_t ingot_device_create(ingot_instance_t *instance, const char *name,
                                   const ingot_device_options_t *options,
                                   ingot_device_t **out_device) {
  if (!out_device)
    return nullArgument("ingot_device_create", "out_device");
  *out_device = nullptr;
  if (!instance)
    return nullArgument("ingot_device_create", "instance");
  if (!name)
    return nullArgument("ingot_device_create", "name");
  ingot_device_options_t defaults;
  ingot_device_options_initialize(&defaults);
  if (!options)
    options = &defaults;
  if (options->thread_count > kMaxThreadCount)
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "thread count %u exceeds the maximum of %u",
                      options->thread_count, kMaxThreadCount);
  const DeviceKind *kind = nullptr;
  std::string available;
  for (const DeviceKind &candidate : kDeviceKinds) {
    size_t length = std::strlen(candidate.name);
    if (std::strncmp(candidate.name, name, length) == 0 &&
        (name[length] == '\0' || std::strncmp(name + length, "://", 3) == 0))
      kind = &candidate;
    available += available.empty() ? "" : ", ";
    available += candidate.name;
  }
  if (!kind)
    return makeStatus(INGOT_STATUS_NOT_FOUND,
                      "unknown device '%s'; device kinds: %s (see "
                      "--list_devices)",
                      name, available.c_str());
  std::unique_ptr<Device> impl;
  INGOT_RETURN_IF_ERROR(kind->create(name, *options, impl));
  auto *device = new ingot_device_s();
  device->impl = std::move(impl);
  device->instance = instance;
  ingot_instance_retain(instance);
  *out_device = device;
  return nullptr;
}

void ingot_device_retain(ingot_device_t *device) { retain(device); }

void ingot_device_release(ingot_device_t *device) {
  if (!releaseRef(device))
    return;
  ingot_instance_t *instance = device->instance;
  delete device;
  ingot_instance_release(instance);
}

const char *ingot_device_name(const ingot_device_t *device) {
  return device->impl->name();
}

uint32_t ingot_device_thread_count(const ingot_device_t *device) {
  return device->impl->threadCount();
}

//===----------------------------------------------------------------------===//
// Module
//===----------------------------------------------------------------------===//

static ingot_status_t wrapModule(ingot_instance_t *instance,
                                 std::unique_ptr<ModuleImage> image,
                                 ingot_module_t **out_module) {
  auto *module = new ingot_module_s();
  module->image = std::move(image);
  module->instance = instance;
  // Size variants are reached through their function only.
  const auto *functions = module->image->schema()->functions();
  uint32_t count = functions ? functions->size() : 0;
  module->variantOf.assign(count, -1);
  for (uint32_t f = 0; f < count; ++f)
    if (const auto *variants = functions->Get(f)->variants())
      for (uint32_t v : *variants)
        module->variantOf[v] = f;
  for (uint32_t f = 0; f < count; ++f)
    if (module->variantOf[f] < 0)
      module->exported.push_back(f);
  ingot_instance_retain(instance);
  *out_module = module;
  return nullptr;
}

ingot_status_t ingot_module_load_file(ingot_instance_t *instance,
                                      const char *path,
                                      ingot_module_t **out_module) {
  if (!out_module)
    return nullArgument("ingot_module_load_file", "out_module");
  *out_module = nullptr;
  if (!instance)
    return nullArgument("ingot_module_load_file", "instance");
  if (!path)
    return nullArgument("ingot_module_load_file", "path");
  std::unique_ptr<ModuleImage> image;
  INGOT_RETURN_IF_ERROR(ModuleImage::loadFile(path, image));
  return wrapModule(instance, std::move(image), out_module);
}

ingot_status_t ingot_module_load_memory(ingot_instance_t *instance,
                                        const void *data, size_t size,
                                        const char *name,
                                        ingot_module_t **out_module) {
  if (!out_module)
    return nullArgument("ingot_module_load_memory", "out_module");
  *out_module = nullptr;
  if (!instance)
    return nullArgument("ingot_module_load_memory", "instance");
  std::unique_ptr<ModuleImage> image;
  INGOT_RETURN_IF_ERROR(
      ModuleImage::loadMemory(data, size, name ? name : "<memory>", image));
  return wrapModule(instance, std::move(image), out_module);
}

void ingot_module_retain(ingot_module_t *module) { retain(module); }

void ingot_module_release(ingot_module_t *module) {
  if (!releaseRef(module))
    return;
  ingot_instance_t *instance = module->instance;
  delete module;
  ingot_instance_release(instance);
}

const char *ingot_module_name(const ingot_module_t *module) {
  const auto *name = module->image->schema()->name();
  return name ? name->c_str() : "";
}

size_t ingot_module_function_count(const ingot_module_t *module) {
  return module->exported.size();
}

const char *ingot_module_function_name(const ingot_module_t *module,
                                       size_t index) {
  if (index >= ingot_module_function_count(module))
    return nullptr;
  return module->image->schema()
      ->functions()
      ->Get(module->exported[index])
      ->name()
      ->c_str();
}

/// A new function object for `function` of `module` (not retaining the
/// module), with its size variants.
static std::unique_ptr<ingot_function_s>
makeFunction(ingot_module_t *module, const ingot::schema::Function *function) {
  auto result = std::make_unique<ingot_function_s>();
  result->module = module;
  result->function = function;
  for (uint32_t j = 0; function->inputs() && j < function->inputs()->size();
       ++j)
    result->inputs.push_back(describe(function->inputs()->Get(j)));
  // Check outputs are the runtime's business: the caller never sees them.
  for (uint32_t j = 0; function->outputs() && j < function->outputs()->size();
       ++j) {
    const ingot::schema::Parameter *output = function->outputs()->Get(j);
    if (output->check_message()) {
      result->checkSlots.push_back(j);
      continue;
    }
    result->outputs.push_back(describe(output));
    result->outputSlots.push_back(j);
  }
  const auto *functions = module->image->schema()->functions();
  for (uint32_t v = 0; function->variants() && v < function->variants()->size();
       ++v)
    result->variants.push_back(
        makeFunction(module, functions->Get(function->variants()->Get(v))));
  return result;
}

//===----------------------------------------------------------------------===//
// Function
//===----------------------------------------------------------------------===//

ingot_status_t ingot_module_lookup_function(ingot_module_t *module,
                                            const char *name,
                                            ingot_function_t **out_function) {
  if (!out_function)
    return nullArgument("ingot_module_lookup_function", "out_function");
  *out_function = nullptr;
  if (!module)
    return nullArgument("ingot_module_lookup_function", "module");
  if (!name)
    return nullArgument("ingot_module_lookup_function", "name");
  const auto *functions = module->image->schema()->functions();
  std::string available, hint;
  for (uint32_t i : module->exported) {
    available += available.empty() ? "" : ", ";
    available += functions->Get(i)->name()->str();
  }
  for (uint32_t i = 0; functions && i < functions->size(); ++i) {
    const ingot::schema::Function *function = functions->Get(i);
    if (function->name()->str() != name)
      continue;
    if (module->variantOf[i] >= 0) {
      hint = std::string(" ('") + name + "' is a size variant of '" +
             functions->Get(module->variantOf[i])->name()->str() +
             "', which picks it by the input sizes)";
      break;
    }
    ingot_module_retain(module);
    *out_function = makeFunction(module, function).release();
    return nullptr;
  }
  return makeStatus(INGOT_STATUS_NOT_FOUND,
                    "%s: no function '%s'%s; available functions: %s",
                    module->image->name().c_str(), name, hint.c_str(),
                    available.empty() ? "(none)" : available.c_str());
}

void ingot_function_retain(ingot_function_t *function) { retain(function); }

void ingot_function_release(ingot_function_t *function) {
  if (!releaseRef(function))
    return;
  ingot_module_t *module = function->module;
  delete function;
  ingot_module_release(module);
}

const char *ingot_function_name(const ingot_function_t *function) {
  return function->function->name()->c_str();
}

size_t ingot_function_input_count(const ingot_function_t *function) {
  return function->inputs.size();
}

size_t ingot_function_output_count(const ingot_function_t *function) {
  return function->outputs.size();
}

ingot_status_t ingot_function_input(const ingot_function_t *function,
                                    size_t index,
                                    ingot_parameter_t *out_parameter) {
  if (index >= function->inputs.size())
    return makeStatus(
        INGOT_STATUS_OUT_OF_RANGE, "function '%s' has %zu inputs; no input %zu",
        ingot_function_name(function), function->inputs.size(), index);
  *out_parameter = function->inputs[index];
  return nullptr;
}

ingot_status_t ingot_function_output(const ingot_function_t *function,
                                     size_t index,
                                     ingot_parameter_t *out_parameter) {
  if (index >= function->outputs.size())
    return makeStatus(INGOT_STATUS_OUT_OF_RANGE,
                      "function '%s' has %zu outputs; no output %zu",
                      ingot_function_name(function), function->outputs.size(),
                      index);
  *out_parameter = function->outputs[index];
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

ingot_status_t ingot_tensor_create(ingot_element_type_t element_type,
                                   size_t rank, const int64_t *dims,
                                   const void *data, size_t data_size,
                                   ingot_tensor_t **out_tensor) {
  if (!out_tensor)
    return nullArgument("ingot_tensor_create", "out_tensor");
  *out_tensor = nullptr;
  std::unique_ptr<ingot_tensor_s> tensor(new ingot_tensor_s());
  INGOT_RETURN_IF_ERROR(initTensor(element_type, rank, dims, tensor.get()));
  if (data && data_size != tensor->byteSize)
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "tensor of type %s needs %zu bytes of data but %zu were "
                      "given",
                      formatTensorType(element_type, dims, rank).c_str(),
                      tensor->byteSize, data_size);
  tensor->storage = alignedAllocate(tensor->byteSize, data == nullptr);
  if (!tensor->storage)
    return makeStatus(INGOT_STATUS_RESOURCE_EXHAUSTED,
                      "cannot allocate %zu bytes for a %s tensor",
                      tensor->byteSize,
                      formatTensorType(element_type, dims, rank).c_str());
  tensor->data = tensor->storage.get();
  if (data && tensor->byteSize)
    std::memcpy(tensor->data, data, tensor->byteSize);
  *out_tensor = tensor.release();
  return nullptr;
}

ingot_status_t ingot_tensor_wrap(ingot_element_type_t element_type, size_t rank,
                                 const int64_t *dims, void *data,
                                 size_t data_size,
                                 ingot_tensor_release_fn_t release_fn,
                                 void *user_data, ingot_tensor_t **out_tensor) {
  if (!out_tensor)
    return nullArgument("ingot_tensor_wrap", "out_tensor");
  *out_tensor = nullptr;
  std::unique_ptr<ingot_tensor_s> tensor(new ingot_tensor_s());
  INGOT_RETURN_IF_ERROR(initTensor(element_type, rank, dims, tensor.get()));
  if (!data && tensor->byteSize)
    return nullArgument("ingot_tensor_wrap", "data");
  if (data_size != tensor->byteSize)
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "tensor of type %s needs %zu bytes of data but %zu were "
                      "given",
                      formatTensorType(element_type, dims, rank).c_str(),
                      tensor->byteSize, data_size);
  tensor->data = data;
  tensor->releaseFn = release_fn;
  tensor->releaseUserData = user_data;
  *out_tensor = tensor.release();
  return nullptr;
}

void ingot_tensor_retain(ingot_tensor_t *tensor) { retain(tensor); }

void ingot_tensor_release(ingot_tensor_t *tensor) {
  if (!releaseRef(tensor))
    return;
  if (tensor->releaseFn)
    tensor->releaseFn(tensor->releaseUserData, tensor->data);
  delete tensor;
}

ingot_element_type_t ingot_tensor_element_type(const ingot_tensor_t *tensor) {
  return tensor->elementType;
}

size_t ingot_tensor_rank(const ingot_tensor_t *tensor) {
  return tensor->dims.size();
}

const int64_t *ingot_tensor_dims(const ingot_tensor_t *tensor) {
  return tensor->dims.data();
}

int64_t ingot_tensor_dim(const ingot_tensor_t *tensor, size_t index) {
  return index < tensor->dims.size() ? tensor->dims[index] : -1;
}

size_t ingot_tensor_element_count(const ingot_tensor_t *tensor) {
  return tensor->elementCount;
}

size_t ingot_tensor_byte_size(const ingot_tensor_t *tensor) {
  return tensor->byteSize;
}

const void *ingot_tensor_data(const ingot_tensor_t *tensor) {
  return tensor->data;
}

void *ingot_tensor_data_mutable(ingot_tensor_t *tensor) { return tensor->data; }

} // extern "C"
