//===- ingot_runtime.h - Ingot runtime C API ----------------------*- C -*-===//
//
// The public C API of the Ingot runtime: load a compiled `.ingot` module, look
// up a function, and invoke it on a device. Conventions (after IREE):
//
//  - Every fallible call returns an `ingot_status_t`. NULL means OK; any other
//    value is an error the caller owns and must free with
//    `ingot_status_free` (or consume with `ingot_status_ignore`).
//  - Names are `ingot_<object>_<verb>`; output parameters (`out_*`) come last.
//  - Objects are reference counted: `*_create`/`*_load_*`/`*_lookup_*` return
//    one reference, `*_retain` adds one, `*_release` drops one.
//  - Options structs are filled with defaults by `*_options_initialize`.
//
// The API is C; the implementation lives in C++ under runtime/ and depends on
// neither LLVM nor MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_INGOT_RUNTIME_H
#define INGOT_RUNTIME_INGOT_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Version of this header's API; `ingot_instance_options_initialize` records
/// it and `ingot_instance_create` refuses options from a different version.
#define INGOT_API_VERSION 1

//===----------------------------------------------------------------------===//
// Status
//===----------------------------------------------------------------------===//

/// Canonical error codes (a subset of absl/IREE's).
typedef enum ingot_status_code_e {
  INGOT_STATUS_OK = 0,
  INGOT_STATUS_INVALID_ARGUMENT = 1,
  INGOT_STATUS_NOT_FOUND = 2,
  INGOT_STATUS_OUT_OF_RANGE = 3,
  INGOT_STATUS_FAILED_PRECONDITION = 4,
  INGOT_STATUS_DATA_LOSS = 5,
  INGOT_STATUS_UNIMPLEMENTED = 6,
  INGOT_STATUS_RESOURCE_EXHAUSTED = 7,
  INGOT_STATUS_UNAVAILABLE = 8,
  INGOT_STATUS_INTERNAL = 9,
} ingot_status_code_t;

/// An error: a code plus a message. NULL is success.
typedef struct ingot_status_s *ingot_status_t;

/// Returns the code of `status` (INGOT_STATUS_OK for NULL).
ingot_status_code_t ingot_status_code(ingot_status_t status);

/// Returns the message of `status` ("OK" for NULL). Valid until freed.
const char *ingot_status_message(ingot_status_t status);

/// Returns the canonical name of `code`, e.g. "INVALID_ARGUMENT".
const char *ingot_status_code_name(ingot_status_code_t code);

/// Frees `status`; NULL is allowed.
void ingot_status_free(ingot_status_t status);

/// Creates a status (for callbacks and tools built on the API). Returns NULL
/// for INGOT_STATUS_OK.
ingot_status_t ingot_status_create(ingot_status_code_t code,
                                   const char *message);

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

/// Tensor element types; the values match the module schema's ElementType.
typedef enum ingot_element_type_e {
  INGOT_ELEMENT_TYPE_F32 = 0,
  INGOT_ELEMENT_TYPE_F64 = 1,
  INGOT_ELEMENT_TYPE_F16 = 2,
  INGOT_ELEMENT_TYPE_BF16 = 3,
  INGOT_ELEMENT_TYPE_I8 = 4,
  INGOT_ELEMENT_TYPE_I16 = 5,
  INGOT_ELEMENT_TYPE_I32 = 6,
  INGOT_ELEMENT_TYPE_I64 = 7,
  INGOT_ELEMENT_TYPE_U8 = 8,
  INGOT_ELEMENT_TYPE_U16 = 9,
  INGOT_ELEMENT_TYPE_U32 = 10,
  INGOT_ELEMENT_TYPE_U64 = 11,
  INGOT_ELEMENT_TYPE_I1 = 12,
} ingot_element_type_t;

/// Number of element types (one past the largest value).
#define INGOT_ELEMENT_TYPE_COUNT 13

/// Returns the short name of `type` ("f32", "i1", ...) or NULL if invalid.
const char *ingot_element_type_name(ingot_element_type_t type);

/// Returns the size in bytes of one element of `type` (i1 is one byte), or 0
/// if `type` is invalid.
size_t ingot_element_type_size(ingot_element_type_t type);

/// Parses a short name ("f32", ..., "i1"; "bool" is accepted for i1). Returns
/// 1 on success (writing `out_type`), 0 if the name is unknown.
int ingot_element_type_parse(const char *name, ingot_element_type_t *out_type);

/// Largest tensor rank the runtime accepts.
#define INGOT_MAX_RANK 16

//===----------------------------------------------------------------------===//
// Instance
//===----------------------------------------------------------------------===//

/// Process-wide runtime state: the registry of device kinds.
typedef struct ingot_instance_s ingot_instance_t;

/// Options of `ingot_instance_create`.
typedef struct ingot_instance_options_s {
  /// INGOT_API_VERSION of the header the caller was compiled against.
  uint32_t api_version;
} ingot_instance_options_t;

/// Fills `out_options` with defaults.
void ingot_instance_options_initialize(ingot_instance_options_t *out_options);

/// Creates an instance. `options` may be NULL for defaults.
ingot_status_t ingot_instance_create(const ingot_instance_options_t *options,
                                     ingot_instance_t **out_instance);

/// Adds a reference to `instance`.
void ingot_instance_retain(ingot_instance_t *instance);

/// Drops a reference to `instance`; NULL is allowed.
void ingot_instance_release(ingot_instance_t *instance);

/// Returns the number of device kinds `instance` can create.
size_t ingot_instance_device_count(const ingot_instance_t *instance);

/// Returns the name of device kind `index` ("cpu", "vulkan"), or NULL if out
/// of range.
const char *ingot_instance_device_name(const ingot_instance_t *instance,
                                       size_t index);

/// One device of the machine, as listed by `ingot_instance_list_devices`.
typedef struct ingot_device_info_s {
  /// Name for `ingot_device_create` ("cpu", "vulkan://0"); for a device kind
  /// with no usable device, the kind ("vulkan").
  char name[64];
  /// What the device is ("2 threads", "llvmpipe (LLVM 15.0.6, 256 bits)
  /// (Vulkan 1.3, cpu)"), or why it or its kind cannot be used.
  char description[448];
  /// 1 if `ingot_device_create` can create it, 0 if not (see description).
  int32_t available;
} ingot_device_info_t;

/// Lists the devices of the machine: every device kind's devices, or an
/// unavailable entry for a kind that has none (no Vulkan loader or driver).
/// Writes the first `capacity` entries to `out_infos` (NULL is allowed when
/// `capacity` is 0) and the number of entries to `out_count`; call once with
/// capacity 0 to size the array. Probes the machine (loads the Vulkan loader
/// and creates an instance), so it is not cheap.
ingot_status_t ingot_instance_list_devices(ingot_instance_t *instance,
                                           size_t capacity,
                                           ingot_device_info_t *out_infos,
                                           size_t *out_count);

//===----------------------------------------------------------------------===//
// Device
//===----------------------------------------------------------------------===//

/// Something that runs a module's kernels: the host CPU ("cpu", CpuElf
/// executables) or a Vulkan device ("vulkan", "vulkan://N", SpirV
/// executables).
typedef struct ingot_device_s ingot_device_t;

/// Options of `ingot_device_create`.
typedef struct ingot_device_options_s {
  /// CPU device: threads running workgroups (including the calling thread);
  /// 0 means one per available core, 1 runs every workgroup inline on the
  /// caller. Other devices ignore it.
  uint32_t thread_count;
} ingot_device_options_t;

/// Fills `out_options` with defaults.
void ingot_device_options_initialize(ingot_device_options_t *out_options);

/// Creates the device named `name`: "cpu", "vulkan" (the first suitable
/// Vulkan device) or "vulkan://N" (Vulkan physical device N, as listed by
/// `ingot_instance_list_devices`). An unknown name fails with
/// INGOT_STATUS_NOT_FOUND listing the device kinds; a Vulkan device fails
/// with INGOT_STATUS_UNAVAILABLE when there is no Vulkan loader or physical
/// device and INGOT_STATUS_NOT_FOUND when there is no device N. The Vulkan
/// loader is loaded at run time (dlopen), never linked. `options` may be
/// NULL for defaults.
ingot_status_t ingot_device_create(ingot_instance_t *instance, const char *name,
                                   const ingot_device_options_t *options,
                                   ingot_device_t **out_device);

/// Adds a reference to `device`.
void ingot_device_retain(ingot_device_t *device);

/// Drops a reference to `device`; NULL is allowed.
void ingot_device_release(ingot_device_t *device);

/// Returns the device's name ("cpu", "vulkan://0").
const char *ingot_device_name(const ingot_device_t *device);

/// Returns the number of host threads the device runs workgroups on (0 for
/// a Vulkan device).
uint32_t ingot_device_thread_count(const ingot_device_t *device);

//===----------------------------------------------------------------------===//
// Module
//===----------------------------------------------------------------------===//

/// A verified, loaded `.ingot` module.
typedef struct ingot_module_s ingot_module_t;

/// Maps the file at `path` read-only and verifies it completely (structure,
/// version, every offset, index and size). Any defect yields an error whose
/// message starts with the path; the call never crashes on a bad file.
ingot_status_t ingot_module_load_file(ingot_instance_t *instance,
                                      const char *path,
                                      ingot_module_t **out_module);

/// Like `ingot_module_load_file` for `size` bytes at `data`, which are copied
/// (the caller may free them after the call). `name` prefixes error messages
/// and may be NULL ("<memory>").
ingot_status_t ingot_module_load_memory(ingot_instance_t *instance,
                                        const void *data, size_t size,
                                        const char *name,
                                        ingot_module_t **out_module);

/// Adds a reference to `module`.
void ingot_module_retain(ingot_module_t *module);

/// Drops a reference to `module`; NULL is allowed.
void ingot_module_release(ingot_module_t *module);

/// Returns the module's name (may be empty).
const char *ingot_module_name(const ingot_module_t *module);

/// Returns the number of exported functions. Size variants (functions a
/// function lists in its `variants`, picked by the input sizes when it is
/// invoked) are not exported.
size_t ingot_module_function_count(const ingot_module_t *module);

/// Returns the name of function `index`, or NULL if out of range.
const char *ingot_module_function_name(const ingot_module_t *module,
                                       size_t index);

//===----------------------------------------------------------------------===//
// Function
//===----------------------------------------------------------------------===//

/// An exported function of a module; keeps its module alive.
typedef struct ingot_function_s ingot_function_t;

/// One input or output of a function signature. Pointers stay valid while the
/// function is alive.
typedef struct ingot_parameter_s {
  /// Parameter name (never NULL; "" if the module has none).
  const char *name;
  ingot_element_type_t element_type;
  size_t rank;
  /// `rank` dims; -1 marks a dynamic dim.
  const int64_t *dims;
} ingot_parameter_t;

/// Looks up exported function `name`. If absent (or a size variant), fails
/// with INGOT_STATUS_NOT_FOUND listing the functions the module exports.
ingot_status_t ingot_module_lookup_function(ingot_module_t *module,
                                            const char *name,
                                            ingot_function_t **out_function);

/// Adds a reference to `function`.
void ingot_function_retain(ingot_function_t *function);

/// Drops a reference to `function`; NULL is allowed.
void ingot_function_release(ingot_function_t *function);

/// Returns the function's name.
const char *ingot_function_name(const ingot_function_t *function);

/// Returns the number of inputs of the function.
size_t ingot_function_input_count(const ingot_function_t *function);

/// Returns the number of outputs (results) of the function. Check outputs
/// (run-time checks the module computes, see ingot_function_invoke) are not
/// counted: the runtime evaluates them itself.
size_t ingot_function_output_count(const ingot_function_t *function);

/// Describes input `index`; fails with INGOT_STATUS_OUT_OF_RANGE if `index`
/// is not below the input count.
ingot_status_t ingot_function_input(const ingot_function_t *function,
                                    size_t index,
                                    ingot_parameter_t *out_parameter);

/// Describes output `index`; fails with INGOT_STATUS_OUT_OF_RANGE if `index`
/// is not below the output count.
ingot_status_t ingot_function_output(const ingot_function_t *function,
                                     size_t index,
                                     ingot_parameter_t *out_parameter);

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

/// A dense row-major host tensor.
typedef struct ingot_tensor_s ingot_tensor_t;

/// Called when a wrapping tensor is destroyed, to release the wrapped data.
typedef void (*ingot_tensor_release_fn_t)(void *user_data, void *data);

/// Creates a tensor of `rank` dims (all >= 0) and copies its data from
/// `data`, which must hold exactly `data_size` == element count * element size
/// bytes. `data` may be NULL (with any `data_size`) for zero-filled storage.
/// The storage is 64-byte aligned.
ingot_status_t ingot_tensor_create(ingot_element_type_t element_type,
                                   size_t rank, const int64_t *dims,
                                   const void *data, size_t data_size,
                                   ingot_tensor_t **out_tensor);

/// Creates a tensor over caller-owned `data` (`data_size` bytes, exactly the
/// tensor's size) without copying. When the tensor is destroyed `release_fn`
/// (if not NULL) is called with `user_data` and `data`.
ingot_status_t ingot_tensor_wrap(ingot_element_type_t element_type, size_t rank,
                                 const int64_t *dims, void *data,
                                 size_t data_size,
                                 ingot_tensor_release_fn_t release_fn,
                                 void *user_data, ingot_tensor_t **out_tensor);

/// Adds a reference to `tensor`.
void ingot_tensor_retain(ingot_tensor_t *tensor);

/// Drops a reference to `tensor`; NULL is allowed.
void ingot_tensor_release(ingot_tensor_t *tensor);

/// Returns the tensor's element type.
ingot_element_type_t ingot_tensor_element_type(const ingot_tensor_t *tensor);

/// Returns the tensor's rank.
size_t ingot_tensor_rank(const ingot_tensor_t *tensor);

/// Returns the tensor's `rank` dims.
const int64_t *ingot_tensor_dims(const ingot_tensor_t *tensor);

/// Returns dim `index` of the tensor, or -1 if `index` >= rank.
int64_t ingot_tensor_dim(const ingot_tensor_t *tensor, size_t index);

/// Returns the number of elements (1 for rank 0).
size_t ingot_tensor_element_count(const ingot_tensor_t *tensor);

/// Returns the size of the data in bytes.
size_t ingot_tensor_byte_size(const ingot_tensor_t *tensor);

/// Returns the tensor's data.
const void *ingot_tensor_data(const ingot_tensor_t *tensor);

/// Returns the tensor's data for writing.
void *ingot_tensor_data_mutable(ingot_tensor_t *tensor);

//===----------------------------------------------------------------------===//
// Invocation
//===----------------------------------------------------------------------===//

/// Runs `function` on `device`. `inputs` must match the function's signature
/// exactly (count, element types, every static dim); a mismatch fails with
/// INGOT_STATUS_INVALID_ARGUMENT naming the input and showing the expected
/// and the given type (e.g. `1x784xf32`). On success `out_outputs[i]`
/// receives a new tensor (owned by the caller) for each of the function's
/// `output_count` results; `output_count` must equal the output count.
/// A function with size variants runs the variant compiled for the sizes of
/// the inputs at its -1 dims; with none, INGOT_STATUS_INVALID_ARGUMENT names
/// the input, the dim and the compiled sizes.
/// The first invocation of a module on a device loads it there (cpu: loads
/// the CpuElf executable; Vulkan: checks the SpirV executable's target
/// against the device, creates its pipelines, uploads the constants); a
/// module without an executable for the device, or whose target the device
/// cannot run, fails with INGOT_STATUS_FAILED_PRECONDITION naming what is
/// missing. Invocations on one Vulkan device run one at a time. After the
/// run, each check output of the function (e.g. that a run-time shape input
/// resolves to the shape the module was compiled for) is read; one that is 0
/// fails the invocation with INGOT_STATUS_INVALID_ARGUMENT and its message,
/// and no outputs are returned.
ingot_status_t ingot_function_invoke(ingot_device_t *device,
                                     ingot_function_t *function,
                                     ingot_tensor_t *const *inputs,
                                     size_t input_count, size_t output_count,
                                     ingot_tensor_t **out_outputs);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // INGOT_RUNTIME_INGOT_RUNTIME_H
