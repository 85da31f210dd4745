//===- OnnxShapeOps.cpp - ONNX shape and indexing importers -----*- C++ -*-===//
//
// Importers of Shape, Gather, Slice, Squeeze and Unsqueeze, and the folding
// of integer shape arithmetic on constants (by the graph ops' folders):
// exporters compute reshape targets and slice bounds from Shape at run
// time, which with static shapes is known at import.
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/Onnx/OnnxImporterImpl.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::onnx_import;

/// Constants with more elements than this are not folded.
static constexpr int64_t kMaxFoldedElements = 1024;

std::optional<SmallVector<int64_t>> onnx_import::getConstantInts(Value v) {
  auto constant = v ? v.getDefiningOp<graph::ConstantOp>() : nullptr;
  auto elements =
      constant ? dyn_cast<DenseIntElementsAttr>(constant.getValue()) : nullptr;
  if (!elements || elements.getNumElements() > kMaxFoldedElements)
    return std::nullopt;
  SmallVector<int64_t> values;
  for (const APInt &value : elements.getValues<APInt>())
    values.push_back(value.getSExtValue());
  return values;
}

Value onnx_import::buildIntConstant(NodeContext &ctx, ArrayRef<int64_t> shape,
                                    Type elementType,
                                    ArrayRef<int64_t> values) {
  unsigned width = elementType.getIntOrFloatBitWidth();
  SmallVector<APInt> data;
  for (int64_t v : values)
    data.push_back(APInt(64, v, /*isSigned=*/true).trunc(width));
  auto type = RankedTensorType::get(shape, elementType);
  return ctx.builder.create<graph::ConstantOp>(
      ctx.loc, DenseElementsAttr::get(type, data));
}

Value onnx_import::foldShapeArithmetic(NodeContext &ctx, Value value) {
  Operation *op = value.getDefiningOp();
  if (!op || isa<graph::ConstantOp>(op) || !op->use_empty() ||
      !isa<IntegerType>(tensorType(value).getElementType()) ||
      !llvm::all_of(op->getOperands(), [](Value operand) {
        return matchPattern(operand, m_Constant());
      }))
    return value;
  SmallVector<Value> folded;
  if (failed(ctx.builder.tryFold(op, folded)) || folded.empty())
    return value;
  op->erase();
  return folded.front();
}

FailureOr<Value> onnx_import::importShape(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType type = tensorType(ctx.inputs[0]);
  if (!type.hasStaticShape())
    return ctx.emitError() << "only inputs of static shape are supported, got "
                           << type;
  int64_t rank = type.getRank();
  int64_t start = ctx.opset >= 15 ? getInt(ctx.node, "start", 0) : 0;
  int64_t end = ctx.opset >= 15 ? getInt(ctx.node, "end", rank) : rank;
  auto clamp = [&](int64_t v) {
    return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank);
  };
  start = clamp(start);
  end = std::max(clamp(end), start);
  SmallVector<int64_t> values(type.getShape().slice(start, end - start));
  return buildIntConstant(ctx, {static_cast<int64_t>(values.size())},
                          ctx.builder.getI64Type(), values);
}

FailureOr<Value> onnx_import::importGather(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  Value data = ctx.inputs[0], indices = ctx.inputs[1];
  RankedTensorType dataType = tensorType(data);
  RankedTensorType indicesType = tensorType(indices);
  int64_t rank = dataType.getRank();
  int64_t axis = getInt(ctx.node, "axis", 0);
  if (axis < -rank || axis >= rank)
    return ctx.emitError() << "axis " << axis << " is out of range for rank "
                           << rank;
  if (axis < 0)
    axis += rank;
  if (!isa<IntegerType>(indicesType.getElementType()))
    return ctx.emitError() << "expected integer indices, got " << indicesType;
  SmallVector<int64_t> shape(dataType.getShape().take_front(axis));
  llvm::append_range(shape, indicesType.getShape());
  llvm::append_range(shape, dataType.getShape().drop_front(axis + 1));

  auto type = refine(shape, dataType.getElementType(), ctx.inferredTypes[0]);
  return ctx.builder
      .create<graph::GatherOp>(ctx.loc, type, data, indices,
                               ctx.builder.getI64IntegerAttr(axis))
      .getResult();
}

FailureOr<Value> onnx_import::importSlice(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  int64_t rank = type.getRank();
  if (!type.hasStaticShape())
    return ctx.emitError() << "only inputs of static shape are supported, got "
                           << type;
  SmallVector<int64_t> starts, ends, axes, steps;
  if (ctx.opset < 10) {
    starts = getInts(ctx.node, "starts").value_or(SmallVector<int64_t>());
    ends = getInts(ctx.node, "ends").value_or(SmallVector<int64_t>());
    axes = getInts(ctx.node, "axes").value_or(SmallVector<int64_t>());
  } else {
    if (failed(requireInputs(ctx, 3)))
      return failure();
    // Bounds known only at run time go through graph.dynamic_slice.
    for (size_t index = 1; index < ctx.inputs.size() && index < 5; ++index)
      if (ctx.inputs[index] && index != 2 &&
          !getConstantInts(ctx.inputs[index]))
        return importDynamicSlice(ctx);
    auto read = [&](size_t index, SmallVector<int64_t> &out) {
      if (ctx.inputs.size() <= index || !ctx.inputs[index])
        return true;
      std::optional<SmallVector<int64_t>> values =
          getConstantInts(ctx.inputs[index]);
      if (!values) {
        ctx.emitError() << "input '" << ctx.node.input(index)
                        << "' must be a constant (or computed from shapes)";
        return false;
      }
      out = *values;
      return true;
    };
    if (!read(1, starts) || !read(2, ends) || !read(3, axes) || !read(4, steps))
      return failure();
  }
  if (axes.empty())
    for (int64_t i = 0; i < static_cast<int64_t>(starts.size()); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return ctx.emitError() << "starts, ends, axes and steps differ in length";

  SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
  SmallVector<int64_t> shape(type.getShape());
  llvm::SmallBitVector seen(rank);
  for (auto [start, end, axis, step] : llvm::zip(starts, ends, axes, steps)) {
    if (axis < -rank || axis >= rank)
      return ctx.emitError()
             << "axis " << axis << " is out of range for rank " << rank;
    if (axis < 0)
      axis += rank;
    if (seen.test(axis))
      return ctx.emitError() << "axis " << axis << " is repeated";
    seen.set(axis);
    if (step < 0)
      return importDynamicSlice(ctx);
    if (step == 0)
      return ctx.emitError() << "steps must not be 0";
    int64_t size = type.getDimSize(axis);
    auto clamp = [&](int64_t v) {
      return std::clamp<int64_t>(v < 0 ? v + size : v, 0, size);
    };
    int64_t begin = clamp(start), finish = clamp(end);
    offsets[axis] = begin;
    strides[axis] = step;
    shape[axis] = finish > begin ? (finish - begin + step - 1) / step : 0;
  }
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return ctx.builder
      .create<graph::SliceOp>(ctx.loc, resultType, x,
                              ctx.builder.getDenseI64ArrayAttr(offsets),
                              ctx.builder.getDenseI64ArrayAttr(strides))
      .getResult();
}

/// Checks at run time that the axes input of Squeeze or Unsqueeze turns
/// `inShape` into `outShape`: the axes (either spelling) form a set whose
/// squeezing or insertion gives `outShape`.
static LogicalResult checkRuntimeSqueezeAxes(NodeContext &ctx,
                                             ArrayRef<int64_t> inShape,
                                             ArrayRef<int64_t> outShape,
                                             bool unsqueeze) {
  // Unsqueeze axes index the output, Squeeze axes the input.
  int64_t rank = unsqueeze ? outShape.size() : inShape.size();
  auto isValid = [&](const llvm::SmallBitVector &set) {
    ArrayRef<int64_t> kept = unsqueeze ? outShape : inShape;
    ArrayRef<int64_t> other = unsqueeze ? inShape : outShape;
    SmallVector<int64_t> rest;
    for (int64_t i = 0; i < rank; ++i) {
      if (!set.test(i))
        rest.push_back(kept[i]);
      else if (kept[i] != 1)
        return false;
    }
    return ArrayRef<int64_t>(rest) == other;
  };
  FailureOr<Value> condition = buildAxesCheck(ctx, 1, rank, isValid);
  if (failed(condition))
    return failure();
  addRuntimeCheck(ctx, *condition, 1,
                  "must " + Twine(unsqueeze ? "unsqueeze " : "squeeze ") +
                      formatShape(inShape) + " to " + formatShape(outShape));
  return success();
}

FailureOr<Value> onnx_import::importSqueezeOrUnsqueeze(NodeContext &ctx,
                                                       bool unsqueeze) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  std::optional<SmallVector<int64_t>> axes;
  if (ctx.opset < 13) {
    axes = getInts(ctx.node, "axes");
  } else if (ctx.inputs.size() > 1 && ctx.inputs[1]) {
    axes = getConstantInts(ctx.inputs[1]);
    // Run-time axes only restate a static declared output type.
    RankedTensorType inferred = ctx.inferredTypes[0];
    if (!axes && inferred && inferred.hasStaticShape() &&
        type.hasStaticShape() &&
        inferred.getNumElements() == type.getNumElements()) {
      if (failed(checkRuntimeSqueezeAxes(ctx, type.getShape(),
                                         inferred.getShape(), unsqueeze)))
        return failure();
      return buildReshape(ctx, x, inferred.getShape());
    }
    if (!axes)
      return ctx.emitError() << "the axes input '" << ctx.node.input(1)
                             << "' must be a constant (or the output type "
                                "static)";
  }
  if (unsqueeze && !axes)
    return ctx.emitError() << "expected axes";
  int64_t rank = type.getRank();
  int64_t resultRank =
      unsqueeze ? rank + static_cast<int64_t>(axes->size()) : rank;
  llvm::SmallBitVector marked(resultRank);
  if (axes) {
    for (int64_t axis : *axes) {
      if (axis < -resultRank || axis >= resultRank)
        return ctx.emitError()
               << "axis " << axis << " is out of range for rank " << resultRank;
      if (axis < 0)
        axis += resultRank;
      if (marked.test(axis))
        return ctx.emitError() << "axis " << axis << " is repeated";
      marked.set(axis);
    }
  }
  SmallVector<int64_t> shape;
  if (unsqueeze) {
    auto it = type.getShape().begin();
    for (int64_t i = 0; i < resultRank; ++i)
      shape.push_back(marked.test(i) ? 1 : *it++);
  } else {
    for (int64_t i = 0; i < rank; ++i) {
      int64_t size = type.getDimSize(i);
      bool squeeze = axes ? marked.test(i) : size == 1;
      if (squeeze && size != 1)
        return ctx.emitError()
               << "cannot squeeze dim " << i << " of size " << size;
      if (!squeeze)
        shape.push_back(size);
    }
  }
  return buildReshape(ctx, x, shape);
}
