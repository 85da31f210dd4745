//===- invoke.cpp - C API: validating and running invocations ---*- C++ -*-===//
//
// `ingot_function_invoke`: checks the caller's inputs against the function's
// signature, allocates the outputs and hands both to the device.
//
//===----------------------------------------------------------------------===//

#include "runtime/api/objects.h"

using namespace ingot::runtime;

namespace {

/// Formats a parameter's type, e.g. `1x784xf32` or `?x10xf32`.
std::string formatParameter(const ingot_parameter_t &param) {
  return formatTensorType(param.element_type, param.dims, param.rank);
}

/// Describes a parameter for messages: `0 'x'` or just `0`.
std::string describeParameter(size_t index, const ingot_parameter_t &param) {
  std::string result = std::to_string(index);
  if (param.name && param.name[0])
    result += std::string(" '") + param.name + "'";
  return result;
}

/// Formats the whole signature: `main(x: 1x784xf32) -> (y: 1x10xf32)`.
std::string formatSignature(const ingot_function_t *function) {
  auto list = [](const std::vector<ingot_parameter_t> &params) {
    std::string result;
    for (size_t i = 0; i < params.size(); ++i) {
      result += i ? ", " : "";
      if (params[i].name && params[i].name[0])
        result += std::string(params[i].name) + ": ";
      result += formatParameter(params[i]);
    }
    return result;
  };
  return std::string(ingot_function_name(function)) + "(" +
         list(function->inputs) + ") -> (" + list(function->outputs) + ")";
}

/// Checks `inputs` against the signature of `function`.
ingot_status_t validateInputs(const ingot_function_t *function,
                              ingot_tensor_t *const *inputs,
                              size_t inputCount) {
  const char *name = ingot_function_name(function);
  if (inputCount != function->inputs.size())
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "function '%s' expects %zu input%s but %zu %s given "
                      "(signature: %s)",
                      name, function->inputs.size(),
                      function->inputs.size() == 1 ? "" : "s", inputCount,
                      inputCount == 1 ? "was" : "were",
                      formatSignature(function).c_str());
  if (inputCount && !inputs)
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "function '%s': inputs must not be NULL", name);
  for (size_t i = 0; i < inputCount; ++i) {
    const ingot_parameter_t &param = function->inputs[i];
    const ingot_tensor_t *tensor = inputs[i];
    if (!tensor)
      return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                        "function '%s' input %s is NULL (expected %s)", name,
                        describeParameter(i, param).c_str(),
                        formatParameter(param).c_str());
    bool matches = tensor->elementType == param.element_type &&
                   tensor->dims.size() == param.rank;
    for (size_t d = 0; matches && d < param.rank; ++d)
      matches = param.dims[d] < 0 || param.dims[d] == tensor->dims[d];
    if (!matches)
      return makeStatus(
          INGOT_STATUS_INVALID_ARGUMENT,
          "function '%s' input %s: expected %s but got %s", name,
          describeParameter(i, param).c_str(), formatParameter(param).c_str(),
          formatTensorType(tensor->elementType, tensor->dims.data(),
                           tensor->dims.size())
              .c_str());
  }
  return nullptr;
}

/// Reads the check outputs of a finished run (host tensors on every device):
/// the first that holds zero fails the invocation with its message.
ingot_status_t evaluateChecks(const ingot_function_t *function,
                              const std::vector<ingot_tensor_t *> &outputs) {
  for (uint32_t slot : function->checkSlots) {
    const ingot_tensor_t *tensor = outputs[slot];
    const auto *bytes = static_cast<const uint8_t *>(tensor->data);
    bool holds = false;
    for (size_t b = 0; b < tensor->byteSize; ++b)
      holds = holds || bytes[b] != 0;
    if (!holds)
      return makeStatus(
          INGOT_STATUS_INVALID_ARGUMENT, "function '%s': %s",
          ingot_function_name(function),
          function->function->outputs()->Get(slot)->check_message()->c_str());
  }
  return nullptr;
}

} // namespace

extern "C" ingot_status_t
ingot_function_invoke(ingot_device_t *device, ingot_function_t *function,
                      ingot_tensor_t *const *inputs, size_t input_count,
                      size_t output_count, ingot_tensor_t **out_outputs) {
  if (!device || !function)
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "ingot_function_invoke: device and function must not be "
                      "NULL");
  if (output_count != function->outputs.size())
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "function '%s' has %zu outputs but room for %zu was "
                      "given",
                      ingot_function_name(function), function->outputs.size(),
                      output_count);
  if (output_count && !out_outputs)
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "ingot_function_invoke: out_outputs must not be NULL");
  for (size_t i = 0; i < output_count; ++i)
    out_outputs[i] = nullptr;
  INGOT_RETURN_IF_ERROR(validateInputs(function, inputs, input_count));

  // Every output of the module, the caller's and the check outputs.
  const auto *params = function->function->outputs();
  std::vector<ingot_tensor_t *> outputs(params ? params->size() : 0, nullptr);
  auto releaseOutputs = [&] {
    for (ingot_tensor_t *tensor : outputs)
      ingot_tensor_release(tensor);
  };
  for (size_t i = 0; i < output_count; ++i) {
    const ingot_parameter_t &param = function->outputs[i];
    ingot_status_t status =
        ingot_tensor_create(param.element_type, param.rank, param.dims, nullptr,
                            0, &outputs[function->outputSlots[i]]);
    if (status) {
      releaseOutputs();
      return annotateStatus(status, "allocating output " +
                                        describeParameter(i, param) + ": ");
    }
  }
  for (uint32_t slot : function->checkSlots) {
    // Verified: a rank-0 integer.
    auto type = static_cast<ingot_element_type_t>(
        params->Get(slot)->type()->element_type());
    ingot_status_t status =
        ingot_tensor_create(type, 0, nullptr, nullptr, 0, &outputs[slot]);
    if (status) {
      releaseOutputs();
      return annotateStatus(status, "allocating a check output: ");
    }
  }
  ingot_status_t status = device->impl->run(
      function->module, function->function, inputs, outputs.data());
  if (status) {
    releaseOutputs();
    return status;
  }
  status = evaluateChecks(function, outputs);
  if (status) {
    releaseOutputs();
    return status;
  }
  for (size_t i = 0; i < output_count; ++i) {
    out_outputs[i] = outputs[function->outputSlots[i]];
    outputs[function->outputSlots[i]] = nullptr;
  }
  releaseOutputs(); // The check outputs.
  return nullptr;
}
