//===- OnnxTensorOps.cpp - ONNX data movement importers ---------*- C++ -*-===//
//
// Importers of Concat, Split, Expand, Tile, ConstantOfShape, Pad, Size,
// DepthToSpace, SpaceToDepth, Trilu, GatherElements, Dropout, EyeLike,
// Range, OneHot and Slice with run-time bounds, and the lookup of the
// importers that live outside OnnxOps.cpp.
//
// Shape-like inputs (Expand's shape, Tile's repeats, ConstantOfShape's
// shape, ...) must be constants or fold to constants at import; when they
// are computed at run time, the result shape comes from the static type ONNX
// declares or infers for the output, and a run-time check
// (OnnxRuntimeChecks.cpp) makes sure the values agree with it.
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/Onnx/OnnxImporterImpl.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::onnx_import;

namespace {

/// Wraps one value as the result list of a single-output node.
SmallVector<Value> single(Value v) { return SmallVector<Value>{v}; }

/// Returns the static type ONNX gave output `index`, or null.
RankedTensorType staticInferred(NodeContext &ctx, size_t index = 0) {
  RankedTensorType type = index < ctx.inferredTypes.size()
                              ? ctx.inferredTypes[index]
                              : RankedTensorType();
  return type && type.hasStaticShape() ? type : RankedTensorType();
}

/// Emits the error for a shape-like input that is neither constant nor
/// restated by a static output type.
InFlightDiagnostic emitNotConstant(NodeContext &ctx, size_t index) {
  return ctx.emitError() << "the input '" << ctx.node.input(index)
                         << "' must be a constant (or the output type "
                            "static)";
}

FailureOr<SmallVector<Value>> importConcat(NodeContext &ctx) {
  if (ctx.inputs.empty() ||
      llvm::any_of(ctx.inputs, [](Value v) { return !v; }))
    return ctx.emitError() << "expected at least one input";
  RankedTensorType first = tensorType(ctx.inputs[0]);
  int64_t rank = first.getRank();
  FailureOr<int64_t> axis =
      normalizeAxis(ctx, getInt(ctx.node, "axis", ctx.opset < 4 ? 1 : 0), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(first.getShape());
  shape[*axis] = 0;
  for (Value input : ctx.inputs) {
    RankedTensorType type = tensorType(input);
    if (type.getRank() != rank ||
        type.getElementType() != first.getElementType())
      return ctx.emitError()
             << "inputs differ in rank or element type: " << first << " and "
             << type;
    int64_t size = type.getDimSize(*axis);
    shape[*axis] =
        ShapedType::isDynamic(size) || ShapedType::isDynamic(shape[*axis])
            ? ShapedType::kDynamic
            : shape[*axis] + size;
  }
  auto resultType = refine(shape, first.getElementType(), ctx.inferredTypes[0]);
  // Concatenations of 1-D integer constants (shape computations) fold.
  if (rank == 1 && isa<IntegerType>(first.getElementType())) {
    SmallVector<int64_t> values;
    bool allConstant = true;
    for (Value input : ctx.inputs) {
      std::optional<SmallVector<int64_t>> v = getConstantInts(input);
      if (!v) {
        allConstant = false;
        break;
      }
      llvm::append_range(values, *v);
    }
    if (allConstant)
      return single(buildIntConstant(ctx, {static_cast<int64_t>(values.size())},
                                     first.getElementType(), values));
  }
  if (ctx.inputs.size() == 1)
    return single(
        ctx.builder.create<graph::IdentityOp>(ctx.loc, ctx.inputs[0]));
  return single(ctx.builder.create<graph::ConcatOp>(
      ctx.loc, resultType, ctx.inputs, ctx.builder.getI64IntegerAttr(*axis)));
}

FailureOr<SmallVector<Value>> importSplit(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  if (!type.hasStaticShape())
    return ctx.emitError() << "only inputs of static shape are supported, got "
                           << type;
  FailureOr<int64_t> axis =
      normalizeAxis(ctx, getInt(ctx.node, "axis", 0), type.getRank());
  if (failed(axis))
    return failure();
  int64_t size = type.getDimSize(*axis);
  int64_t count = ctx.node.output_size();
  std::optional<SmallVector<int64_t>> split;
  if (ctx.opset < 13) {
    split = getInts(ctx.node, "split");
  } else if (getOptionalInput(ctx, 1)) {
    split = getConstantInts(ctx.inputs[1]);
    if (!split) {
      // Run-time sizes restate the static declared output types.
      split.emplace();
      for (int64_t i = 0; i < count; ++i) {
        RankedTensorType inferred = staticInferred(ctx, i);
        if (!inferred || inferred.getRank() != type.getRank())
          return emitNotConstant(ctx, 1);
        split->push_back(inferred.getDimSize(*axis));
      }
      SmallVector<SmallVector<int64_t>> allowed;
      for (int64_t part : *split)
        allowed.push_back({part});
      FailureOr<Value> condition = buildEntriesCheck(ctx, 1, allowed);
      if (failed(condition))
        return failure();
      addRuntimeCheck(ctx, *condition, 1, "must be " + formatList(*split));
    }
  }
  if (split && split->empty())
    split.reset();
  if (!split) {
    // Equal parts (the last one smaller when the size does not divide).
    int64_t part = (size + count - 1) / count;
    split.emplace();
    for (int64_t i = 0, left = size; i < count; ++i, left -= part)
      split->push_back(std::clamp<int64_t>(left, 0, part));
  }
  if (static_cast<int64_t>(split->size()) != count)
    return ctx.emitError() << "split has " << split->size() << " entries for "
                           << count << " outputs";
  int64_t total = 0;
  for (int64_t part : *split) {
    if (part < 0)
      return ctx.emitError() << "negative split size " << part;
    total += part;
  }
  if (total != size)
    return ctx.emitError() << "split sizes add up to " << total
                           << ", the axis has " << size;
  SmallVector<Value> results;
  int64_t offset = 0;
  OpBuilder &b = ctx.builder;
  for (int64_t part : *split) {
    SmallVector<int64_t> starts(type.getRank(), 0), steps(type.getRank(), 1);
    SmallVector<int64_t> shape(type.getShape());
    starts[*axis] = offset;
    shape[*axis] = part;
    offset += part;
    results.push_back(b.create<graph::SliceOp>(
        ctx.loc, RankedTensorType::get(shape, type.getElementType()), x,
        b.getDenseI64ArrayAttr(starts), b.getDenseI64ArrayAttr(steps)));
  }
  return results;
}

/// Checks at run time that Expand's shape input broadcasts `type` to
/// `outShape`: each entry equals the output size it aligns with, or is 1
/// where the input size already equals it.
LogicalResult checkRuntimeExpand(NodeContext &ctx, RankedTensorType type,
                                 ArrayRef<int64_t> outShape) {
  RankedTensorType shapeType = tensorType(ctx.inputs[1]);
  int64_t count = shapeType.hasStaticShape() ? shapeType.getNumElements() : -1;
  int64_t outRank = outShape.size(), inRank = type.getRank();
  if (!type.hasStaticShape() || count < 0 || std::max(inRank, count) != outRank)
    return ctx.emitError() << "cannot check the run-time shape input '"
                           << ctx.node.input(1) << "' (" << shapeType
                           << ") against the static expansion of " << type
                           << " to " << formatShape(outShape);
  SmallVector<SmallVector<int64_t>> allowed;
  for (int64_t i = 0; i < count; ++i) {
    int64_t j = outRank - count + i;    // Output dim.
    int64_t k = j - (outRank - inRank); // Input dim, if any.
    SmallVector<int64_t> values = {outShape[j]};
    if (k >= 0 && type.getDimSize(k) == outShape[j] && outShape[j] != 1)
      values.push_back(1);
    allowed.push_back(values);
  }
  FailureOr<Value> condition = buildEntriesCheck(ctx, 1, allowed);
  if (failed(condition))
    return failure();
  addRuntimeCheck(ctx, *condition, 1,
                  "must expand " + formatShape(type.getShape()) + " to " +
                      formatShape(outShape));
  return success();
}

FailureOr<SmallVector<Value>> importExpand(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  SmallVector<int64_t> shape;
  if (std::optional<SmallVector<int64_t>> target =
          getConstantInts(ctx.inputs[1])) {
    if (!graph::broadcastShapes(type.getShape(), *target, shape))
      return ctx.emitError() << "cannot expand " << type << " to the shape";
  } else if (RankedTensorType inferred = staticInferred(ctx)) {
    shape.assign(inferred.getShape().begin(), inferred.getShape().end());
    if (failed(checkRuntimeExpand(ctx, type, shape)))
      return failure();
  } else {
    return emitNotConstant(ctx, 1);
  }
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  if (!resultType.hasStaticShape())
    return ctx.emitError() << "only static result shapes are supported, got "
                           << resultType;
  if (resultType == type)
    return single(ctx.builder.create<graph::IdentityOp>(ctx.loc, x));
  return single(ctx.builder.create<graph::ExpandOp>(ctx.loc, resultType, x));
}

FailureOr<SmallVector<Value>> importTile(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  if (!type.hasStaticShape())
    return ctx.emitError() << "only inputs of static shape are supported, got "
                           << type;
  SmallVector<int64_t> shape;
  if (std::optional<SmallVector<int64_t>> repeats =
          getConstantInts(ctx.inputs[1])) {
    if (static_cast<int64_t>(repeats->size()) != type.getRank())
      return ctx.emitError() << "repeats has " << repeats->size()
                             << " entries for rank " << type.getRank();
    for (auto [size, repeat] : llvm::zip(type.getShape(), *repeats)) {
      if (repeat < 0)
        return ctx.emitError() << "negative repeat " << repeat;
      shape.push_back(size * repeat);
    }
  } else if (RankedTensorType inferred = staticInferred(ctx)) {
    shape.assign(inferred.getShape().begin(), inferred.getShape().end());
    // Run-time repeats must be output / input (any count for empty dims).
    if (inferred.getRank() != type.getRank())
      return ctx.emitError()
             << "the output type " << inferred << " does not tile " << type;
    SmallVector<SmallVector<int64_t>> allowed;
    SmallVector<int64_t> repeats;
    for (auto [in, out] : llvm::zip(type.getShape(), shape)) {
      if (in == 0) {
        allowed.emplace_back();
        repeats.push_back(0);
        continue;
      }
      if (out % in != 0)
        return ctx.emitError()
               << "the output type " << inferred << " does not tile " << type;
      allowed.push_back({out / in});
      repeats.push_back(out / in);
    }
    FailureOr<Value> condition = buildEntriesCheck(ctx, 1, allowed);
    if (failed(condition))
      return failure();
    addRuntimeCheck(ctx, *condition, 1,
                    "must be " + formatList(repeats) + " (tiling " +
                        formatShape(type.getShape()) + " to " +
                        formatShape(shape) + ")");
  } else {
    return emitNotConstant(ctx, 1);
  }
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return single(ctx.builder.create<graph::TileOp>(ctx.loc, resultType, x));
}

FailureOr<SmallVector<Value>> importConstantOfShape(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  MLIRContext *context = ctx.builder.getContext();
  SmallVector<int64_t> shape;
  if (std::optional<SmallVector<int64_t>> target =
          getConstantInts(ctx.inputs[0])) {
    shape = *target;
  } else if (RankedTensorType inferred = staticInferred(ctx)) {
    shape.assign(inferred.getShape().begin(), inferred.getShape().end());
    SmallVector<SmallVector<int64_t>> allowed;
    for (int64_t size : shape)
      allowed.push_back({size});
    FailureOr<Value> condition = buildEntriesCheck(ctx, 0, allowed);
    if (failed(condition))
      return failure();
    addRuntimeCheck(ctx, *condition, 0, "must be " + formatList(shape));
  } else {
    return emitNotConstant(ctx, 0);
  }
  if (llvm::any_of(shape, [](int64_t s) { return s < 0; }))
    return ctx.emitError() << "negative size in the shape";
  DenseElementsAttr value;
  if (const onnx::AttributeProto *attr = findAttr(ctx.node, "value")) {
    std::string error;
    value = convertTensor(context, attr->t(), error);
    if (!value)
      return ctx.emitError() << error;
    if (value.getNumElements() != 1)
      return ctx.emitError() << "value must have one element";
  } else {
    value = DenseElementsAttr::get(
        RankedTensorType::get({1}, ctx.builder.getF32Type()), 0.0f);
  }
  auto type = RankedTensorType::get(shape, value.getElementType());
  return single(ctx.builder.create<graph::ConstantOp>(
      ctx.loc, DenseElementsAttr::get(type, value.getSplatValue<Attribute>())));
}

FailureOr<SmallVector<Value>> importPad(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  int64_t rank = type.getRank();
  std::string mode = "constant";
  if (const onnx::AttributeProto *attr = findAttr(ctx.node, "mode"))
    mode = attr->s();
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return ctx.emitError() << "unsupported mode '" << mode << "'";
  SmallVector<int64_t> pads;
  double value = 0.0;
  if (ctx.opset < 11) {
    pads = getInts(ctx.node, ctx.opset < 2 ? "paddings" : "pads")
               .value_or(SmallVector<int64_t>());
    value = getFloat(ctx.node, "value", 0.0f);
  } else {
    if (failed(requireInputs(ctx, 2)))
      return failure();
    std::optional<SmallVector<int64_t>> p = getConstantInts(ctx.inputs[1]);
    if (!p)
      return ctx.emitError() << "the pads input '" << ctx.node.input(1)
                             << "' must be a constant";
    pads = *p;
    if (getOptionalInput(ctx, 2)) {
      auto constant = ctx.inputs[2].getDefiningOp<graph::ConstantOp>();
      auto elements = constant
                          ? dyn_cast<DenseElementsAttr>(constant.getValue())
                          : DenseElementsAttr();
      if (!elements || elements.getNumElements() != 1)
        return ctx.emitError()
               << "the constant_value input '" << ctx.node.input(2)
               << "' must be a one-element constant";
      if (isa<FloatType>(elements.getElementType()))
        value = (*elements.getValues<APFloat>().begin()).convertToDouble();
      else
        value = static_cast<double>(
            (*elements.getValues<APInt>().begin()).getSExtValue());
    }
  }
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return ctx.emitError() << "expected " << 2 * rank << " pads, got "
                           << pads.size();
  // Negative pads crop: a slice first, then the non-negative padding.
  SmallVector<int64_t> starts(rank, 0), steps(rank, 1);
  SmallVector<int64_t> cropped(type.getShape());
  bool crop = false;
  for (int64_t i = 0; i < rank; ++i) {
    for (int64_t side : {i, i + rank}) {
      if (pads[side] >= 0)
        continue;
      if (ShapedType::isDynamic(type.getDimSize(i)))
        return ctx.emitError() << "negative pads need static sizes";
      crop = true;
      cropped[i] += pads[side];
      if (side == i)
        starts[i] = -pads[side];
      pads[side] = 0;
    }
    if (!ShapedType::isDynamic(cropped[i]) && cropped[i] < 0)
      return ctx.emitError() << "pads crop more than dim " << i << " holds";
  }
  OpBuilder &b = ctx.builder;
  if (crop)
    x = b.create<graph::SliceOp>(
        ctx.loc, RankedTensorType::get(cropped, type.getElementType()), x,
        b.getDenseI64ArrayAttr(starts), b.getDenseI64ArrayAttr(steps));
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i)
    shape.push_back(ShapedType::isDynamic(cropped[i])
                        ? cropped[i]
                        : cropped[i] + pads[i] + pads[i + rank]);
  for (int64_t i = 0; i < rank; ++i) {
    int64_t size = cropped[i];
    if (mode == "reflect" && !ShapedType::isDynamic(size) &&
        (pads[i] >= size || pads[i + rank] >= size))
      return ctx.emitError() << "reflect pads of dim " << i
                             << " must be smaller than its size " << size;
    if (mode == "edge" && size == 0 && pads[i] + pads[i + rank] > 0)
      return ctx.emitError() << "cannot edge-pad the empty dim " << i;
  }
  return single(b.create<graph::PadOp>(
      ctx.loc, RankedTensorType::get(shape, type.getElementType()), x,
      b.getStringAttr(mode), b.getDenseI64ArrayAttr(pads),
      b.getF64FloatAttr(value)));
}

FailureOr<SmallVector<Value>> importSize(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType type = tensorType(ctx.inputs[0]);
  if (!type.hasStaticShape())
    return ctx.emitError() << "only inputs of static shape are supported, got "
                           << type;
  return single(buildIntConstant(ctx, {}, ctx.builder.getI64Type(),
                                 {type.getNumElements()}));
}

/// DepthToSpace and SpaceToDepth as reshape, transpose, reshape.
FailureOr<SmallVector<Value>> importDepthSpace(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  if (type.getRank() != 4 || !type.hasStaticShape())
    return ctx.emitError() << "expected a static 4-D input, got " << type;
  int64_t block = getInt(ctx.node, "blocksize", 0);
  if (block < 1)
    return ctx.emitError() << "blocksize must be >= 1";
  int64_t n = type.getDimSize(0), c = type.getDimSize(1),
          h = type.getDimSize(2), w = type.getDimSize(3);
  SmallVector<int64_t> split, perm, merged;
  if (ctx.node.op_type() == "DepthToSpace") {
    if (c % (block * block) != 0)
      return ctx.emitError()
             << "channels " << c << " are not a multiple of blocksize^2";
    int64_t depth = c / (block * block);
    std::string mode = "DCR";
    if (const onnx::AttributeProto *attr = findAttr(ctx.node, "mode"))
      mode = attr->s();
    if (mode == "DCR") {
      split = {n, block, block, depth, h, w};
      perm = {0, 3, 4, 1, 5, 2};
    } else if (mode == "CRD") {
      split = {n, depth, block, block, h, w};
      perm = {0, 1, 4, 2, 5, 3};
    } else {
      return ctx.emitError() << "unsupported mode '" << mode << "'";
    }
    merged = {n, depth, h * block, w * block};
  } else {
    if (h % block != 0 || w % block != 0)
      return ctx.emitError() << "spatial sizes are not multiples of blocksize";
    split = {n, c, h / block, block, w / block, block};
    perm = {0, 3, 5, 1, 2, 4};
    merged = {n, c * block * block, h / block, w / block};
  }
  FailureOr<Value> reshaped = buildReshape(ctx, x, split);
  if (failed(reshaped))
    return failure();
  SmallVector<int64_t> permuted;
  for (int64_t p : perm)
    permuted.push_back(split[p]);
  Value transposed = ctx.builder.create<graph::TransposeOp>(
      ctx.loc, RankedTensorType::get(permuted, type.getElementType()),
      *reshaped, perm);
  FailureOr<Value> result = buildReshape(ctx, transposed, merged);
  if (failed(result))
    return failure();
  return single(*result);
}

FailureOr<SmallVector<Value>> importTrilu(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  if (tensorType(x).getRank() < 2)
    return ctx.emitError() << "expected rank >= 2, got " << x.getType();
  OpBuilder &b = ctx.builder;
  Value k;
  if (getOptionalInput(ctx, 1)) {
    k = ctx.inputs[1];
    RankedTensorType kType = tensorType(k);
    if (kType.getElementType() != b.getI64Type() || !kType.hasStaticShape() ||
        kType.getNumElements() != 1)
      return ctx.emitError() << "k must be one int64, got " << kType;
    if (kType.getRank() != 0) {
      FailureOr<Value> scalar = buildReshape(ctx, k, {});
      if (failed(scalar))
        return failure();
      k = *scalar;
    }
  } else {
    k = buildIntConstant(ctx, {}, b.getI64Type(), {0});
  }
  return single(b.create<graph::TriluOp>(
      ctx.loc, x.getType(), x, k,
      b.getBoolAttr(getInt(ctx.node, "upper", 1) != 0)));
}

FailureOr<SmallVector<Value>> importGatherElements(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  Value data = ctx.inputs[0], indices = ctx.inputs[1];
  RankedTensorType dataType = tensorType(data);
  RankedTensorType indicesType = tensorType(indices);
  if (indicesType.getRank() != dataType.getRank() ||
      !isa<IntegerType>(indicesType.getElementType()))
    return ctx.emitError() << "expected integer indices of the data's rank, "
                              "got "
                           << indicesType;
  FailureOr<int64_t> axis =
      normalizeAxis(ctx, getInt(ctx.node, "axis", 0), dataType.getRank());
  if (failed(axis))
    return failure();
  auto type =
      RankedTensorType::get(indicesType.getShape(), dataType.getElementType());
  return single(ctx.builder.create<graph::GatherElementsOp>(
      ctx.loc, type, data, indices, ctx.builder.getI64IntegerAttr(*axis)));
}

/// Dropout at inference: the identity, and an all-true mask.
FailureOr<SmallVector<Value>> importDropout(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  if (ctx.opset < 7 && getInt(ctx.node, "is_test", 0) == 0)
    return ctx.emitError() << "training mode (is_test = 0) is not supported";
  if (getOptionalInput(ctx, 2)) {
    std::optional<SmallVector<int64_t>> training =
        getConstantInts(ctx.inputs[2]);
    if (!training || training->size() != 1 || training->front() != 0)
      return ctx.emitError() << "training_mode must be a constant false";
  }
  OpBuilder &b = ctx.builder;
  SmallVector<Value> results = {b.create<graph::IdentityOp>(ctx.loc, x)};
  if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty()) {
    RankedTensorType type = tensorType(x);
    if (!type.hasStaticShape())
      return ctx.emitError() << "the mask output needs a static shape";
    // Before opset 10 the mask has the input's type, after it is bool.
    Type maskType = ctx.opset < 10 ? type.getElementType() : b.getI1Type();
    auto maskTensor = RankedTensorType::get(type.getShape(), maskType);
    Attribute one = isa<FloatType>(maskType)
                        ? Attribute(b.getFloatAttr(maskType, 1.0))
                        : Attribute(b.getIntegerAttr(maskType, 1));
    results.push_back(b.create<graph::ConstantOp>(
        ctx.loc, DenseElementsAttr::get(maskTensor, one)));
  }
  return results;
}

/// EyeLike: a constant, since it only depends on the input's shape.
FailureOr<SmallVector<Value>> importEyeLike(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType type = tensorType(ctx.inputs[0]);
  if (type.getRank() != 2 || !type.hasStaticShape())
    return ctx.emitError() << "expected a static 2-D input, got " << type;
  Type elementType = type.getElementType();
  if (const onnx::AttributeProto *attr = findAttr(ctx.node, "dtype")) {
    elementType = getElementType(ctx.builder.getContext(), attr->i());
    if (!elementType)
      return ctx.emitError()
             << "unsupported dtype " << getDataTypeName(attr->i());
  }
  int64_t k = getInt(ctx.node, "k", 0);
  OpBuilder &b = ctx.builder;
  Attribute one = isa<FloatType>(elementType)
                      ? Attribute(b.getFloatAttr(elementType, 1.0))
                      : Attribute(b.getIntegerAttr(elementType, 1));
  Attribute zero = isa<FloatType>(elementType)
                       ? Attribute(b.getFloatAttr(elementType, 0.0))
                       : Attribute(b.getIntegerAttr(elementType, 0));
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < type.getDimSize(0); ++i)
    for (int64_t j = 0; j < type.getDimSize(1); ++j)
      values.push_back(j - i == k ? one : zero);
  auto resultType = RankedTensorType::get(type.getShape(), elementType);
  return single(b.create<graph::ConstantOp>(
      ctx.loc, DenseElementsAttr::get(resultType, values)));
}

/// Builds the binary graph op `OpTy` of two operands of one type.
template <typename OpTy>
Value sameTypeBinary(NodeContext &ctx, Value lhs, Value rhs) {
  return ctx.builder.create<OpTy>(ctx.loc, lhs.getType(), lhs, rhs);
}

/// Checks at run time that Range's start, limit and delta give `length`
/// elements: max(ceil((limit - start) / delta), 0) for floats; for integers
/// (exactly, without division) the last element is before limit and the next
/// one is not.
void checkRuntimeRange(NodeContext &ctx, int64_t length) {
  Value start = ctx.inputs[0], limit = ctx.inputs[1], delta = ctx.inputs[2];
  OpBuilder &b = ctx.builder;
  Location loc = ctx.loc;
  RankedTensorType type = tensorType(start);
  Type elementType = type.getElementType();
  auto boolType = RankedTensorType::get({}, b.getI1Type());
  auto scalar = [&](int64_t value) -> Value {
    if (isa<FloatType>(elementType))
      return buildFloatScalar(ctx, elementType, static_cast<double>(value));
    return buildIntConstant(ctx, {}, elementType, {value});
  };
  Value condition;
  if (isa<FloatType>(elementType)) {
    Value count = b.create<graph::CeilOp>(
        loc, sameTypeBinary<graph::DivOp>(
                 ctx, sameTypeBinary<graph::SubOp>(ctx, limit, start), delta));
    condition =
        length > 0
            ? b.create<graph::EqualOp>(loc, boolType, count, scalar(length))
                  .getResult()
            : b.create<graph::LessOrEqualOp>(loc, boolType, count, scalar(0))
                  .getResult();
  } else {
    Value up = b.create<graph::GreaterOp>(loc, boolType, delta, scalar(0));
    Value down = b.create<graph::LessOp>(loc, boolType, delta, scalar(0));
    // The element at `length` (the first one left out) and the last one.
    Value next = sameTypeBinary<graph::AddOp>(
        ctx, start, sameTypeBinary<graph::MulOp>(ctx, delta, scalar(length)));
    Value upOk, downOk;
    if (length == 0) {
      upOk = b.create<graph::GreaterOrEqualOp>(loc, boolType, start, limit);
      downOk = b.create<graph::LessOrEqualOp>(loc, boolType, start, limit);
    } else {
      Value last = sameTypeBinary<graph::SubOp>(ctx, next, delta);
      upOk = sameTypeBinary<graph::AndOp>(
          ctx, b.create<graph::LessOp>(loc, boolType, last, limit),
          b.create<graph::GreaterOrEqualOp>(loc, boolType, next, limit));
      downOk = sameTypeBinary<graph::AndOp>(
          ctx, b.create<graph::GreaterOp>(loc, boolType, last, limit),
          b.create<graph::LessOrEqualOp>(loc, boolType, next, limit));
    }
    condition = sameTypeBinary<graph::OrOp>(
        ctx, sameTypeBinary<graph::AndOp>(ctx, up, upOk),
        sameTypeBinary<graph::AndOp>(ctx, down, downOk));
  }
  addRuntimeCheck(ctx, buildAllTrue(ctx, condition), 1,
                  "(with start '" + ctx.node.input(0) + "' and delta '" +
                      ctx.node.input(2) + "') must give " +
                      std::to_string(length) + " elements");
}

/// Range: folded when the bounds are integer constants, else graph.range
/// with the length of the static output type.
FailureOr<SmallVector<Value>> importRange(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 3)))
    return failure();
  Value start = ctx.inputs[0], limit = ctx.inputs[1], delta = ctx.inputs[2];
  RankedTensorType type = tensorType(start);
  for (Value v : {start, limit, delta})
    if (tensorType(v).getRank() != 0 ||
        tensorType(v).getElementType() != type.getElementType())
      return ctx.emitError() << "start, limit and delta must be scalars of "
                                "one type";
  std::optional<SmallVector<int64_t>> s = getConstantInts(start);
  std::optional<SmallVector<int64_t>> l = getConstantInts(limit);
  std::optional<SmallVector<int64_t>> d = getConstantInts(delta);
  if (s && l && d) {
    if (d->front() == 0)
      return ctx.emitError() << "delta must not be 0";
    SmallVector<int64_t> values;
    for (int64_t v = s->front();
         d->front() > 0 ? v < l->front() : v > l->front(); v += d->front())
      values.push_back(v);
    return single(buildIntConstant(ctx, {static_cast<int64_t>(values.size())},
                                   type.getElementType(), values));
  }
  RankedTensorType inferred = staticInferred(ctx);
  if (!inferred || inferred.getRank() != 1)
    return ctx.emitError() << "the bounds must be integer constants (or the "
                              "output type static)";
  checkRuntimeRange(ctx, inferred.getDimSize(0));
  return single(ctx.builder.create<graph::RangeOp>(
      ctx.loc,
      RankedTensorType::get(inferred.getShape(), type.getElementType()), start,
      delta));
}

/// Checks at run time that OneHot's depth input (one element, any numeric
/// type; non-integers truncate) is `depth`.
LogicalResult checkRuntimeDepth(NodeContext &ctx, int64_t depth) {
  Value value = ctx.inputs[1];
  RankedTensorType type = tensorType(value);
  if (!type.hasStaticShape() || type.getNumElements() != 1)
    return ctx.emitError() << "the depth input '" << ctx.node.input(1)
                           << "' must hold one element, got " << type;
  if (isa<FloatType>(type.getElementType()))
    value = buildCast(ctx, value, ctx.builder.getI64Type(),
                      /*inputUnsigned=*/false, /*outputUnsigned=*/false);
  FailureOr<Value> condition = buildEntriesCheck(ctx, value, 1, {{depth}});
  if (failed(condition))
    return failure();
  addRuntimeCheck(ctx, *condition, 1, "must be " + std::to_string(depth));
  return success();
}

FailureOr<SmallVector<Value>> importOneHot(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 3)))
    return failure();
  Value indices = ctx.inputs[0], depthValue = ctx.inputs[1],
        values = ctx.inputs[2];
  RankedTensorType indicesType = tensorType(indices);
  RankedTensorType valuesType = tensorType(values);
  if (!indicesType.hasStaticShape())
    return ctx.emitError() << "only indices of static shape are supported, "
                              "got "
                           << indicesType;
  if (valuesType.getRank() != 1 || valuesType.getDimSize(0) != 2)
    return ctx.emitError() << "values must hold 2 elements, got " << valuesType;
  int64_t rank = indicesType.getRank() + 1;
  FailureOr<int64_t> axis =
      normalizeAxis(ctx, getInt(ctx.node, "axis", -1), rank);
  if (failed(axis))
    return failure();
  int64_t depth;
  std::optional<SmallVector<int64_t>> constantDepth =
      getConstantInts(depthValue);
  if (constantDepth && constantDepth->size() == 1) {
    depth = constantDepth->front();
  } else if (RankedTensorType inferred = staticInferred(ctx);
             inferred && inferred.getRank() == rank) {
    depth = inferred.getDimSize(*axis);
    if (failed(checkRuntimeDepth(ctx, depth)))
      return failure();
  } else {
    return emitNotConstant(ctx, 1);
  }
  if (depth < 1)
    return ctx.emitError() << "depth must be >= 1, got " << depth;
  SmallVector<int64_t> shape(indicesType.getShape());
  shape.insert(shape.begin() + *axis, depth);
  return single(ctx.builder.create<graph::OneHotOp>(
      ctx.loc, RankedTensorType::get(shape, valuesType.getElementType()),
      indices, values, ctx.builder.getI64IntegerAttr(*axis)));
}

} // namespace

FailureOr<Value> onnx_import::importDynamicSlice(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 3)))
    return failure();
  Value x = ctx.inputs[0], starts = ctx.inputs[1];
  RankedTensorType type = tensorType(x);
  RankedTensorType startsType = tensorType(starts);
  if (!type.hasStaticShape())
    return ctx.emitError() << "only inputs of static shape are supported, got "
                           << type;
  RankedTensorType inferred = staticInferred(ctx);
  if (!inferred || inferred.getRank() != type.getRank())
    return ctx.emitError() << "slices with run-time bounds or negative steps "
                              "need a static output type";
  if (startsType.getRank() != 1 || !startsType.hasStaticShape() ||
      !isa<IntegerType>(startsType.getElementType()))
    return ctx.emitError() << "expected 1-D integer starts, got " << startsType;
  int64_t count = startsType.getDimSize(0);
  Value axes = getOptionalInput(ctx, 3);
  Value steps = getOptionalInput(ctx, 4);
  Type elementType = startsType.getElementType();
  if (!axes) {
    SmallVector<int64_t> values;
    for (int64_t i = 0; i < count; ++i)
      values.push_back(i);
    axes = buildIntConstant(ctx, {count}, elementType, values);
  }
  if (!steps)
    steps = buildIntConstant(ctx, {count}, elementType,
                             SmallVector<int64_t>(count, 1));
  for (Value v : {axes, steps}) {
    RankedTensorType t = tensorType(v);
    if (t.getRank() != 1 || t.getDimSize(0) != count ||
        !isa<IntegerType>(t.getElementType()))
      return ctx.emitError()
             << "expected " << count << " integer axes and steps, got " << t;
  }
  if (std::optional<SmallVector<int64_t>> s = getConstantInts(steps))
    if (llvm::is_contained(*s, 0))
      return ctx.emitError() << "steps must not be 0";
  if (failed(checkRuntimeSlice(ctx, type, inferred.getShape(), axes, steps)))
    return failure();
  return ctx.builder
      .create<graph::DynamicSliceOp>(
          ctx.loc,
          RankedTensorType::get(inferred.getShape(), type.getElementType()), x,
          starts, axes, steps)
      .getResult();
}

namespace {

NodeImporter lookupTensorImporter(StringRef opType) {
  return llvm::StringSwitch<NodeImporter>(opType)
      .Case("Concat", importConcat)
      .Case("Split", importSplit)
      .Case("Expand", importExpand)
      .Case("Tile", importTile)
      .Case("ConstantOfShape", importConstantOfShape)
      .Case("Pad", importPad)
      .Case("Size", importSize)
      .Cases("DepthToSpace", "SpaceToDepth", importDepthSpace)
      .Case("Trilu", importTrilu)
      .Case("GatherElements", importGatherElements)
      .Case("Dropout", importDropout)
      .Case("EyeLike", importEyeLike)
      .Case("Range", importRange)
      .Case("OneHot", importOneHot)
      .Default(nullptr);
}

} // namespace

NodeImporter onnx_import::lookupExtraImporter(const onnx::NodeProto &node) {
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return nullptr;
  StringRef opType = node.op_type();
  if (NodeImporter importer = lookupTensorImporter(opType))
    return importer;
  if (NodeImporter importer = lookupReductionImporter(opType))
    return importer;
  if (NodeImporter importer = lookupPoolImporter(opType))
    return importer;
  if (NodeImporter importer = lookupQuantImporter(opType))
    return importer;
  if (NodeImporter importer = lookupRecurrentImporter(opType))
    return importer;
  return lookupLossImporter(opType);
}
