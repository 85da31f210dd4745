//===- OnnxReductionOps.cpp - ONNX reduction importers ----------*- C++ -*-===//
//
// Importers of the Reduce* family, ArgMax/ArgMin, LogSoftmax, Hardmax,
// CumSum, GlobalMaxPool and the normalizations built from reductions
// (LayerNormalization, InstanceNormalization, MeanVarianceNormalization,
// LpNormalization).
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/Onnx/OnnxImporterImpl.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::onnx_import;

/// Normalizes `axis` of a tensor of `rank` into [0, rank), or emits an error.
FailureOr<int64_t> onnx_import::normalizeAxis(NodeContext &ctx, int64_t axis,
                                              int64_t rank) {
  if (axis < -rank || axis >= rank)
    return ctx.emitError() << "axis " << axis << " is out of range for rank "
                           << rank;
  return axis < 0 ? axis + rank : axis;
}

Value onnx_import::buildFloatScalar(NodeContext &ctx, Type elementType,
                                    double value, ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, elementType);
  auto floatType = cast<FloatType>(elementType);
  APFloat v(value);
  bool lost;
  v.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
  return ctx.builder.create<graph::ConstantOp>(ctx.loc,
                                               DenseElementsAttr::get(type, v));
}

Value onnx_import::buildReduce(NodeContext &ctx, Value input, StringRef kind,
                               ArrayRef<int64_t> axes, bool keepdims) {
  RankedTensorType type = tensorType(input);
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (!llvm::is_contained(axes, i))
      shape.push_back(type.getDimSize(i));
    else if (keepdims)
      shape.push_back(1);
  }
  OpBuilder &b = ctx.builder;
  return b.create<graph::ReduceOp>(
      ctx.loc, RankedTensorType::get(shape, type.getElementType()), input,
      b.getStringAttr(kind), b.getDenseI64ArrayAttr(axes),
      b.getBoolAttr(keepdims));
}

FailureOr<RankedTensorType>
onnx_import::getBroadcastType(NodeContext &ctx, Value lhs, Value rhs) {
  SmallVector<int64_t> shape;
  if (!graph::broadcastShapes(tensorType(lhs).getShape(),
                              tensorType(rhs).getShape(), shape))
    return ctx.emitError() << "operand shapes " << lhs.getType() << " and "
                           << rhs.getType() << " do not broadcast";
  return RankedTensorType::get(shape, tensorType(lhs).getElementType());
}

namespace {

/// The ONNX reductions and their graph.reduce kinds.
std::optional<StringRef> reduceKind(StringRef opType) {
  return llvm::StringSwitch<std::optional<StringRef>>(opType)
      .Case("ReduceSum", StringRef("sum"))
      .Case("ReduceMax", StringRef("max"))
      .Case("ReduceMin", StringRef("min"))
      .Case("ReduceProd", StringRef("prod"))
      .Case("ReduceL1", StringRef("l1"))
      .Case("ReduceL2", StringRef("l2"))
      .Case("ReduceLogSum", StringRef("log_sum"))
      .Case("ReduceLogSumExp", StringRef("log_sum_exp"))
      .Case("ReduceSumSquare", StringRef("sum_square"))
      .Default(std::nullopt);
}

FailureOr<SmallVector<Value>> importReduce(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  int64_t rank = type.getRank();
  StringRef kind = *reduceKind(ctx.node.op_type());
  bool keepdims = getInt(ctx.node, "keepdims", 1) != 0;
  bool isFloat = isa<FloatType>(type.getElementType());
  if (!isFloat && (kind == "l2" || kind == "log_sum" || kind == "log_sum_exp"))
    return ctx.emitError() << "expected a floating-point operand, got " << type;

  // Axes: an attribute, or from opset 13 (ReduceSum) an optional input.
  std::optional<SmallVector<int64_t>> axes;
  bool axesFromInput = ctx.node.op_type() == "ReduceSum" && ctx.opset >= 13;
  if (!axesFromInput) {
    axes = getInts(ctx.node, "axes");
  } else if (ctx.inputs.size() > 1 && ctx.inputs[1]) {
    axes = getConstantInts(ctx.inputs[1]);
    RankedTensorType inferred = ctx.inferredTypes[0];
    if (!axes && keepdims && inferred && inferred.hasStaticShape() &&
        type.hasStaticShape() && inferred.getRank() == rank) {
      // Run-time axes: with keepdims the declared result shape tells which
      // axes shrink, and summing a size-1 axis is the identity.
      axes.emplace();
      for (int64_t i = 0; i < rank; ++i) {
        if (inferred.getDimSize(i) == type.getDimSize(i))
          continue;
        if (inferred.getDimSize(i) != 1)
          return ctx.emitError() << "result type " << inferred
                                 << " is not a reduction of " << type;
        axes->push_back(i);
      }
      // The run-time axes must name the shrunk axes, and maybe size-1 ones
      // (reducing those is the identity), each once.
      FailureOr<Value> condition =
          buildAxesCheck(ctx, 1, rank, [&](const llvm::SmallBitVector &set) {
            for (int64_t i = 0; i < rank; ++i)
              if (set.test(i) ? inferred.getDimSize(i) != 1
                              : inferred.getDimSize(i) != type.getDimSize(i))
                return false;
            return true;
          });
      if (failed(condition))
        return failure();
      addRuntimeCheck(ctx, *condition, 1,
                      "must reduce " + formatShape(type.getShape()) + " to " +
                          formatShape(inferred.getShape()));
    } else if (!axes) {
      return ctx.emitError()
             << "the axes input '" << ctx.node.input(1)
             << "' must be a constant (or the result shape static with "
                "keepdims)";
    }
  }
  if (axes && axes->empty())
    axes.reset();
  if (!axes && axesFromInput && getInt(ctx.node, "noop_with_empty_axes", 0))
    return SmallVector<Value>{
        ctx.builder.create<graph::IdentityOp>(ctx.loc, x).getResult()};
  SmallVector<int64_t> normalized;
  if (axes) {
    for (int64_t axis : *axes) {
      FailureOr<int64_t> n = normalizeAxis(ctx, axis, rank);
      if (failed(n))
        return failure();
      if (llvm::is_contained(normalized, *n))
        return ctx.emitError() << "axis " << axis << " is repeated";
      normalized.push_back(*n);
    }
    llvm::sort(normalized);
  } else {
    for (int64_t i = 0; i < rank; ++i)
      normalized.push_back(i);
  }
  return SmallVector<Value>{buildReduce(ctx, x, kind, normalized, keepdims)};
}

FailureOr<SmallVector<Value>> importArgReduce(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  FailureOr<int64_t> axis =
      normalizeAxis(ctx, getInt(ctx.node, "axis", 0), type.getRank());
  if (failed(axis))
    return failure();
  bool keepdims = getInt(ctx.node, "keepdims", 1) != 0;
  bool last = ctx.opset >= 12 && getInt(ctx.node, "select_last_index", 0);
  SmallVector<int64_t> shape(type.getShape());
  if (keepdims)
    shape[*axis] = 1;
  else
    shape.erase(shape.begin() + *axis);
  OpBuilder &b = ctx.builder;
  StringRef kind = ctx.node.op_type() == "ArgMax" ? "max" : "min";
  return SmallVector<Value>{
      b.create<graph::ArgReduceOp>(
           ctx.loc, RankedTensorType::get(shape, b.getI64Type()), x,
           b.getStringAttr(kind), b.getI64IntegerAttr(*axis),
           b.getBoolAttr(keepdims), b.getBoolAttr(last))
          .getResult()};
}

/// LogSoftmax and Hardmax; before opset 13 the input is coerced to 2-D
/// around `axis` (default 1), from 13 the op works along `axis` (default
/// -1).
FailureOr<SmallVector<Value>> importSoftmaxLike(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  int64_t rank = type.getRank();
  if (!isa<FloatType>(type.getElementType()))
    return ctx.emitError() << "expected a floating-point operand, got " << type;
  FailureOr<int64_t> axis = normalizeAxis(
      ctx, getInt(ctx.node, "axis", ctx.opset < 13 ? 1 : -1), rank);
  if (failed(axis))
    return failure();
  OpBuilder &b = ctx.builder;
  bool hardmax = ctx.node.op_type() == "Hardmax";
  auto build = [&](Value v, int64_t a) -> Value {
    if (hardmax)
      return b.create<graph::HardmaxOp>(ctx.loc, v, b.getI64IntegerAttr(a));
    return b.create<graph::LogSoftmaxOp>(ctx.loc, v, b.getI64IntegerAttr(a));
  };
  if (ctx.opset >= 13 || *axis == rank - 1)
    return SmallVector<Value>{build(x, *axis)};
  if (!type.hasStaticShape())
    return ctx.emitError() << "only inputs of static shape are supported, got "
                           << type;
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < rank; ++i)
    (i < *axis ? outer : inner) *= type.getDimSize(i);
  FailureOr<Value> flat = buildReshape(ctx, x, {outer, inner});
  if (failed(flat))
    return failure();
  FailureOr<Value> result = buildReshape(ctx, build(*flat, 1), type.getShape());
  if (failed(result))
    return failure();
  return SmallVector<Value>{*result};
}

FailureOr<SmallVector<Value>> importCumSum(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  Value x = ctx.inputs[0];
  std::optional<SmallVector<int64_t>> axisValues =
      getConstantInts(ctx.inputs[1]);
  // Whatever its value, the axis of a 1-D input is 0.
  if (!axisValues && tensorType(x).getRank() == 1)
    axisValues = SmallVector<int64_t>{0};
  if (!axisValues || axisValues->size() != 1)
    return ctx.emitError() << "the axis input '" << ctx.node.input(1)
                           << "' must be a constant scalar";
  FailureOr<int64_t> axis =
      normalizeAxis(ctx, axisValues->front(), tensorType(x).getRank());
  if (failed(axis))
    return failure();
  OpBuilder &b = ctx.builder;
  return SmallVector<Value>{
      b.create<graph::CumSumOp>(
           ctx.loc, x, b.getI64IntegerAttr(*axis),
           b.getBoolAttr(getInt(ctx.node, "exclusive", 0) != 0),
           b.getBoolAttr(getInt(ctx.node, "reverse", 0) != 0))
          .getResult()};
}

FailureOr<SmallVector<Value>> importGlobalMaxPool(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  int64_t rank = tensorType(x).getRank();
  if (rank < 3)
    return ctx.emitError() << "expected rank >= 3, got " << x.getType();
  SmallVector<int64_t> axes;
  for (int64_t i = 2; i < rank; ++i)
    axes.push_back(i);
  return SmallVector<Value>{buildReduce(ctx, x, "max", axes, true)};
}

/// Returns (x - mean) and 1 / sqrt(var + epsilon) over `axes` (kept dims),
/// with the mean.
struct Moments {
  Value mean, centered, invStdDev;
};
FailureOr<Moments> buildMoments(NodeContext &ctx, Value x,
                                ArrayRef<int64_t> axes, double epsilon) {
  Type elementType = tensorType(x).getElementType();
  Moments m;
  m.mean = buildReduce(ctx, x, "mean", axes, true);
  FailureOr<Value> centered =
      buildBroadcastBinary<graph::SubOp>(ctx, x, m.mean);
  if (failed(centered))
    return failure();
  m.centered = *centered;
  FailureOr<Value> squared =
      buildBroadcastBinary<graph::MulOp>(ctx, m.centered, m.centered);
  if (failed(squared))
    return failure();
  Value variance = buildReduce(ctx, *squared, "mean", axes, true);
  FailureOr<Value> shifted = buildBroadcastBinary<graph::AddOp>(
      ctx, variance, buildFloatScalar(ctx, elementType, epsilon));
  if (failed(shifted))
    return failure();
  Value root = ctx.builder.create<graph::SqrtOp>(ctx.loc, *shifted);
  FailureOr<Value> inverse = buildBroadcastBinary<graph::DivOp>(
      ctx, buildFloatScalar(ctx, elementType, 1.0), root);
  if (failed(inverse))
    return failure();
  m.invStdDev = *inverse;
  return m;
}

FailureOr<SmallVector<Value>> importLayerNormalization(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  Value x = ctx.inputs[0], scale = ctx.inputs[1];
  Value bias = ctx.inputs.size() > 2 ? ctx.inputs[2] : Value();
  RankedTensorType type = tensorType(x);
  if (!isa<FloatType>(type.getElementType()))
    return ctx.emitError() << "expected a floating-point operand, got " << type;
  int64_t rank = type.getRank();
  FailureOr<int64_t> axis =
      normalizeAxis(ctx, getInt(ctx.node, "axis", -1), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> axes;
  for (int64_t i = *axis; i < rank; ++i)
    axes.push_back(i);
  FailureOr<Moments> m =
      buildMoments(ctx, x, axes, getFloat(ctx.node, "epsilon", 1e-5f));
  if (failed(m))
    return failure();
  FailureOr<Value> y =
      buildBroadcastBinary<graph::MulOp>(ctx, m->centered, m->invStdDev);
  if (succeeded(y))
    y = buildBroadcastBinary<graph::MulOp>(ctx, *y, scale);
  if (succeeded(y) && bias)
    y = buildBroadcastBinary<graph::AddOp>(ctx, *y, bias);
  if (failed(y))
    return failure();
  return SmallVector<Value>{*y, m->mean, m->invStdDev};
}

/// Reshapes a per-channel vector of C elements to C x 1 x ... (rank - 1
/// dims) so that it broadcasts along dim 1 of a rank-`rank` tensor.
FailureOr<Value> channelVector(NodeContext &ctx, Value v, int64_t rank) {
  RankedTensorType type = tensorType(v);
  if (type.getRank() != 1)
    return ctx.emitError() << "expected a 1-D per-channel input, got " << type;
  SmallVector<int64_t> shape(rank - 1, 1);
  shape[0] = type.getDimSize(0);
  return buildReshape(ctx, v, shape);
}

FailureOr<SmallVector<Value>> importInstanceNormalization(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 3)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  int64_t rank = type.getRank();
  if (rank < 3 || !isa<FloatType>(type.getElementType()))
    return ctx.emitError() << "expected a floating-point input of rank >= 3, "
                              "got "
                           << type;
  SmallVector<int64_t> axes;
  for (int64_t i = 2; i < rank; ++i)
    axes.push_back(i);
  FailureOr<Moments> m =
      buildMoments(ctx, x, axes, getFloat(ctx.node, "epsilon", 1e-5f));
  FailureOr<Value> scale = channelVector(ctx, ctx.inputs[1], rank);
  FailureOr<Value> bias = channelVector(ctx, ctx.inputs[2], rank);
  if (failed(m) || failed(scale) || failed(bias))
    return failure();
  FailureOr<Value> y =
      buildBroadcastBinary<graph::MulOp>(ctx, m->centered, m->invStdDev);
  if (succeeded(y))
    y = buildBroadcastBinary<graph::MulOp>(ctx, *y, *scale);
  if (succeeded(y))
    y = buildBroadcastBinary<graph::AddOp>(ctx, *y, *bias);
  if (failed(y))
    return failure();
  return SmallVector<Value>{*y};
}

/// (X - E[X]) / (sqrt(E[X^2] - E[X]^2) + 1e-9), ONNX's function body.
FailureOr<SmallVector<Value>>
importMeanVarianceNormalization(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  int64_t rank = type.getRank();
  if (!isa<FloatType>(type.getElementType()))
    return ctx.emitError() << "expected a floating-point operand, got " << type;
  SmallVector<int64_t> axes;
  for (int64_t axis :
       getInts(ctx.node, "axes").value_or(SmallVector<int64_t>{0, 2, 3})) {
    FailureOr<int64_t> n = normalizeAxis(ctx, axis, rank);
    if (failed(n))
      return failure();
    if (!llvm::is_contained(axes, *n))
      axes.push_back(*n);
  }
  llvm::sort(axes);
  Value mean = buildReduce(ctx, x, "mean", axes, true);
  FailureOr<Value> xSquared = buildBroadcastBinary<graph::MulOp>(ctx, x, x);
  FailureOr<Value> meanSquared =
      buildBroadcastBinary<graph::MulOp>(ctx, mean, mean);
  if (failed(xSquared) || failed(meanSquared))
    return failure();
  Value squaredMean = buildReduce(ctx, *xSquared, "mean", axes, true);
  FailureOr<Value> variance =
      buildBroadcastBinary<graph::SubOp>(ctx, squaredMean, *meanSquared);
  if (failed(variance))
    return failure();
  Value root = ctx.builder.create<graph::SqrtOp>(ctx.loc, *variance);
  FailureOr<Value> denominator = buildBroadcastBinary<graph::AddOp>(
      ctx, root, buildFloatScalar(ctx, type.getElementType(), 1e-9));
  FailureOr<Value> centered = buildBroadcastBinary<graph::SubOp>(ctx, x, mean);
  if (failed(denominator) || failed(centered))
    return failure();
  FailureOr<Value> y =
      buildBroadcastBinary<graph::DivOp>(ctx, *centered, *denominator);
  if (failed(y))
    return failure();
  return SmallVector<Value>{*y};
}

FailureOr<SmallVector<Value>> importLpNormalization(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  if (!isa<FloatType>(type.getElementType()))
    return ctx.emitError() << "expected a floating-point operand, got " << type;
  FailureOr<int64_t> axis =
      normalizeAxis(ctx, getInt(ctx.node, "axis", -1), type.getRank());
  if (failed(axis))
    return failure();
  int64_t p = getInt(ctx.node, "p", 2);
  if (p != 1 && p != 2)
    return ctx.emitError() << "p must be 1 or 2, got " << p;
  Value norm = buildReduce(ctx, x, p == 1 ? "l1" : "l2", {*axis}, true);
  FailureOr<Value> y = buildBroadcastBinary<graph::DivOp>(ctx, x, norm);
  if (failed(y))
    return failure();
  return SmallVector<Value>{*y};
}

} // namespace

NodeImporter onnx_import::lookupReductionImporter(StringRef opType) {
  if (reduceKind(opType))
    return importReduce;
  return llvm::StringSwitch<NodeImporter>(opType)
      .Cases("ArgMax", "ArgMin", importArgReduce)
      .Cases("LogSoftmax", "Hardmax", importSoftmaxLike)
      .Case("CumSum", importCumSum)
      .Case("GlobalMaxPool", importGlobalMaxPool)
      .Case("LayerNormalization", importLayerNormalization)
      .Case("InstanceNormalization", importInstanceNormalization)
      .Case("MeanVarianceNormalization", importMeanVarianceNormalization)
      .Case("LpNormalization", importLpNormalization)
      .Default(nullptr);
}
