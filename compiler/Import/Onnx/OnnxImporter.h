//===- OnnxImporter.h - ONNX model importer ---------------------*- C++ -*-===//
//
// Imports ONNX models (binary protobuf or the ONNX textual syntax) into a
// module holding `func.func @main` on graph dialect ops.
//
//===----------------------------------------------------------------------===//
#ifndef INGOT_COMPILER_IMPORT_ONNX_ONNXIMPORTER_H
#define INGOT_COMPILER_IMPORT_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir {
class MLIRContext;
namespace ingot {

/// The sizes one symbolic input dim (an ONNX `dim_param`) is compiled for
/// (`--dim-values=NAME=SIZE,...`).
struct DimValues {
  std::string name;
  llvm::SmallVector<int64_t> sizes;
};

/// Largest number of size variants (the product of the --dim-values sizes)
/// one compilation may build.
constexpr unsigned kMaxSizeVariants = 32;

/// Imports the ONNX model at `path` (binary protobuf, or ONNX textual syntax
/// when the file ends in .onnxtext) into a new module holding
/// `func.func @main`. External data files are resolved relative to the
/// model's directory. Errors are emitted as diagnostics on `context` (naming
/// the file and the node) and null is returned.
///
/// With `batchTile` > 0, inputs whose only dynamic dim is dim 0 (the batch)
/// are imported with `batchTile` rows, the graph is proven to compute every
/// row independently (else an error names the node), and `@main` gets
/// `ingot.batch_tile` and `ingot.batched` on its batched parameters; with 0,
/// dynamic dims stay dynamic (`?`).
///
/// With `dimValues`, the model is imported once per combination of the
/// sizes (capped at kMaxSizeVariants): each `dim_param` named there is set
/// to the size before shape inference, the result is a public function
/// `main_<NAME><SIZE>...` with static dims, and `@main` becomes a private
/// declaration with the dynamic signature (`?` in those dims) whose
/// `ingot.variants` lists the variants (see docs/design/module-format.md).
OwningOpRef<ModuleOp> importOnnxFile(MLIRContext *context, llvm::StringRef path,
                                     int64_t batchTile = 1,
                                     llvm::ArrayRef<DimValues> dimValues = {});

/// Same, from an in-memory buffer (`isText` selects the textual syntax);
/// `bufferName` names it in errors and its directory resolves external data.
OwningOpRef<ModuleOp>
importOnnxBuffer(MLIRContext *context, llvm::StringRef buffer,
                 llvm::StringRef bufferName, bool isText, int64_t batchTile = 1,
                 llvm::ArrayRef<DimValues> dimValues = {});

/// Lists every node of the ONNX model at `path` that Ingot cannot import (op
/// type, node name, opset, and unsupported attribute values or dtypes) as
/// one error on `context`; returns failure if there is any, or if the model
/// cannot be read.
LogicalResult checkOnnxFileSupport(MLIRContext *context, llvm::StringRef path);

/// Same, from an in-memory buffer.
LogicalResult checkOnnxBufferSupport(MLIRContext *context,
                                     llvm::StringRef buffer,
                                     llvm::StringRef bufferName, bool isText);

} // namespace ingot
} // namespace mlir

#endif // INGOT_COMPILER_IMPORT_ONNX_ONNXIMPORTER_H
