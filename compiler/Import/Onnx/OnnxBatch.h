//===- OnnxBatch.h - Dynamic batch by a per-tile program --------*- C++ -*-===//
//
// Models whose only dynamic dims are dim 0 of their inputs (the batch) are
// compiled once for a tile of T rows: dim 0 of those inputs is set to T
// before shape inference, and a batch-separability analysis over the nodes
// proves that every output row depends only on the same input row, so that
// running the tile program N/T times on slices of the inputs computes the
// model at batch N. Not a public header.
//
//===----------------------------------------------------------------------===//
#ifndef INGOT_COMPILER_IMPORT_ONNX_ONNXBATCH_H
#define INGOT_COMPILER_IMPORT_ONNX_ONNXBATCH_H

#include "mlir/IR/Location.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include "onnx/onnx_pb.h"

#include <string>

namespace mlir::ingot::onnx_import {

/// Calls `fn` on every symbolic (dim_param) dim declared on the graph's
/// inputs (when `inputs`), outputs and value_info of `graph`.
void forEachSymbolicDim(
    onnx::GraphProto &graph, bool inputs,
    llvm::function_ref<void(onnx::TensorShapeProto::Dimension &)> fn);

/// Sets dynamic dim 0 of every graph input (not an initializer) of `model` to
/// `tile` and forgets symbolic dims of outputs and value_info, so that shape
/// inference makes every shape static. Appends the names of the inputs it
/// specialized to `batched`. Emits an error at `loc` naming the input and
/// the dim for a dynamic dim other than dim 0.
LogicalResult specializeBatch(onnx::ModelProto &model, Location loc,
                              int64_t tile,
                              SmallVectorImpl<std::string> &batched);

/// Proves that the imported graph (values of the tile program by ONNX name,
/// through `lookup`) computes each output row from the same input row only:
/// `batched` are the inputs whose dim 0 is the batch; `opsetOf` gives the
/// opset of a node's domain. Every graph output must be batched at dim 0
/// with `tile` rows. Emits an error at `loc` naming the offending node.
LogicalResult
analyzeBatch(const onnx::GraphProto &graph, ArrayRef<std::string> batched,
             int64_t tile, Location loc,
             llvm::function_ref<Value(const std::string &)> lookup,
             llvm::function_ref<int64_t(const std::string &)> opsetOf);

} // namespace mlir::ingot::onnx_import

#endif // INGOT_COMPILER_IMPORT_ONNX_ONNXBATCH_H
