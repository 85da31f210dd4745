//===- OnnxSequenceOps.cpp - ONNX sequence operator importers ---*- C++ -*-===//
//
// Importers of SequenceEmpty, SequenceConstruct, SequenceLength,
// SequenceInsert, SequenceErase, SequenceAt, ConcatFromSequence and
// SplitToSequence.
//
// Sequences live in the importer only (SequenceValue): a list of graph
// tensors whose length is known at import. Constant positions pick elements
// statically. Run-time positions need elements of one type: SequenceInsert
// and SequenceErase select each result element with graph.where on the
// normalized position, SequenceAt stacks the elements and gathers one.
// ONNX makes positions out of range an error; Ingot clamps a run-time one
// into range (a constant one is a compile error).
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/Onnx/OnnxImporterImpl.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::onnx_import;

Value onnx_import::buildConcat(NodeContext &ctx, ArrayRef<Value> values,
                               int64_t axis) {
  if (values.size() == 1)
    return values.front();
  RankedTensorType first = tensorType(values.front());
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  for (Value v : values) {
    int64_t size = tensorType(v).getDimSize(axis);
    shape[axis] =
        ShapedType::isDynamic(size) || ShapedType::isDynamic(shape[axis])
            ? ShapedType::kDynamic
            : shape[axis] + size;
  }
  return ctx.builder.create<graph::ConcatOp>(
      ctx.loc, RankedTensorType::get(shape, first.getElementType()), values,
      ctx.builder.getI64IntegerAttr(axis));
}

namespace {

/// The sequence operators, by op type.
enum class SequenceOp {
  Unknown,
  Empty,
  Construct,
  Length,
  Insert,
  Erase,
  At,
  ConcatFrom,
  SplitTo
};

SequenceOp classifySequenceOp(const onnx::NodeProto &node) {
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return SequenceOp::Unknown;
  return llvm::StringSwitch<SequenceOp>(node.op_type())
      .Case("SequenceEmpty", SequenceOp::Empty)
      .Case("SequenceConstruct", SequenceOp::Construct)
      .Case("SequenceLength", SequenceOp::Length)
      .Case("SequenceInsert", SequenceOp::Insert)
      .Case("SequenceErase", SequenceOp::Erase)
      .Case("SequenceAt", SequenceOp::At)
      .Case("ConcatFromSequence", SequenceOp::ConcatFrom)
      .Case("SplitToSequence", SequenceOp::SplitTo)
      .Default(SequenceOp::Unknown);
}

SequenceResult sequenceResult(SequenceValue sequence) {
  return SequenceResult{std::move(sequence), Value()};
}

SequenceResult tensorResult(Value tensor) {
  return SequenceResult{std::nullopt, tensor};
}

/// Returns the name of input `index`, or "" when the node has fewer inputs.
std::string inputName(NodeContext &ctx, size_t index) {
  return index < static_cast<size_t>(ctx.node.input_size())
             ? ctx.node.input(index)
             : "";
}

/// Returns input `index`, which must be a sequence whose elements are known
/// unless `lengthOnly`.
FailureOr<const SequenceValue *> getSequence(NodeContext &ctx, size_t index,
                                             bool lengthOnly = false) {
  const SequenceValue *sequence =
      index < ctx.sequenceInputs.size() ? ctx.sequenceInputs[index] : nullptr;
  if (!sequence)
    return ctx.emitError() << "input " << index << " ('"
                           << inputName(ctx, index) << "') must be a sequence";
  if (!lengthOnly && !sequence->unknownElements.empty())
    return ctx.emitError() << "the elements of sequence '"
                           << inputName(ctx, index)
                           << "' are not known at compile time ("
                           << sequence->unknownElements
                           << "); only SequenceLength accepts it";
  return sequence;
}

/// Returns input `index`, which must be a tensor.
FailureOr<Value> getTensor(NodeContext &ctx, size_t index) {
  if (index < ctx.sequenceInputs.size() && ctx.sequenceInputs[index])
    return ctx.emitError() << "input " << index << " ('"
                           << inputName(ctx, index) << "') must be a tensor, "
                           << "not a sequence";
  if (index >= ctx.inputs.size() || !ctx.inputs[index])
    return ctx.emitError() << "missing input " << index;
  return ctx.inputs[index];
}

/// Checks that `tensor` may be an element of `sequence`.
LogicalResult checkElementType(NodeContext &ctx, const SequenceValue &sequence,
                               Value tensor) {
  Type elementType = tensorType(tensor).getElementType();
  if (elementType != sequence.elementType)
    return ctx.emitError() << "the tensor's element type " << elementType
                           << " differs from the sequence's "
                           << sequence.elementType;
  return success();
}

/// A position input (SequenceInsert, SequenceErase, SequenceAt).
struct Position {
  /// Whether the node has the input.
  bool present = false;
  /// Its value when it is a constant.
  std::optional<int64_t> constant;
  /// The rank-0 integer tensor of the position.
  Value value;
};

/// Reads the position input `index` (a one-element integer tensor).
FailureOr<Position> getPosition(NodeContext &ctx, size_t index) {
  Position position;
  if (index >= ctx.inputs.size() || !ctx.inputs[index]) {
    // A sequence is not a position: getTensor reports it.
    if (index < ctx.sequenceInputs.size() && ctx.sequenceInputs[index] &&
        failed(getTensor(ctx, index)))
      return failure();
    return position;
  }
  Value value = ctx.inputs[index];
  RankedTensorType type = tensorType(value);
  if (!isa<IntegerType>(type.getElementType()) || !type.hasStaticShape() ||
      type.getNumElements() != 1)
    return ctx.emitError() << "the position must be one integer, got " << type;
  position.present = true;
  if (std::optional<SmallVector<int64_t>> values = getConstantInts(value))
    position.constant = values->front();
  if (type.getRank() != 0) {
    FailureOr<Value> scalar = buildReshape(ctx, value, {});
    if (failed(scalar))
      return failure();
    value = *scalar;
  }
  position.value = value;
  return position;
}

/// Resolves a constant position of a sequence of `length` elements: in
/// [-length, length] when `allowEnd` (an insertion point), else in
/// [-length, length - 1]; negative positions count from the back.
FailureOr<int64_t> resolvePosition(NodeContext &ctx, int64_t position,
                                   int64_t length, bool allowEnd) {
  int64_t limit = allowEnd ? length : length - 1;
  int64_t resolved = position < 0 ? position + length : position;
  if (resolved < 0 || resolved > limit)
    return ctx.emitError() << "position " << position
                           << " is out of range for a sequence of " << length
                           << " element" << (length == 1 ? "" : "s")
                           << " (expected " << -length << " to " << limit
                           << ")";
  return resolved;
}

/// Checks that `values` (the elements a run-time position selects among)
/// have one type.
LogicalResult checkUniformTypes(NodeContext &ctx, ArrayRef<Value> values) {
  for (Value v : values)
    if (v.getType() != values.front().getType())
      return ctx.emitError()
             << "sequence elements have different shapes ("
             << values.front().getType() << " and " << v.getType()
             << "); the position must be a constant";
  return success();
}

/// Builds a rank-0 integer constant of the position's type.
Value positionConstant(NodeContext &ctx, const Position &position,
                       int64_t value) {
  return buildIntConstant(ctx, {}, tensorType(position.value).getElementType(),
                          {value});
}

/// Builds the rank-0 comparison `OpTy(lhs, rhs)`.
template <typename OpTy>
Value buildCompare(NodeContext &ctx, Value lhs, Value rhs) {
  auto type = RankedTensorType::get({}, ctx.builder.getI1Type());
  return ctx.builder.create<OpTy>(ctx.loc, type, lhs, rhs,
                                  /*is_unsigned=*/false);
}

/// Builds `condition ? lhs : rhs` for tensors of one type.
Value buildSelect(NodeContext &ctx, Value condition, Value lhs, Value rhs) {
  return ctx.builder.create<graph::WhereOp>(ctx.loc, lhs.getType(), condition,
                                            lhs, rhs);
}

/// Builds the run-time position normalized for a sequence of `length`
/// elements (a negative one plus `length`) and clamped to [0, `limit`].
Value buildNormalizedPosition(NodeContext &ctx, const Position &position,
                              int64_t length, int64_t limit) {
  OpBuilder &b = ctx.builder;
  Value p = position.value;
  Type type = p.getType();
  Value zero = positionConstant(ctx, position, 0);
  Value wrapped = b.create<graph::AddOp>(
      ctx.loc, type, p, positionConstant(ctx, position, length));
  p = buildSelect(ctx, buildCompare<graph::LessOp>(ctx, p, zero), wrapped, p);
  p = b.create<graph::MinOp>(ctx.loc, type, p,
                             positionConstant(ctx, position, limit),
                             /*is_unsigned=*/false);
  return b.create<graph::MaxOp>(ctx.loc, type, p, zero, /*is_unsigned=*/false);
}

/// Builds `value` with a new dimension of size 1 at `axis`.
FailureOr<Value> buildUnsqueeze(NodeContext &ctx, Value value, int64_t axis) {
  SmallVector<int64_t> shape(tensorType(value).getShape());
  shape.insert(shape.begin() + axis, 1);
  return buildReshape(ctx, value, shape);
}

FailureOr<SequenceResult> importSequenceEmpty(NodeContext &ctx) {
  int64_t dataType = getInt(ctx.node, "dtype", onnx::TensorProto::FLOAT);
  Type elementType = getElementType(ctx.builder.getContext(), dataType);
  if (!elementType)
    return ctx.emitError() << "unsupported dtype " << getDataTypeName(dataType);
  return sequenceResult(SequenceValue{elementType, {}, "", 0});
}

FailureOr<SequenceResult> importSequenceConstruct(NodeContext &ctx) {
  if (ctx.inputs.empty())
    return ctx.emitError() << "expected at least one input";
  SequenceValue sequence;
  for (size_t i = 0; i < ctx.inputs.size(); ++i) {
    FailureOr<Value> tensor = getTensor(ctx, i);
    if (failed(tensor))
      return failure();
    if (i == 0)
      sequence.elementType = tensorType(*tensor).getElementType();
    else if (failed(checkElementType(ctx, sequence, *tensor)))
      return failure();
    sequence.elements.push_back(*tensor);
  }
  return sequenceResult(std::move(sequence));
}

FailureOr<SequenceResult> importSequenceLength(NodeContext &ctx) {
  FailureOr<const SequenceValue *> sequence =
      getSequence(ctx, 0, /*lengthOnly=*/true);
  if (failed(sequence))
    return failure();
  return tensorResult(buildIntConstant(ctx, {}, ctx.builder.getI64Type(),
                                       {(*sequence)->size()}));
}

FailureOr<SequenceResult> importSequenceInsert(NodeContext &ctx) {
  FailureOr<const SequenceValue *> input = getSequence(ctx, 0);
  if (failed(input))
    return failure();
  FailureOr<Value> tensor = getTensor(ctx, 1);
  if (failed(tensor) || failed(checkElementType(ctx, **input, *tensor)))
    return failure();
  FailureOr<Position> position = getPosition(ctx, 2);
  if (failed(position))
    return failure();
  ArrayRef<Value> elements = (*input)->elements;
  int64_t length = elements.size();
  SequenceValue result{(*input)->elementType, {}, "", 0};
  if (!position->present || position->constant) {
    int64_t at = length;
    if (position->constant) {
      FailureOr<int64_t> resolved =
          resolvePosition(ctx, *position->constant, length, /*allowEnd=*/true);
      if (failed(resolved))
        return failure();
      at = *resolved;
    }
    result.elements.assign(elements.begin(), elements.end());
    result.elements.insert(result.elements.begin() + at, *tensor);
    return sequenceResult(std::move(result));
  }
  SmallVector<Value> all(elements);
  all.push_back(*tensor);
  if (failed(checkUniformTypes(ctx, all)))
    return failure();
  // Into an empty sequence, the only position is 0.
  if (length == 0) {
    result.elements.push_back(*tensor);
    return sequenceResult(std::move(result));
  }
  // out[i] = i < p ? s[i] : (i == p ? t : s[i - 1]), p in [0, length].
  Value p = buildNormalizedPosition(ctx, *position, length, length);
  for (int64_t i = 0; i <= length; ++i) {
    Value index = positionConstant(ctx, *position, i);
    Value isAt = buildCompare<graph::EqualOp>(ctx, index, p);
    if (i == 0) {
      result.elements.push_back(buildSelect(ctx, isAt, *tensor, elements[0]));
    } else if (i == length) {
      result.elements.push_back(
          buildSelect(ctx, isAt, *tensor, elements[length - 1]));
    } else {
      Value shifted = buildSelect(ctx, isAt, *tensor, elements[i - 1]);
      Value before = buildCompare<graph::LessOp>(ctx, index, p);
      result.elements.push_back(buildSelect(ctx, before, elements[i], shifted));
    }
  }
  return sequenceResult(std::move(result));
}

FailureOr<SequenceResult> importSequenceErase(NodeContext &ctx) {
  FailureOr<const SequenceValue *> input = getSequence(ctx, 0);
  if (failed(input))
    return failure();
  FailureOr<Position> position = getPosition(ctx, 1);
  if (failed(position))
    return failure();
  ArrayRef<Value> elements = (*input)->elements;
  int64_t length = elements.size();
  if (length == 0)
    return ctx.emitError() << "cannot erase from an empty sequence";
  SequenceValue result{(*input)->elementType, {}, "", 0};
  if (!position->present || position->constant) {
    int64_t at = length - 1;
    if (position->constant) {
      FailureOr<int64_t> resolved =
          resolvePosition(ctx, *position->constant, length, /*allowEnd=*/false);
      if (failed(resolved))
        return failure();
      at = *resolved;
    }
    result.elements.assign(elements.begin(), elements.end());
    result.elements.erase(result.elements.begin() + at);
    return sequenceResult(std::move(result));
  }
  if (failed(checkUniformTypes(ctx, elements)))
    return failure();
  // out[i] = i < p ? s[i] : s[i + 1], p in [0, length - 1].
  Value p = buildNormalizedPosition(ctx, *position, length, length - 1);
  for (int64_t i = 0; i + 1 < length; ++i) {
    Value before = buildCompare<graph::LessOp>(
        ctx, positionConstant(ctx, *position, i), p);
    result.elements.push_back(
        buildSelect(ctx, before, elements[i], elements[i + 1]));
  }
  return sequenceResult(std::move(result));
}

FailureOr<SequenceResult> importSequenceAt(NodeContext &ctx) {
  FailureOr<const SequenceValue *> input = getSequence(ctx, 0);
  if (failed(input))
    return failure();
  FailureOr<Position> position = getPosition(ctx, 1);
  if (failed(position))
    return failure();
  if (!position->present)
    return ctx.emitError() << "missing input 1 (the position)";
  ArrayRef<Value> elements = (*input)->elements;
  int64_t length = elements.size();
  if (length == 0)
    return ctx.emitError() << "the sequence is empty";
  OpBuilder &b = ctx.builder;
  if (position->constant) {
    FailureOr<int64_t> at = resolvePosition(ctx, *position->constant, length,
                                            /*allowEnd=*/false);
    if (failed(at))
      return failure();
    return tensorResult(b.create<graph::IdentityOp>(ctx.loc, elements[*at]));
  }
  if (failed(checkUniformTypes(ctx, elements)))
    return failure();
  // Stack the elements and gather one: graph.gather counts negative
  // indices from the back and clamps the rest into range.
  SmallVector<Value> stacked;
  for (Value element : elements) {
    FailureOr<Value> unsqueezed = buildUnsqueeze(ctx, element, 0);
    if (failed(unsqueezed))
      return failure();
    stacked.push_back(*unsqueezed);
  }
  Value data = buildConcat(ctx, stacked, 0);
  return tensorResult(b.create<graph::GatherOp>(ctx.loc, elements[0].getType(),
                                                data, position->value,
                                                b.getI64IntegerAttr(0)));
}

FailureOr<SequenceResult> importConcatFromSequence(NodeContext &ctx) {
  FailureOr<const SequenceValue *> input = getSequence(ctx, 0);
  if (failed(input))
    return failure();
  ArrayRef<Value> elements = (*input)->elements;
  if (elements.empty())
    return ctx.emitError() << "cannot concatenate an empty sequence";
  if (!findAttr(ctx.node, "axis"))
    return ctx.emitError() << "missing attribute 'axis'";
  bool newAxis = getInt(ctx.node, "new_axis", 0) != 0;
  RankedTensorType first = tensorType(elements.front());
  int64_t rank = first.getRank();
  FailureOr<int64_t> axis =
      normalizeAxis(ctx, getInt(ctx.node, "axis", 0), rank + (newAxis ? 1 : 0));
  if (failed(axis))
    return failure();
  SmallVector<Value> parts;
  for (Value element : elements) {
    RankedTensorType type = tensorType(element);
    bool compatible = type.getRank() == rank;
    for (int64_t d = 0; compatible && d < rank; ++d)
      compatible = (!newAxis && d == *axis) ||
                   ShapedType::isDynamic(type.getDimSize(d)) ||
                   ShapedType::isDynamic(first.getDimSize(d)) ||
                   type.getDimSize(d) == first.getDimSize(d);
    if (!compatible)
      return ctx.emitError() << "cannot concatenate " << first << " and "
                             << type << " along axis " << *axis;
    if (!newAxis) {
      parts.push_back(element);
      continue;
    }
    FailureOr<Value> unsqueezed = buildUnsqueeze(ctx, element, *axis);
    if (failed(unsqueezed))
      return failure();
    parts.push_back(*unsqueezed);
  }
  Value result = buildConcat(ctx, parts, *axis);
  if (result == elements.front())
    result = ctx.builder.create<graph::IdentityOp>(ctx.loc, result);
  return tensorResult(result);
}

FailureOr<SequenceResult> importSplitToSequence(NodeContext &ctx) {
  FailureOr<Value> x = getTensor(ctx, 0);
  if (failed(x))
    return failure();
  RankedTensorType type = tensorType(*x);
  FailureOr<int64_t> axis =
      normalizeAxis(ctx, getInt(ctx.node, "axis", 0), type.getRank());
  if (failed(axis))
    return failure();
  Value split = getOptionalInput(ctx, 1);
  if (!split && ctx.sequenceInputs.size() > 1 && ctx.sequenceInputs[1] &&
      failed(getTensor(ctx, 1)))
    return failure();
  std::optional<SmallVector<int64_t>> sizes;
  bool scalarSplit = false;
  if (split) {
    RankedTensorType splitType = tensorType(split);
    if (!isa<IntegerType>(splitType.getElementType()) ||
        splitType.getRank() > 1)
      return ctx.emitError()
             << "the split must be an integer scalar or 1-D tensor, got "
             << splitType;
    scalarSplit = splitType.getRank() == 0;
    sizes = getConstantInts(split);
    if (!sizes) {
      // Run-time sizes: a 1-D split of static length still fixes the
      // length, which is all SequenceLength needs.
      if (scalarSplit || splitType.isDynamicDim(0))
        return ctx.emitError() << "the split input '" << inputName(ctx, 1)
                               << "' must be a constant";
      SequenceValue sequence{type.getElementType(), {}, "", 0};
      sequence.unknownElements = "the split input '" + inputName(ctx, 1) +
                                 "' of node '" + ctx.name +
                                 "' is not a constant";
      sequence.unknownLength = splitType.getDimSize(0);
      return sequenceResult(std::move(sequence));
    }
  }
  if (!type.hasStaticShape())
    return ctx.emitError() << "only inputs of static shape are supported, got "
                           << type;
  int64_t size = type.getDimSize(*axis);
  bool squeeze = false;
  SmallVector<int64_t> parts;
  if (!sizes) {
    // Chunks of 1; keepdims = 0 drops the axis.
    parts.assign(size, 1);
    squeeze = getInt(ctx.node, "keepdims", 1) == 0;
  } else if (scalarSplit) {
    int64_t chunk = sizes->front();
    if (chunk <= 0)
      return ctx.emitError() << "the split must be positive, got " << chunk;
    for (int64_t left = size; left > 0; left -= chunk)
      parts.push_back(std::min(chunk, left));
  } else {
    int64_t total = 0;
    for (int64_t part : *sizes) {
      if (part < 0)
        return ctx.emitError() << "negative split size " << part;
      total += part;
    }
    if (total != size)
      return ctx.emitError()
             << "split sizes add up to " << total << ", the axis has " << size;
    parts = *sizes;
  }
  OpBuilder &b = ctx.builder;
  SequenceValue sequence{type.getElementType(), {}, "", 0};
  int64_t offset = 0;
  for (int64_t part : parts) {
    SmallVector<int64_t> starts(type.getRank(), 0), steps(type.getRank(), 1);
    SmallVector<int64_t> shape(type.getShape());
    starts[*axis] = offset;
    shape[*axis] = part;
    offset += part;
    Value slice = b.create<graph::SliceOp>(
        ctx.loc, RankedTensorType::get(shape, type.getElementType()), *x,
        b.getDenseI64ArrayAttr(starts), b.getDenseI64ArrayAttr(steps));
    if (squeeze) {
      shape.erase(shape.begin() + *axis);
      FailureOr<Value> squeezed = buildReshape(ctx, slice, shape);
      if (failed(squeezed))
        return failure();
      slice = *squeezed;
    }
    sequence.elements.push_back(slice);
  }
  return sequenceResult(std::move(sequence));
}

} // namespace

bool onnx_import::isSequenceOp(const onnx::NodeProto &node) {
  return classifySequenceOp(node) != SequenceOp::Unknown;
}

std::string onnx_import::checkSequenceSupport(const onnx::NodeProto &node) {
  if (classifySequenceOp(node) == SequenceOp::Empty) {
    int64_t dataType = getInt(node, "dtype", onnx::TensorProto::FLOAT);
    if (!isSupportedDataType(dataType))
      return "unsupported dtype " + getDataTypeName(dataType) +
             " of attribute dtype";
  }
  return "";
}

FailureOr<SequenceResult> onnx_import::importSequenceNode(NodeContext &ctx) {
  switch (classifySequenceOp(ctx.node)) {
  case SequenceOp::Empty:
    return importSequenceEmpty(ctx);
  case SequenceOp::Construct:
    return importSequenceConstruct(ctx);
  case SequenceOp::Length:
    return importSequenceLength(ctx);
  case SequenceOp::Insert:
    return importSequenceInsert(ctx);
  case SequenceOp::Erase:
    return importSequenceErase(ctx);
  case SequenceOp::At:
    return importSequenceAt(ctx);
  case SequenceOp::ConcatFrom:
    return importConcatFromSequence(ctx);
  case SequenceOp::SplitTo:
    return importSplitToSequence(ctx);
  case SequenceOp::Unknown:
    break;
  }
  // Identity passes a sequence through.
  if ((ctx.node.domain().empty() || ctx.node.domain() == "ai.onnx") &&
      ctx.node.op_type() == "Identity" && ctx.sequenceInputs.size() == 1 &&
      ctx.sequenceInputs[0])
    return sequenceResult(*ctx.sequenceInputs[0]);
  for (auto [index, sequence] : llvm::enumerate(ctx.sequenceInputs))
    if (sequence)
      return ctx.emitError()
             << "input '" << inputName(ctx, index)
             << "' is a sequence; Ingot imports sequences only as inputs of "
                "SequenceAt, SequenceLength, SequenceInsert, SequenceErase, "
                "ConcatFromSequence and Identity";
  return ctx.emitError() << "not a sequence operator";
}
