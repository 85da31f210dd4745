//===- TestCase.cpp - One ONNX backend test case ----------------*- C++ -*-===//
//
// Compiles a case's model through the compiler C API, feeds the data sets'
// TensorProtos to the runtime C API and compares the results. libonnx reports
// malformed protos by throwing, so this file is built with exceptions and
// catches them.
//
//===----------------------------------------------------------------------===//

#include "tools/ingot-test-onnx/TestCase.h"

#include "compiler/API/ingot_compiler.h"
#include "runtime/base/types.h"
#include "runtime/ingot_runtime.h"
#include "runtime/tooling/npy.h"

#include "onnx/onnx_pb.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <exception>
#include <memory>
#include <sys/stat.h>
#include <vector>

namespace ingot::test_onnx {

namespace {

/// Owns a runtime object and releases it with `Release`.
template <typename T, void (*Release)(T *)> struct Ref {
  T *ptr = nullptr;
  Ref() = default;
  Ref(const Ref &) = delete;
  Ref &operator=(const Ref &) = delete;
  Ref(Ref &&other) noexcept : ptr(other.ptr) { other.ptr = nullptr; }
  ~Ref() { Release(ptr); }
};
using TensorRef = Ref<ingot_tensor_t, ingot_tensor_release>;

CaseResult fail(std::string category, std::string reason) {
  return CaseResult{false, std::move(category), std::move(reason)};
}

/// Takes the message of `status` and frees it.
std::string consume(ingot_status_t status) {
  std::string message = ingot_status_message(status);
  ingot_status_free(status);
  return message;
}

bool fileExists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

/// The sorted names of `dir`'s entries starting with `prefix`.
std::vector<std::string> listDir(const std::string &dir,
                                 const std::string &prefix) {
  std::vector<std::string> names;
  if (DIR *d = ::opendir(dir.c_str())) {
    while (dirent *entry = ::readdir(d)) {
      std::string name = entry->d_name;
      if (name.compare(0, prefix.size(), prefix) == 0)
        names.push_back(name);
    }
    ::closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

/// What the model itself says about why it may not compile.
struct ModelTraits {
  bool training = false;
  bool sequence = false;
  bool dynamic = false;
  bool badDtype = false;
};

bool isSupportedDtype(int32_t type) {
  switch (type) {
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
  case onnx::TensorProto::BOOL:
    return true;
  default:
    return false;
  }
}

/// Maps an ONNX element type to the runtime's, or returns false.
bool toElementType(int32_t type, ingot_element_type_t &out) {
  switch (type) {
  case onnx::TensorProto::FLOAT:
    return out = INGOT_ELEMENT_TYPE_F32, true;
  case onnx::TensorProto::DOUBLE:
    return out = INGOT_ELEMENT_TYPE_F64, true;
  case onnx::TensorProto::FLOAT16:
    return out = INGOT_ELEMENT_TYPE_F16, true;
  case onnx::TensorProto::BFLOAT16:
    return out = INGOT_ELEMENT_TYPE_BF16, true;
  case onnx::TensorProto::INT8:
    return out = INGOT_ELEMENT_TYPE_I8, true;
  case onnx::TensorProto::INT16:
    return out = INGOT_ELEMENT_TYPE_I16, true;
  case onnx::TensorProto::INT32:
    return out = INGOT_ELEMENT_TYPE_I32, true;
  case onnx::TensorProto::INT64:
    return out = INGOT_ELEMENT_TYPE_I64, true;
  case onnx::TensorProto::UINT8:
    return out = INGOT_ELEMENT_TYPE_U8, true;
  case onnx::TensorProto::UINT16:
    return out = INGOT_ELEMENT_TYPE_U16, true;
  case onnx::TensorProto::UINT32:
    return out = INGOT_ELEMENT_TYPE_U32, true;
  case onnx::TensorProto::UINT64:
    return out = INGOT_ELEMENT_TYPE_U64, true;
  case onnx::TensorProto::BOOL:
    return out = INGOT_ELEMENT_TYPE_I1, true;
  default:
    return false;
  }
}

/// Reads the model's inputs, outputs and nodes for the traits above.
ModelTraits inspectModel(const onnx::ModelProto &model) {
  ModelTraits traits;
  const onnx::GraphProto &graph = model.graph();
  std::vector<std::string> initializers;
  for (const onnx::TensorProto &tensor : graph.initializer())
    initializers.push_back(tensor.name());
  auto inspect = [&](const onnx::ValueInfoProto &info) {
    if (std::find(initializers.begin(), initializers.end(), info.name()) !=
        initializers.end())
      return;
    if (!info.type().has_tensor_type()) {
      traits.sequence = true;
      return;
    }
    const onnx::TypeProto::Tensor &tensor = info.type().tensor_type();
    if (!isSupportedDtype(tensor.elem_type()))
      traits.badDtype = true;
    if (!tensor.has_shape()) {
      traits.dynamic = true;
      return;
    }
    for (const onnx::TensorShapeProto::Dimension &dim : tensor.shape().dim())
      if (!dim.has_dim_value())
        traits.dynamic = true;
  };
  for (const onnx::ValueInfoProto &info : graph.input())
    inspect(info);
  for (const onnx::ValueInfoProto &info : graph.output())
    inspect(info);
  for (const onnx::NodeProto &node : graph.node()) {
    const std::string &op = node.op_type();
    if (node.domain() == "ai.onnx.preview.training" ||
        op.find("Gradient") != std::string::npos)
      traits.training = true;
    // The importer handles sequences between its sequence operators; a
    // model that fails with those fails for another reason.
    if (op.compare(0, 8, "Optional") == 0 || op == "SequenceMap")
      traits.sequence = true;
  }
  return traits;
}

/// Reads the TensorProto at `path` into a new runtime tensor. On failure
/// sets `category` and returns the message.
std::string readTensor(const std::string &path, TensorRef &out,
                       std::string &name, std::string &category) {
  category = "bad-test-data";
  std::string bytes;
  if (ingot_status_t status = tooling::readFile(path, bytes))
    return consume(status);
  onnx::TensorProto proto;
  try {
    if (!proto.ParseFromString(bytes))
      return path + ": not a TensorProto";
  } catch (const std::exception &e) {
    return path + ": " + e.what();
  }
  name = proto.name();
  ingot_element_type_t type;
  if (!toElementType(proto.data_type(), type)) {
    category = "unsupported-dtype";
    return path + ": unsupported dtype " + std::to_string(proto.data_type());
  }
  std::vector<int64_t> dims(proto.dims().begin(), proto.dims().end());
  uint64_t count = 1;
  for (int64_t dim : dims) {
    if (dim < 0)
      return path + ": negative dimension";
    count *= static_cast<uint64_t>(dim);
  }
  size_t elementSize = ingot_element_type_size(type);
  std::vector<uint8_t> data(count * elementSize);
  auto copyFrom = [&](const auto &field) -> bool {
    if (static_cast<uint64_t>(field.size()) != count)
      return false;
    for (uint64_t i = 0; i < count; ++i) {
      auto value = field.Get(static_cast<int>(i));
      uint8_t *dst = data.data() + i * elementSize;
      switch (type) {
      case INGOT_ELEMENT_TYPE_F32: {
        float v = static_cast<float>(value);
        std::memcpy(dst, &v, 4);
        break;
      }
      case INGOT_ELEMENT_TYPE_F64: {
        double v = static_cast<double>(value);
        std::memcpy(dst, &v, 8);
        break;
      }
      case INGOT_ELEMENT_TYPE_I1:
        *dst = value != 0;
        break;
      default: {
        // Integers (and f16/bf16 bit patterns): the low bytes, little-endian.
        uint64_t v = static_cast<uint64_t>(static_cast<int64_t>(value));
        std::memcpy(dst, &v, elementSize);
        break;
      }
      }
    }
    return true;
  };
  bool ok = true;
  if (proto.has_raw_data()) {
    ok = proto.raw_data().size() == data.size();
    if (ok && !data.empty())
      std::memcpy(data.data(), proto.raw_data().data(), data.size());
  } else {
    switch (proto.data_type()) {
    case onnx::TensorProto::FLOAT:
      ok = copyFrom(proto.float_data());
      break;
    case onnx::TensorProto::DOUBLE:
      ok = copyFrom(proto.double_data());
      break;
    case onnx::TensorProto::INT64:
      ok = copyFrom(proto.int64_data());
      break;
    case onnx::TensorProto::UINT32:
    case onnx::TensorProto::UINT64:
      ok = copyFrom(proto.uint64_data());
      break;
    default:
      ok = copyFrom(proto.int32_data());
      break;
    }
  }
  if (!ok)
    return path + ": data does not match the shape";
  if (ingot_status_t status = ingot_tensor_create(
          type, dims.size(), dims.data(), data.data(), data.size(), &out.ptr))
    return path + ": " + consume(status);
  category.clear();
  return "";
}

/// ONNX 1.12's Cast tests store BFLOAT16 tensors as UINT16 bit patterns:
/// relabels a u16 `tensor` as bf16 when the function wants bf16 there.
std::string relabelBf16(TensorRef &tensor, ingot_element_type_t wanted) {
  if (wanted != INGOT_ELEMENT_TYPE_BF16 ||
      ingot_tensor_element_type(tensor.ptr) != INGOT_ELEMENT_TYPE_U16)
    return "";
  size_t rank = ingot_tensor_rank(tensor.ptr);
  const int64_t *dims = ingot_tensor_dims(tensor.ptr);
  ingot_tensor_t *relabeled = nullptr;
  if (ingot_status_t status = ingot_tensor_create(
          INGOT_ELEMENT_TYPE_BF16, rank, dims, ingot_tensor_data(tensor.ptr),
          ingot_tensor_element_count(tensor.ptr) * 2, &relabeled))
    return consume(status);
  ingot_tensor_release(tensor.ptr);
  tensor.ptr = relabeled;
  return "";
}

/// Element `i` of `tensor` as a double (floats) for messages and
/// comparisons.
double floatAt(const ingot_tensor_t *tensor, size_t i) {
  const uint8_t *data = static_cast<const uint8_t *>(ingot_tensor_data(tensor));
  switch (ingot_tensor_element_type(tensor)) {
  case INGOT_ELEMENT_TYPE_F32: {
    float v;
    std::memcpy(&v, data + 4 * i, 4);
    return v;
  }
  case INGOT_ELEMENT_TYPE_F64: {
    double v;
    std::memcpy(&v, data + 8 * i, 8);
    return v;
  }
  case INGOT_ELEMENT_TYPE_F16: {
    uint16_t v;
    std::memcpy(&v, data + 2 * i, 2);
    return runtime::halfToFloat(v);
  }
  default: {
    uint16_t v;
    std::memcpy(&v, data + 2 * i, 2);
    return runtime::bf16ToFloat(v);
  }
  }
}

/// Element `i` of an integer or i1 tensor, as its bits zero-extended.
uint64_t bitsAt(const ingot_tensor_t *tensor, size_t i) {
  size_t size = ingot_element_type_size(ingot_tensor_element_type(tensor));
  const uint8_t *data = static_cast<const uint8_t *>(ingot_tensor_data(tensor));
  uint64_t v = 0;
  std::memcpy(&v, data + size * i, size);
  if (ingot_tensor_element_type(tensor) == INGOT_ELEMENT_TYPE_I1)
    v = v != 0;
  return v;
}

std::string typeString(const ingot_tensor_t *tensor) {
  return runtime::formatTensorType(ingot_tensor_element_type(tensor),
                                   ingot_tensor_dims(tensor),
                                   ingot_tensor_rank(tensor));
}

std::string formatFloat(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.9g", value);
  return buffer;
}

/// Compares one output; returns "" on a match, else why not.
std::string compare(const ingot_tensor_t *got, const ingot_tensor_t *expected,
                    const CompareOptions &options) {
  if (ingot_tensor_element_type(got) != ingot_tensor_element_type(expected) ||
      ingot_tensor_rank(got) != ingot_tensor_rank(expected) ||
      !std::equal(ingot_tensor_dims(got),
                  ingot_tensor_dims(got) + ingot_tensor_rank(got),
                  ingot_tensor_dims(expected)))
    return "got " + typeString(got) + ", expected " + typeString(expected);
  bool isFloat = runtime::isFloatElementType(ingot_tensor_element_type(got));
  size_t count = ingot_tensor_element_count(got);
  size_t mismatches = 0;
  std::string first;
  for (size_t i = 0; i < count; ++i) {
    std::string gotText, expectedText;
    if (isFloat) {
      double g = floatAt(got, i), e = floatAt(expected, i);
      bool ok =
          std::isnan(e) ? std::isnan(g)
          : std::isinf(e)
              ? g == e
              : std::fabs(g - e) <= options.atol + options.rtol * std::fabs(e);
      if (ok)
        continue;
      gotText = formatFloat(g);
      expectedText = formatFloat(e);
    } else {
      uint64_t g = bitsAt(got, i), e = bitsAt(expected, i);
      if (g == e)
        continue;
      gotText = std::to_string(g);
      expectedText = std::to_string(e);
    }
    if (mismatches++ == 0)
      first = "element " + std::to_string(i) + ": got " + gotText +
              ", expected " + expectedText;
  }
  if (mismatches == 0)
    return "";
  return std::to_string(mismatches) + " of " + std::to_string(count) +
         " elements differ; first: " + first;
}

/// Reads `<setDir>/<prefix>_<k>.pb` for k = 0, 1, ... up to the first
/// missing file; returns an error message (and sets `category`) on failure.
std::string readTensorFiles(const std::string &setDir, const char *prefix,
                            std::vector<TensorRef> &tensors,
                            std::vector<std::string> &names,
                            std::string &category) {
  for (size_t k = 0;; ++k) {
    std::string path = setDir + "/" + prefix + "_" + std::to_string(k) + ".pb";
    if (!fileExists(path))
      return "";
    TensorRef tensor;
    std::string name;
    std::string error = readTensor(path, tensor, name, category);
    if (!error.empty())
      return error;
    tensors.push_back(std::move(tensor));
    names.push_back(name);
  }
}

/// Runs data set `setDir` on `function`.
CaseResult runDataSet(ingot_device_t *device, ingot_function_t *function,
                      const std::string &setDir,
                      const CompareOptions &options) {
  std::string setName = setDir.substr(setDir.rfind('/') + 1);
  std::string category;
  // Inputs: matched to the function's parameters by name, else by position.
  std::vector<TensorRef> inputs;
  std::vector<std::string> inputNames;
  if (std::string error =
          readTensorFiles(setDir, "input", inputs, inputNames, category);
      !error.empty())
    return fail(category, error);
  size_t inputCount = ingot_function_input_count(function);
  if (inputs.size() != inputCount)
    return fail("runtime-error", setName + ": the function takes " +
                                     std::to_string(inputCount) +
                                     " inputs, the data set has " +
                                     std::to_string(inputs.size()));
  std::vector<ingot_tensor_t *> args(inputCount);
  for (size_t i = 0; i < inputCount; ++i) {
    ingot_parameter_t param;
    if (ingot_status_t status = ingot_function_input(function, i, &param))
      return fail("runtime-error", consume(status));
    auto it = std::find(inputNames.begin(), inputNames.end(), param.name);
    size_t k = *param.name && it != inputNames.end()
                   ? static_cast<size_t>(it - inputNames.begin())
                   : i;
    if (std::string error = relabelBf16(inputs[k], param.element_type);
        !error.empty())
      return fail("runtime-error", setName + ": " + error);
    args[i] = inputs[k].ptr;
  }

  std::vector<TensorRef> expected;
  std::vector<std::string> outputNames;
  if (std::string error =
          readTensorFiles(setDir, "output", expected, outputNames, category);
      !error.empty())
    return fail(category, error);
  size_t outputCount = ingot_function_output_count(function);
  if (expected.size() != outputCount)
    return fail("wrong-result", setName + ": the function has " +
                                    std::to_string(outputCount) +
                                    " outputs, the data set has " +
                                    std::to_string(expected.size()));

  for (size_t i = 0; i < outputCount; ++i) {
    ingot_parameter_t param;
    if (ingot_status_t status = ingot_function_output(function, i, &param))
      return fail("runtime-error", consume(status));
    if (std::string error = relabelBf16(expected[i], param.element_type);
        !error.empty())
      return fail("runtime-error", setName + ": " + error);
  }

  std::vector<ingot_tensor_t *> results(outputCount, nullptr);
  if (ingot_status_t status =
          ingot_function_invoke(device, function, args.data(), args.size(),
                                outputCount, results.data()))
    return fail("runtime-error", setName + ": " + consume(status));
  std::vector<TensorRef> owned(outputCount);
  for (size_t i = 0; i < outputCount; ++i)
    owned[i].ptr = results[i];
  for (size_t i = 0; i < outputCount; ++i) {
    std::string mismatch = compare(results[i], expected[i].ptr, options);
    if (!mismatch.empty())
      return fail("wrong-result",
                  setName + ": output " + std::to_string(i) + ": " + mismatch);
  }
  return CaseResult{true, "", ""};
}

/// Runs every data set of the case in `dir` on the compiled `module` bytes.
CaseResult runModule(const std::string &dir, const void *bytes, size_t size,
                     const CompareOptions &options) {
  ingot_instance_t *instance = nullptr;
  if (ingot_status_t status = ingot_instance_create(nullptr, &instance))
    return fail("runtime-error", consume(status));
  Ref<ingot_instance_t, ingot_instance_release> instanceRef;
  instanceRef.ptr = instance;
  ingot_device_options_t deviceOptions;
  ingot_device_options_initialize(&deviceOptions);
  deviceOptions.thread_count = 1;
  Ref<ingot_device_t, ingot_device_release> device;
  if (ingot_status_t status = ingot_device_create(
          instance, options.device.c_str(), &deviceOptions, &device.ptr))
    return fail("runtime-error", consume(status));
  Ref<ingot_module_t, ingot_module_release> module;
  if (ingot_status_t status = ingot_module_load_memory(
          instance, bytes, size, "model.ingot", &module.ptr))
    return fail("runtime-error", consume(status));
  if (ingot_module_function_count(module.ptr) == 0)
    return fail("runtime-error", "the module exports no function");
  const char *functionName = ingot_module_function_name(module.ptr, 0);
  for (size_t i = 0; i < ingot_module_function_count(module.ptr); ++i)
    if (std::strcmp(ingot_module_function_name(module.ptr, i), "main") == 0)
      functionName = "main";
  Ref<ingot_function_t, ingot_function_release> function;
  if (ingot_status_t status =
          ingot_module_lookup_function(module.ptr, functionName, &function.ptr))
    return fail("runtime-error", consume(status));

  std::vector<std::string> sets = listDir(dir, "test_data_set_");
  if (sets.empty())
    return fail("bad-test-data", dir + ": no test_data_set_* directory");
  for (const std::string &set : sets) {
    CaseResult result =
        runDataSet(device.ptr, function.ptr, dir + "/" + set, options);
    if (!result.passed)
      return result;
  }
  return CaseResult{true, "", ""};
}

/// Returns the category of a compile failure of a model with `traits`.
std::string categorize(const std::string &message, const ModelTraits &traits) {
  if (traits.training)
    return "training";
  if (traits.sequence)
    return "sequence-optional";
  std::string category = classifyCompileError(message);
  if (category == "compile-error" ||
      message.find("must be a tensor of known rank") != std::string::npos) {
    if (traits.badDtype)
      return "unsupported-dtype";
    if (traits.dynamic)
      return "dynamic-shape";
  }
  return category;
}

} // namespace

std::string firstLine(const std::string &message) {
  std::string line = message.substr(0, message.find('\n'));
  size_t pos = line.find(": error: ");
  if (pos != std::string::npos)
    line = line.substr(pos + 9);
  else if (line.compare(0, 7, "error: ") == 0)
    line = line.substr(7);
  return line;
}

std::string classifyCompileError(const std::string &message) {
  std::string line = firstLine(message);
  if (line.find("unsupported op") != std::string::npos &&
      line.find("node '") != std::string::npos) {
    // `N unsupported ops: node 'a' (Abs, opset 13), node 'b' (Add, opset 13:
    // unsupported dtype ...)`: the first op that is missing outright wins,
    // else the first entry's reason.
    std::string firstReason;
    size_t pos = 0;
    while ((pos = line.find("node '", pos)) != std::string::npos) {
      size_t open = line.find("' (", pos);
      if (open == std::string::npos)
        break;
      size_t opStart = open + 3;
      size_t opsetPos = line.find(", opset ", opStart);
      if (opsetPos == std::string::npos)
        break;
      std::string opType = line.substr(opStart, opsetPos - opStart);
      size_t end = opsetPos + 8;
      while (end < line.size() && std::isdigit(line[end]))
        ++end;
      pos = end;
      if (end < line.size() && line[end] == ')')
        return "unsupported-op:" + opType;
      if (firstReason.empty()) {
        size_t next = line.find("node '", end);
        firstReason = line.substr(
            end, next == std::string::npos ? std::string::npos : next - end);
      }
    }
    if (firstReason.find("dtype") != std::string::npos)
      return "unsupported-dtype";
    if (firstReason.find("opset") != std::string::npos)
      return "unsupported-opset";
    if (firstReason.find("attribute") != std::string::npos)
      return "unsupported-attribute";
    return "compile-error";
  }
  if (line.find("dtype") != std::string::npos)
    return "unsupported-dtype";
  // A shape that is only known at run time (Reshape's shape input, ...).
  if (line.find("dynamic") != std::string::npos ||
      line.find("must be a constant") != std::string::npos)
    return "dynamic-shape";
  if (line.find("invalid ONNX model") != std::string::npos ||
      line.find("shape inference failed") != std::string::npos ||
      line.find("cannot parse ONNX") != std::string::npos ||
      line.find("not a valid ONNX model") != std::string::npos)
    return "invalid-model";
  return "compile-error";
}

CaseResult runCase(const std::string &dir, const CompareOptions &options) {
  std::string modelPath = dir + "/model.onnx";
  std::string modelBytes;
  if (ingot_status_t status = tooling::readFile(modelPath, modelBytes))
    return fail("bad-test-data", consume(status));
  onnx::ModelProto model;
  ModelTraits traits;
  try {
    if (model.ParseFromString(modelBytes))
      traits = inspectModel(model);
  } catch (const std::exception &) {
    // The compiler reports unreadable models itself.
  }

  ingot_compiler_session_t *session = ingot_compiler_session_create();
  ingot_compiler_output_t *output = nullptr;
  std::string target = options.device.rfind("vulkan", 0) == 0
                           ? "--target=vulkan"
                           : "--target=cpu";
  ingot_compiler_error_t *error =
      ingot_compiler_session_set_flag(session, target.c_str());
  if (!error)
    error = ingot_compiler_compile_buffer(session, modelBytes.data(),
                                          modelBytes.size(), modelPath.c_str(),
                                          &output);
  ingot_compiler_session_destroy(session);
  if (error) {
    std::string message = ingot_compiler_error_message(error);
    ingot_compiler_error_destroy(error);
    return fail(categorize(message, traits), message);
  }
  size_t size = 0;
  const void *bytes = ingot_compiler_output_data(output, &size);
  CaseResult result = runModule(dir, bytes, size, options);
  ingot_compiler_output_destroy(output);
  return result;
}

std::string probeDevice(const std::string &device, bool &unavailable) {
  unavailable = false;
  ingot_instance_t *instance = nullptr;
  if (ingot_status_t status = ingot_instance_create(nullptr, &instance))
    return consume(status);
  Ref<ingot_instance_t, ingot_instance_release> instanceRef;
  instanceRef.ptr = instance;
  ingot_device_options_t deviceOptions;
  ingot_device_options_initialize(&deviceOptions);
  deviceOptions.thread_count = 1;
  Ref<ingot_device_t, ingot_device_release> deviceRef;
  if (ingot_status_t status = ingot_device_create(
          instance, device.c_str(), &deviceOptions, &deviceRef.ptr)) {
    unavailable = ingot_status_code(status) == INGOT_STATUS_UNAVAILABLE;
    return consume(status);
  }
  return "";
}

} // namespace ingot::test_onnx
