//===- invoke.cpp - C API: validating and running invocations ---*- C++ -*-===//
//
// `ingot_function_invoke`: checks the caller's inputs against the function's
// signature, allocates the outputs and hands both to the device; a function
// with a batch tile runs once per tile of the batch, on views of the rows;
// a function with size variants runs the variant compiled for the sizes of
// the inputs.
//
//===----------------------------------------------------------------------===//

#include "runtime/api/objects.h"

#include <algorithm>
#include <cstring>

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

/// Whether `param` is a batched parameter of `function`. Size variants say
/// which of their parameters are batched; the function listing them does
/// not (its -1 in dim 0 may be a size).
bool isBatched(const ingot_function_t *function,
               const ingot_parameter_t &param) {
  return function->variants.empty() && function->function->batch_tile() > 0 &&
         param.rank > 0 && param.dims[0] < 0;
}

/// Checks `inputs` against the signature of `function` (element types,
/// ranks and static dims). Messages name the function `name`.
ingot_status_t validateInputs(const ingot_function_t *function,
                              ingot_tensor_t *const *inputs, size_t inputCount,
                              const char *name) {
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
    auto given = [&] {
      return formatTensorType(tensor->elementType, tensor->dims.data(),
                              tensor->dims.size());
    };
    if (tensor->elementType != param.element_type ||
        tensor->dims.size() != param.rank)
      return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                        "function '%s' input %s: expected %s but got %s", name,
                        describeParameter(i, param).c_str(),
                        formatParameter(param).c_str(), given().c_str());
    for (size_t d = 0; d < param.rank; ++d)
      if (param.dims[d] >= 0 && param.dims[d] != tensor->dims[d])
        return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                          "function '%s' input %s: dim %zu is %lld but the "
                          "signature needs %lld (expected %s, got %s)",
                          name, describeParameter(i, param).c_str(), d,
                          (long long)tensor->dims[d], (long long)param.dims[d],
                          formatParameter(param).c_str(), given().c_str());
  }
  return nullptr;
}

/// Sets `batch` to the batch size N of `function` (the one that runs: a size
/// variant, not its owner) from dim 0 of its batched inputs, already checked
/// against its signature, or to -1 when it has no batch tile. All batched
/// inputs must agree, and N must be a multiple of the tile.
ingot_status_t getBatchSize(const ingot_function_t *function,
                            ingot_tensor_t *const *inputs, int64_t &batch,
                            const char *name) {
  batch = -1;
  size_t batchInput = 0;
  for (size_t i = 0; i < function->inputs.size(); ++i) {
    const ingot_parameter_t &param = function->inputs[i];
    if (!isBatched(function, param))
      continue;
    int64_t rows = inputs[i]->dims[0];
    if (batch >= 0 && rows != batch)
      return makeStatus(
          INGOT_STATUS_INVALID_ARGUMENT,
          "function '%s': batched inputs %s and %s have different batch "
          "sizes (dim 0): %lld and %lld",
          name,
          describeParameter(batchInput, function->inputs[batchInput]).c_str(),
          describeParameter(i, param).c_str(), (long long)batch,
          (long long)rows);
    if (batch < 0) {
      batch = rows;
      batchInput = i;
    }
  }
  uint32_t tile = function->function->batch_tile();
  if (batch >= 0 && batch % tile != 0)
    return makeStatus(
        INGOT_STATUS_INVALID_ARGUMENT,
        "function '%s' input %s: the batch size %lld (dim 0) "
        "is not a multiple of the function's batch tile %u",
        name,
        describeParameter(batchInput, function->inputs[batchInput]).c_str(),
        (long long)batch, tile);
  return nullptr;
}

/// Joins sizes for messages: "16", "16 or 32", "16, 32 or 64".
std::string joinSizes(const std::vector<int64_t> &sizes) {
  std::string result;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (i)
      result += i + 1 == sizes.size() ? " or " : ", ";
    result += std::to_string(sizes[i]);
  }
  return result;
}

/// Picks the size variant of `function` whose static dims (where the
/// function's are -1) match `inputs`, already checked against the
/// function's signature.
ingot_status_t selectVariant(ingot_function_t *function,
                             ingot_tensor_t *const *inputs,
                             ingot_function_t *&out) {
  const char *name = ingot_function_name(function);
  // The varied positions: (input, dim) where the function has -1 and the
  // variants a size.
  std::vector<std::pair<size_t, size_t>> varied;
  for (size_t i = 0; i < function->inputs.size(); ++i)
    for (size_t d = 0; d < function->inputs[i].rank; ++d)
      if (function->inputs[i].dims[d] < 0 &&
          function->variants.front()->inputs[i].dims[d] >= 0)
        varied.emplace_back(i, d);
  for (const auto &variant : function->variants) {
    bool match = true;
    for (auto [i, d] : varied)
      match &= inputs[i]->dims[d] == variant->inputs[i].dims[d];
    if (match) {
      out = variant.get();
      return nullptr;
    }
  }
  // A size no variant has, or a combination of sizes none has.
  for (auto [i, d] : varied) {
    std::vector<int64_t> sizes;
    for (const auto &variant : function->variants)
      sizes.push_back(variant->inputs[i].dims[d]);
    std::sort(sizes.begin(), sizes.end());
    sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
    if (std::find(sizes.begin(), sizes.end(), inputs[i]->dims[d]) ==
        sizes.end())
      return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                        "function '%s' input %s: dim %zu is %lld but this "
                        "module was compiled for %s (pad to one of them, or "
                        "recompile with --dim-values)",
                        name, describeParameter(i, function->inputs[i]).c_str(),
                        d, (long long)inputs[i]->dims[d],
                        joinSizes(sizes).c_str());
  }
  auto sizesOf = [&](auto dimOf) {
    std::string result;
    for (auto [i, d] : varied)
      result += (result.empty() ? "" : ", ") + std::to_string(dimOf(i, d));
    return "(" + result + ")";
  };
  std::string positions, compiled;
  for (auto [i, d] : varied)
    positions += (positions.empty() ? "" : ", ") + std::string("input ") +
                 describeParameter(i, function->inputs[i]) + " dim " +
                 std::to_string(d);
  for (const auto &variant : function->variants)
    compiled +=
        (compiled.empty() ? "" : ", ") +
        sizesOf([&](size_t i, size_t d) { return variant->inputs[i].dims[d]; });
  return makeStatus(
      INGOT_STATUS_INVALID_ARGUMENT,
      "function '%s': no size variant for the sizes %s of (%s); this module "
      "was compiled for %s (pad to one of them, or recompile with "
      "--dim-values)",
      name,
      sizesOf([&](size_t i, size_t d) { return inputs[i]->dims[d]; }).c_str(),
      positions.c_str(), compiled.c_str());
}

/// A tensor that views `rows` rows of `source` starting at row `row`,
/// without owning them.
void viewRows(const ingot_tensor_t *source, int64_t row, int64_t rows,
              ingot_tensor_t &view) {
  size_t rowBytes = source->dims[0] ? source->byteSize / source->dims[0] : 0;
  view.elementType = source->elementType;
  view.dims = source->dims;
  view.dims[0] = rows;
  view.elementCount =
      source->dims[0] ? source->elementCount / source->dims[0] * rows : 0;
  view.byteSize = rowBytes * rows;
  view.data = static_cast<uint8_t *>(source->data) + rowBytes * row;
}

/// Reads the check outputs of a finished run (host tensors on every device):
/// the first that holds zero fails the invocation with its message.
/// `name` is the function the caller invoked (a size variant's owner).
ingot_status_t evaluateChecks(const ingot_function_t *function,
                              const std::vector<ingot_tensor_t *> &outputs,
                              const char *name) {
  for (uint32_t slot : function->checkSlots) {
    const ingot_tensor_t *tensor = outputs[slot];
    const auto *bytes = static_cast<const uint8_t *>(tensor->data);
    bool holds = false;
    for (size_t b = 0; b < tensor->byteSize; ++b)
      holds = holds || bytes[b] != 0;
    if (!holds)
      return makeStatus(
          INGOT_STATUS_INVALID_ARGUMENT, "function '%s': %s", name,
          function->function->outputs()->Get(slot)->check_message()->c_str());
  }
  return nullptr;
}

/// Runs a function with a batch tile once per tile of `batch` rows: batched
/// inputs and outputs are passed as views of one tile's rows; an output tile
/// not aligned for the kernels is computed in scratch storage and copied.
/// `outputs` holds every output of the module function (by schema index,
/// check outputs included); the checks are read after every tile.
ingot_status_t runTiles(ingot_device_t *device, ingot_function_t *function,
                        ingot_tensor_t *const *inputs,
                        std::vector<ingot_tensor_t *> &outputs, int64_t batch,
                        const char *name) {
  const uint32_t tile = function->function->batch_tile();
  size_t inputCount = function->inputs.size();
  size_t outputCount = outputs.size();
  std::vector<bool> batchedOutput(outputCount, false);
  for (size_t i = 0; i < function->outputs.size(); ++i)
    batchedOutput[function->outputSlots[i]] =
        isBatched(function, function->outputs[i]);
  std::vector<ingot_tensor_t> inputViews(inputCount), outputViews(outputCount);
  std::vector<ingot_tensor_t *> tileInputs(inputs, inputs + inputCount);
  std::vector<ingot_tensor_t *> tileOutputs(outputs);
  std::vector<AlignedStorage> scratch(outputCount);
  for (int64_t row = 0; row < batch; row += tile) {
    for (size_t i = 0; i < inputCount; ++i) {
      if (!isBatched(function, function->inputs[i]))
        continue;
      viewRows(inputs[i], row, tile, inputViews[i]);
      tileInputs[i] = &inputViews[i];
    }
    for (size_t o = 0; o < outputCount; ++o) {
      if (!batchedOutput[o])
        continue;
      ingot_tensor_t &view = outputViews[o];
      viewRows(outputs[o], row, tile, view);
      tileOutputs[o] = &view;
      if (reinterpret_cast<uintptr_t>(view.data) % kBufferAlignment == 0)
        continue;
      if (!scratch[o] && !(scratch[o] = alignedAllocate(view.byteSize, false)))
        return makeStatus(INGOT_STATUS_RESOURCE_EXHAUSTED,
                          "cannot allocate %zu bytes for a tile of output "
                          "%zu",
                          view.byteSize, o);
      view.data = scratch[o].get();
    }
    INGOT_RETURN_IF_ERROR(
        device->impl->run(function->module, function->function,
                          tileInputs.data(), tileOutputs.data()));
    INGOT_RETURN_IF_ERROR(evaluateChecks(function, outputs, name));
    for (size_t o = 0; o < outputCount; ++o)
      if (tileOutputs[o] == &outputViews[o] && scratch[o] &&
          outputViews[o].data == scratch[o].get() && outputViews[o].byteSize)
        std::memcpy(static_cast<uint8_t *>(outputs[o]->data) +
                        outputViews[o].byteSize / tile * row,
                    scratch[o].get(), outputViews[o].byteSize);
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
  const char *name = ingot_function_name(function);
  INGOT_RETURN_IF_ERROR(validateInputs(function, inputs, input_count, name));
  // Size variants: run the one compiled for these sizes (the verifier made
  // its other static dims those of the signature just checked).
  if (!function->variants.empty())
    INGOT_RETURN_IF_ERROR(selectVariant(function, inputs, function));
  int64_t batch;
  INGOT_RETURN_IF_ERROR(getBatchSize(function, inputs, batch, name));

  // Every output of the module, the caller's and the check outputs.
  const auto *params = function->function->outputs();
  std::vector<ingot_tensor_t *> outputs(params ? params->size() : 0, nullptr);
  auto releaseOutputs = [&] {
    for (ingot_tensor_t *tensor : outputs)
      ingot_tensor_release(tensor);
  };
  for (size_t i = 0; i < output_count; ++i) {
    const ingot_parameter_t &param = function->outputs[i];
    // Batched outputs get the batch size of the inputs as dim 0.
    std::vector<int64_t> dims(param.dims, param.dims + param.rank);
    if (isBatched(function, param))
      dims[0] = batch;
    ingot_status_t status =
        ingot_tensor_create(param.element_type, param.rank, dims.data(),
                            nullptr, 0, &outputs[function->outputSlots[i]]);
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
  // A batch loop reads the checks after every tile.
  ingot_status_t status =
      batch >= 0 ? runTiles(device, function, inputs, outputs, batch, name)
                 : device->impl->run(function->module, function->function,
                                     inputs, outputs.data());
  if (!status && batch < 0)
    status = evaluateChecks(function, outputs, name);
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
