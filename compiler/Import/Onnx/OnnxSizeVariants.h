//===- OnnxSizeVariants.h - Size variants of symbolic dims ------*- C++ -*-===//
//
// `--dim-values=NAME=SIZE,...` compiles a model with symbolic input dims
// (ONNX `dim_param`s other than the batch) once per combination of sizes:
// each combination is a copy of the model with those dim_params set to the
// sizes, imported into its own function; a private declaration of `@main`
// with the dynamic signature lists them in `ingot.variants`. Not a public
// header.
//
//===----------------------------------------------------------------------===//
#ifndef INGOT_COMPILER_IMPORT_ONNX_ONNXSIZEVARIANTS_H
#define INGOT_COMPILER_IMPORT_ONNX_ONNXSIZEVARIANTS_H

#include "compiler/Import/Onnx/OnnxImporter.h"

#include "mlir/IR/Location.h"

#include "onnx/onnx_pb.h"

#include <string>
#include <utility>

namespace mlir::ingot::onnx_import {

/// One combination of sizes: the function name suffix and the size of every
/// dim_param named by --dim-values.
struct SizeVariant {
  /// E.g. "S4_T8", appended to the function name.
  std::string suffix;
  /// (dim_param, size) pairs, in flag order.
  SmallVector<std::pair<std::string, int64_t>> sizes;
};

/// Checks `dimValues` against the symbolic dims of `model`'s inputs (every
/// name must be one, the product of the sizes at most kMaxSizeVariants) and
/// lists the combinations, the first flag's size varying slowest. Emits an
/// error at `loc` otherwise.
FailureOr<SmallVector<SizeVariant>>
planSizeVariants(const onnx::ModelProto &model, Location loc,
                 ArrayRef<DimValues> dimValues);

/// Sets every dim named by `variant` to its size in the inputs, outputs and
/// value_info of `model`.
void specializeDims(onnx::ModelProto &model, const SizeVariant &variant);

/// Combines the modules imported for `variants` (each holding `@main`) into
/// one: their functions become `@main_<suffix>`, and a private declaration
/// `@main` gets the dynamic signature: `?` in the input dims named by
/// `dimValues` in `model` (the original model), and in the output dims that
/// differ between the variants or that the model declares with those names.
/// Emits an error at `loc` if the variants disagree on anything else.
OwningOpRef<ModuleOp>
mergeSizeVariants(Location loc, const onnx::ModelProto &model,
                  ArrayRef<DimValues> dimValues, ArrayRef<SizeVariant> variants,
                  MutableArrayRef<OwningOpRef<ModuleOp>> modules);

} // namespace mlir::ingot::onnx_import

#endif // INGOT_COMPILER_IMPORT_ONNX_ONNXSIZEVARIANTS_H
