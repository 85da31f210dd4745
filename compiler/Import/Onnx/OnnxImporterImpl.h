//===- OnnxImporterImpl.h - ONNX importer internals -------------*- C++ -*-===//
//
// Shared between the model-level importer (OnnxImporter.cpp) and the
// per-operator importers (OnnxOps.cpp). Not a public header.
//
//===----------------------------------------------------------------------===//
#ifndef INGOT_COMPILER_IMPORT_ONNX_ONNXIMPORTERIMPL_H
#define INGOT_COMPILER_IMPORT_ONNX_ONNXIMPORTERIMPL_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallBitVector.h"

#include "onnx/onnx_pb.h"

#include <optional>
#include <string>

namespace mlir::ingot::onnx_import {

/// Maps an ONNX TensorProto data type to an MLIR element type, or returns
/// null for types Ingot does not support (strings, complex, ...).
Type getElementType(MLIRContext *context, int32_t dataType);

/// Returns true if getElementType maps `dataType`.
bool isSupportedDataType(int32_t dataType);

/// Returns true for the unsigned integer data types (UINT8 ... UINT64).
bool isUnsignedDataType(int32_t dataType);

/// Returns true for the floating-point data types (FLOAT, DOUBLE, FLOAT16,
/// BFLOAT16).
bool isFloatDataType(int32_t dataType);

/// Returns the ONNX name of a TensorProto data type, e.g. "FLOAT".
std::string getDataTypeName(int32_t dataType);

/// Converts an ONNX tensor (raw_data or typed fields; external data must
/// already be loaded) into a DenseElementsAttr. On failure, sets `error`
/// and returns null.
DenseElementsAttr convertTensor(MLIRContext *context,
                                const onnx::TensorProto &tensor,
                                std::string &error);

/// A sequence value (SequenceConstruct, SplitToSequence, ...). Sequences
/// exist only inside the importer: a sequence is a list of graph tensors
/// whose length is known at import; the graph dialect never sees one.
struct SequenceValue {
  /// The element type of the tensors (SequenceEmpty's dtype, or the
  /// elements').
  Type elementType;
  /// The tensors, in order.
  SmallVector<Value> elements;
  /// Non-empty when only the length is known (SplitToSequence with run-time
  /// split sizes): why the elements are not.
  std::string unknownElements;
  /// The length when `unknownElements` is set.
  int64_t unknownLength = 0;

  /// Returns the number of elements.
  int64_t size() const {
    return unknownElements.empty() ? static_cast<int64_t>(elements.size())
                                   : unknownLength;
  }
};

/// A run-time check of the function being imported: a rank-0 i32 value that
/// must be non-zero, and the message of the failure when it is not.
struct RuntimeCheck {
  Value condition;
  std::string message;
};

/// Everything an operator importer needs about one node.
struct NodeContext {
  OpBuilder &builder;
  Location loc;
  const onnx::NodeProto &node;
  /// The node's name, or "<op_type>_<index>" when it has none.
  std::string name;
  /// The opset version of the node's domain.
  int64_t opset;
  /// The node's inputs; null for omitted optional inputs.
  SmallVector<Value> inputs;
  /// The types ONNX shape inference gave the outputs; null where unknown.
  SmallVector<RankedTensorType> inferredTypes;
  /// The ONNX data types of the inputs (0 where unknown or omitted): MLIR
  /// types do not tell unsigned integers from signed ones.
  SmallVector<int32_t> inputDataTypes;
  /// The sequences among the inputs, parallel to `inputs` (whose entry is
  /// null there); null for tensors and omitted inputs. Only sequence
  /// operators (importSequenceNode) get sequences.
  SmallVector<const SequenceValue *> sequenceInputs;
  /// Where addRuntimeCheck collects the function's run-time checks.
  SmallVectorImpl<RuntimeCheck> &checks;

  /// Emits an error at the node that names it and its op type.
  InFlightDiagnostic emitError() const;
};

/// Returns why `node` cannot be imported at `opset`, or an empty string if
/// it can. `dataTypeOf` returns the ONNX data type of a value name, or 0
/// when unknown.
std::string
checkNodeSupport(const onnx::NodeProto &node, int64_t opset,
                 llvm::function_ref<int32_t(const std::string &)> dataTypeOf);

/// Imports `ctx.node`: returns one value per node output, or failure after
/// emitting an error.
FailureOr<SmallVector<Value>> importNode(NodeContext &ctx);

//===----------------------------------------------------------------------===//
// Helpers shared by the operator importers (OnnxOps.cpp)
//===----------------------------------------------------------------------===//

/// Returns the attribute `name` of `node`, or null.
const onnx::AttributeProto *findAttr(const onnx::NodeProto &node,
                                     llvm::StringRef name);
/// Returns the integer attribute `name`, or `defaultValue` when absent.
int64_t getInt(const onnx::NodeProto &node, llvm::StringRef name,
               int64_t defaultValue);
/// Returns the float attribute `name`, or `defaultValue` when absent.
float getFloat(const onnx::NodeProto &node, llvm::StringRef name,
               float defaultValue);
/// Returns the integer list attribute `name`, or nullopt when absent.
std::optional<SmallVector<int64_t>> getInts(const onnx::NodeProto &node,
                                            llvm::StringRef name);
/// Returns `shape` refined by the type ONNX inferred (static sizes from
/// either), or `shape` alone when ONNX's is missing or of another rank.
RankedTensorType refine(ArrayRef<int64_t> shape, Type elementType,
                        RankedTensorType inferred);
/// Returns the type of `v`, a ranked tensor.
RankedTensorType tensorType(Value v);
/// Checks that the node has at least `count` non-omitted inputs.
LogicalResult requireInputs(NodeContext &ctx, size_t count);
/// Returns input `index`, or null when the node omits it (an empty name or
/// fewer inputs).
Value getOptionalInput(const NodeContext &ctx, unsigned index);
/// Builds a graph.reshape of `input` to `shape` (sizes or kDynamic; at most
/// one dynamic).
FailureOr<Value> buildReshape(NodeContext &ctx, Value input,
                              ArrayRef<int64_t> shape);
/// Builds graph.matmul of `lhs` by `rhs` (numpy matmul), with the element
/// type of `lhs` and the shape refined by ONNX's inferred output type.
FailureOr<Value> buildMatMul(NodeContext &ctx, Value lhs, Value rhs);
/// Returns the integer values of `v` if it is an integer graph.constant.
std::optional<SmallVector<int64_t>> getConstantInts(Value v);

/// Folds the op defining `value` with its folder when `value` is an integer
/// tensor computed from constants only (shape arithmetic: exporters compute
/// Reshape targets and Slice bounds from Shape, which with static shapes are
/// known at import, and those inputs must be constants). Returns the folded
/// constant, or `value` when it does not fold.
Value foldShapeArithmetic(NodeContext &ctx, Value value);

/// Applies opset < 7 broadcasting (`broadcast` = 1 with `axis`): returns
/// `rhs` reshaped with trailing 1s so that it aligns at `axis` of `lhs`, or
/// `rhs` itself when the node uses numpy broadcasting.
FailureOr<Value> alignLegacyBroadcast(NodeContext &ctx, Value lhs, Value rhs);

//===----------------------------------------------------------------------===//
// Operator importers outside OnnxOps.cpp
//===----------------------------------------------------------------------===//

/// Imports one node: one value per node output (trailing omitted outputs
/// may be left out), or failure after emitting an error.
using NodeImporter = FailureOr<SmallVector<Value>> (*)(NodeContext &ctx);

// OnnxNnOps.cpp: neural-network operators.
FailureOr<Value> importClip(NodeContext &ctx);
FailureOr<Value> importConv(NodeContext &ctx);
/// Builds graph.conv of `x` by `weight` (plus the optional per-channel
/// `bias`) with the window attributes of `ctx.node` (kernel_shape, strides,
/// pads, dilations, group, auto_pad); the element type is `x`'s, floating
/// point or integer.
FailureOr<Value> buildConv(NodeContext &ctx, Value x, Value weight, Value bias);
/// Imports ConvTranspose as graph.conv_transpose, resolving auto_pad and
/// output_shape into pads and output_padding.
FailureOr<Value> importConvTranspose(NodeContext &ctx);
FailureOr<Value> importBatchNormalization(NodeContext &ctx);
FailureOr<Value> importMaxPool(NodeContext &ctx);
FailureOr<Value> importGlobalAveragePool(NodeContext &ctx);
FailureOr<Value> importReduceMean(NodeContext &ctx);

// OnnxElementwiseOps.cpp: elementwise math, comparisons, logic, casts.
/// Returns nullopt when `node` is not one of the ops OnnxElementwiseOps.cpp
/// imports, else what checkNodeSupport returns.
std::optional<std::string> checkElementwiseSupport(
    const onnx::NodeProto &node, int64_t opset,
    llvm::function_ref<int32_t(const std::string &)> dataTypeOf);
/// Returns nullopt when `ctx.node` is not one of the ops
/// OnnxElementwiseOps.cpp imports, else its results.
std::optional<FailureOr<SmallVector<Value>>>
importElementwiseNode(NodeContext &ctx);
/// Imports Clip with integer operands or non-constant bounds as max/min.
FailureOr<Value> importClipAsMaxMin(NodeContext &ctx);
/// Returns true when ONNX says input `index` of the node is unsigned.
bool isUnsignedInput(NodeContext &ctx, unsigned index);
/// Casts `value` to `elementType` with graph.cast (a no-op when it already
/// has it); the flags say whether the source and target integers are
/// unsigned (zero-extended, converted as unsigned).
Value buildCast(NodeContext &ctx, Value value, Type elementType,
                bool inputUnsigned, bool outputUnsigned);

// OnnxQuantOps.cpp: quantization operators.
/// Returns nullopt when `node` is not one of the ops OnnxQuantOps.cpp
/// imports, else what checkNodeSupport returns.
std::optional<std::string>
checkQuantSupport(const onnx::NodeProto &node, int64_t opset,
                  llvm::function_ref<int32_t(const std::string &)> dataTypeOf);
/// Returns the importer of the quantization op `opType`, or null.
NodeImporter lookupQuantImporter(llvm::StringRef opType);

// OnnxRecurrentOps.cpp: RNN, GRU and LSTM, unrolled over the sequence.
/// Returns nullopt when `node` is not RNN, GRU or LSTM, else what
/// checkNodeSupport returns.
std::optional<std::string> checkRecurrentSupport(
    const onnx::NodeProto &node, int64_t opset,
    llvm::function_ref<int32_t(const std::string &)> dataTypeOf);
/// Returns the importer of the recurrent op `opType`, or null.
NodeImporter lookupRecurrentImporter(llvm::StringRef opType);

// OnnxShapeOps.cpp: shape computations and indexing.
FailureOr<Value> importShape(NodeContext &ctx);
FailureOr<Value> importGather(NodeContext &ctx);
FailureOr<Value> importSlice(NodeContext &ctx);
FailureOr<Value> importSqueezeOrUnsqueeze(NodeContext &ctx, bool unsqueeze);
// OnnxTensorOps.cpp: Slice (opset 10+) with run-time bounds or negative
// steps; the result shape is the static output type.
FailureOr<Value> importDynamicSlice(NodeContext &ctx);

// OnnxSequenceOps.cpp: sequence operators.
/// Returns true for the sequence operators Ingot imports (SequenceEmpty,
/// SequenceConstruct, SequenceLength, SequenceInsert, SequenceErase,
/// SequenceAt, ConcatFromSequence, SplitToSequence).
bool isSequenceOp(const onnx::NodeProto &node);
/// Returns why the sequence operator `node` cannot be imported (beyond its
/// inputs' and outputs' dtypes), or an empty string.
std::string checkSequenceSupport(const onnx::NodeProto &node);
/// What a node that takes or makes sequences produces: a sequence or a
/// tensor (every such operator has one output).
struct SequenceResult {
  std::optional<SequenceValue> sequence;
  Value tensor;
};
/// Imports `ctx.node`, a sequence operator or a node with a sequence input
/// (Identity forwards it; other operators get an error).
FailureOr<SequenceResult> importSequenceNode(NodeContext &ctx);
/// Builds a graph.concat of `values` along `axis` (one value: itself).
Value buildConcat(NodeContext &ctx, ArrayRef<Value> values, int64_t axis);

//===----------------------------------------------------------------------===//
// Importers looked up by op type (OnnxTensorOps.cpp, OnnxReductionOps.cpp,
// OnnxPoolOps.cpp, OnnxQuantOps.cpp, OnnxLossOps.cpp, OnnxRecurrentOps.cpp)
//===----------------------------------------------------------------------===//

/// Returns the importer of `node`'s op from the files above, or null when
/// OnnxOps.cpp's table handles it (or nobody does). These take precedence.
NodeImporter lookupExtraImporter(const onnx::NodeProto &node);
/// Returns the reduction and normalization importer of `opType`, or null.
NodeImporter lookupReductionImporter(llvm::StringRef opType);
/// Returns the pooling or resampling importer of `opType`, or null.
NodeImporter lookupPoolImporter(llvm::StringRef opType);
/// Returns the loss importer (OnnxLossOps.cpp) of `opType`, or null.
NodeImporter lookupLossImporter(llvm::StringRef opType);

/// Normalizes `axis` of a tensor of `rank` into [0, rank), or emits an error.
FailureOr<int64_t> normalizeAxis(NodeContext &ctx, int64_t axis, int64_t rank);
/// Builds a graph.constant of the float type `elementType` filled with
/// `value`: rank 0 by default, else of `shape`.
Value buildFloatScalar(NodeContext &ctx, Type elementType, double value,
                       ArrayRef<int64_t> shape = {});
/// Builds graph.reduce of `kind` over the sorted `axes` of `input`.
Value buildReduce(NodeContext &ctx, Value input, llvm::StringRef kind,
                  ArrayRef<int64_t> axes, bool keepdims);
/// Returns the numpy broadcast type of `lhs op rhs` with the element type of
/// `lhs`, or emits an error.
FailureOr<RankedTensorType> getBroadcastType(NodeContext &ctx, Value lhs,
                                             Value rhs);
/// Builds the broadcasting binary graph op `OpTy` (add, sub, mul, div, ...)
/// whose result has the element type of `lhs`.
template <typename OpTy>
FailureOr<Value> buildBroadcastBinary(NodeContext &ctx, Value lhs, Value rhs) {
  FailureOr<RankedTensorType> type = getBroadcastType(ctx, lhs, rhs);
  if (failed(type))
    return failure();
  return ctx.builder.create<OpTy>(ctx.loc, *type, lhs, rhs).getResult();
}
/// Builds an integer graph.constant of `shape` and `elementType`.
Value buildIntConstant(NodeContext &ctx, ArrayRef<int64_t> shape,
                       Type elementType, ArrayRef<int64_t> values);

//===----------------------------------------------------------------------===//
// Run-time checks of shape operands (OnnxRuntimeChecks.cpp)
//===----------------------------------------------------------------------===//

/// Formats a shape as `3x2` ("a scalar" for rank 0).
std::string formatShape(ArrayRef<int64_t> shape);
/// Formats values as `[1, 2]`.
std::string formatList(ArrayRef<int64_t> values);
/// Records `condition` (rank-0 i32, non-zero when the run-time input
/// `inputIndex` agrees with the static shape the importer assumed) as a check
/// result of the function, with the message "node 'N' (Op): input 'x'
/// <requirement> for this module (...)". A null `condition` records nothing.
void addRuntimeCheck(NodeContext &ctx, Value condition, size_t inputIndex,
                     const Twine &requirement);
/// Returns a rank-0 i32: 1 iff every element of the i1 tensor `condition`
/// holds.
Value buildAllTrue(NodeContext &ctx, Value condition);
/// Returns an i1 tensor of the shape of the integer input `inputIndex` (static
/// shape, `allowed.size()` elements in row-major order): entry `i` is one of
/// `allowed[i]` (any value when `allowed[i]` is empty). Emits an error when
/// the input's type cannot match; null for an empty input.
FailureOr<Value> buildEntriesMatch(NodeContext &ctx, size_t inputIndex,
                                   ArrayRef<SmallVector<int64_t>> allowed);
/// Same as above for `operand`, a value standing for input `inputIndex`
/// (a cast of it, say); the index only names the input in errors.
FailureOr<Value> buildEntriesMatch(NodeContext &ctx, Value operand,
                                   size_t inputIndex,
                                   ArrayRef<SmallVector<int64_t>> allowed);
/// Returns a rank-0 i32 condition: `ok` (from buildEntriesMatch on
/// `operand`) holds everywhere and at most one entry of `operand` is
/// `wildcard`, computed with a single reduction.
Value buildMatchWithSingleWildcard(NodeContext &ctx, Value ok, Value operand,
                                   int64_t wildcard);
/// Returns a rank-0 i32 condition: every entry `i` of the integer input
/// `inputIndex` (static shape, `allowed.size()` elements in row-major order)
/// is one of `allowed[i]` (any value when `allowed[i]` is empty). Emits an
/// error when the input's type cannot match; null for an empty input.
FailureOr<Value> buildEntriesCheck(NodeContext &ctx, size_t inputIndex,
                                   ArrayRef<SmallVector<int64_t>> allowed);
/// Same as above for `operand`, a value standing for input `inputIndex`
/// (a cast of it, say); the index only names the input in errors.
FailureOr<Value> buildEntriesCheck(NodeContext &ctx, Value operand,
                                   size_t inputIndex,
                                   ArrayRef<SmallVector<int64_t>> allowed);
/// Checks at run time that Slice's run-time starts and ends (inputs 1 and
/// 2), with `axes` and `steps` (1-D, as many entries; constants when the node
/// omits them), slice `type` to `outShape` under ONNX's rules.
LogicalResult checkRuntimeSlice(NodeContext &ctx, RankedTensorType type,
                                ArrayRef<int64_t> outShape, Value axes,
                                Value steps);
/// Returns a rank-0 i32 condition: the entries of the 1-D integer input
/// `inputIndex` (axes of a tensor of `rank`, each in `[-rank, rank)`) are
/// distinct axes forming a set that `isValid` accepts. Enumerates the sets
/// statically; emits an error when there are too many or none. Null for an
/// empty input (no axes: its meaning is static).
FailureOr<Value>
buildAxesCheck(NodeContext &ctx, size_t inputIndex, int64_t rank,
               llvm::function_ref<bool(const llvm::SmallBitVector &)> isValid);

} // namespace mlir::ingot::onnx_import

#endif // INGOT_COMPILER_IMPORT_ONNX_ONNXIMPORTERIMPL_H
