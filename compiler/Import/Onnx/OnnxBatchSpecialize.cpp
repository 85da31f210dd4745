//===- OnnxBatchSpecialize.cpp - Dynamic batch to a tile ------*- C++ -*-===//
//
// Sets the dynamic dim 0 of a model's inputs to the tile before shape
// inference (see OnnxBatch.h); other dynamic dims are an error naming the
// input and the dim.
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/Onnx/OnnxBatch.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::onnx_import;

/// Whether `dim` has no static size.
static bool isDynamicDim(const onnx::TensorShapeProto::Dimension &dim) {
  return !dim.has_dim_value() || dim.dim_value() < 0;
}

void onnx_import::forEachSymbolicDim(
    onnx::GraphProto &graph, bool inputs,
    llvm::function_ref<void(onnx::TensorShapeProto::Dimension &)> fn) {
  auto visit = [&](onnx::ValueInfoProto &info) {
    if (!info.type().has_tensor_type() ||
        !info.type().tensor_type().has_shape())
      return;
    for (auto &dim : *info.mutable_type()
                          ->mutable_tensor_type()
                          ->mutable_shape()
                          ->mutable_dim())
      if (dim.has_dim_param())
        fn(dim);
  };
  if (inputs)
    for (onnx::ValueInfoProto &info : *graph.mutable_input())
      visit(info);
  for (onnx::ValueInfoProto &info : *graph.mutable_output())
    visit(info);
  for (onnx::ValueInfoProto &info : *graph.mutable_value_info())
    visit(info);
}

LogicalResult
onnx_import::specializeBatch(onnx::ModelProto &model, Location loc,
                             int64_t tile,
                             SmallVectorImpl<std::string> &batched) {
  onnx::GraphProto *graph = model.mutable_graph();
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &tensor : graph->initializer())
    initializers.insert(tensor.name());
  for (onnx::ValueInfoProto &input : *graph->mutable_input()) {
    if (initializers.contains(input.name()) ||
        !input.type().has_tensor_type() ||
        !input.type().tensor_type().has_shape())
      continue;
    auto *dims = input.mutable_type()
                     ->mutable_tensor_type()
                     ->mutable_shape()
                     ->mutable_dim();
    bool isBatched = false;
    for (auto [index, dim] : llvm::enumerate(*dims)) {
      if (!isDynamicDim(dim))
        continue;
      if (index != 0) {
        InFlightDiagnostic diag = emitError(loc)
                                  << "dynamic batch: input '" << input.name()
                                  << "' has dynamic dim " << index;
        diag << (dim.dim_param().empty() ? "" : " ('" + dim.dim_param() + "')")
             << "; only dim 0 (the batch) may be dynamic: export the model "
                "with static sizes in the other dims";
        if (!dim.dim_param().empty())
          diag << ", or compile it for chosen sizes with --dim-values="
               << dim.dim_param() << "=SIZE,SIZE,...";
        return failure();
      }
      isBatched = true;
    }
    if (!isBatched)
      continue;
    (*dims)[0].set_dim_value(tile);
    batched.push_back(input.name());
  }
  if (batched.empty())
    return success();
  // Declared symbolic dims of outputs and intermediates would now disagree
  // with the tile; shape inference recomputes them.
  forEachSymbolicDim(
      *graph, /*inputs=*/false,
      [](onnx::TensorShapeProto::Dimension &dim) { dim.clear_dim_param(); });
  return success();
}
