//===- OnnxNnOps.cpp - ONNX neural-network operator importers ---*- C++ -*-===//
//
// Importers of the convolution, normalization, pooling, reduction and
// clamping operators: Conv, BatchNormalization (inference), MaxPool,
// GlobalAveragePool, ReduceMean and Clip.
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/Onnx/OnnxImporterImpl.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "mlir/IR/Matchers.h"

#include <limits>

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::onnx_import;

namespace {

/// The resolved window attributes of a 2-D convolution or pooling node.
struct Window {
  SmallVector<int64_t> kernel, strides, pads, dilations;
};

/// Reads kernel_shape (or `kernel` when given), strides, dilations, pads and
/// auto_pad of a 2-D window node over `inputType`, resolving auto_pad into
/// explicit pads. With `ceilMode`, extra bottom/right padding makes the
/// output size round up.
FailureOr<Window> readWindow(NodeContext &ctx, RankedTensorType inputType,
                             std::optional<SmallVector<int64_t>> kernel,
                             bool ceilMode) {
  if (inputType.getRank() != 4)
    return ctx.emitError() << "only 2-D (NCHW) inputs are supported, got "
                           << inputType;
  Window w;
  if (!kernel)
    kernel = getInts(ctx.node, "kernel_shape");
  if (!kernel || kernel->size() != 2)
    return ctx.emitError() << "expected 2 kernel sizes";
  w.kernel = *kernel;
  w.strides = getInts(ctx.node, "strides").value_or(SmallVector<int64_t>{1, 1});
  w.dilations =
      getInts(ctx.node, "dilations").value_or(SmallVector<int64_t>{1, 1});
  w.pads = getInts(ctx.node, "pads").value_or(SmallVector<int64_t>{0, 0, 0, 0});
  if (w.strides.size() != 2 || w.dilations.size() != 2 || w.pads.size() != 4)
    return ctx.emitError()
           << "expected 2 strides and dilations and 4 pads for a 2-D window";
  const onnx::AttributeProto *autoPad = findAttr(ctx.node, "auto_pad");
  std::string mode = autoPad ? autoPad->s() : "NOTSET";
  if (mode == "VALID") {
    w.pads.assign(4, 0);
  } else if (mode == "SAME_UPPER" || mode == "SAME_LOWER") {
    for (int64_t i = 0; i < 2; ++i) {
      int64_t size = inputType.getDimSize(2 + i);
      if (ShapedType::isDynamic(size))
        return ctx.emitError()
               << "auto_pad " << mode << " needs static spatial sizes";
      int64_t out = (size + w.strides[i] - 1) / w.strides[i];
      int64_t extent = (w.kernel[i] - 1) * w.dilations[i] + 1;
      int64_t total =
          std::max<int64_t>((out - 1) * w.strides[i] + extent - size, 0);
      int64_t small = total / 2;
      w.pads[i] = mode == "SAME_UPPER" ? small : total - small;
      w.pads[2 + i] = total - w.pads[i];
    }
  } else if (mode != "NOTSET") {
    return ctx.emitError() << "unsupported auto_pad '" << mode << "'";
  }
  if (ceilMode) {
    for (int64_t i = 0; i < 2; ++i) {
      int64_t size = inputType.getDimSize(2 + i);
      if (ShapedType::isDynamic(size))
        return ctx.emitError() << "ceil_mode needs static spatial sizes";
      int64_t extent = (w.kernel[i] - 1) * w.dilations[i] + 1;
      int64_t span = size + w.pads[i] + w.pads[2 + i] - extent;
      int64_t out = (span + w.strides[i] - 1) / w.strides[i] + 1;
      // The last window must start inside the input or its begin padding.
      if ((out - 1) * w.strides[i] >= size + w.pads[i])
        --out;
      w.pads[2 + i] = std::max<int64_t>(
          w.pads[2 + i], (out - 1) * w.strides[i] + extent - size - w.pads[i]);
    }
  }
  return w;
}

/// Returns the N x C' x OH x OW result type of a window op over `inputType`.
RankedTensorType windowResultType(NodeContext &ctx, RankedTensorType inputType,
                                  int64_t channels, const Window &w) {
  SmallVector<int64_t> shape = {inputType.getDimSize(0), channels};
  for (int64_t i = 0; i < 2; ++i)
    shape.push_back(graph::windowOutputSize(
        inputType.getDimSize(2 + i), w.kernel[i], w.strides[i], w.pads[i],
        w.pads[2 + i], w.dilations[i]));
  return refine(shape, inputType.getElementType(), ctx.inferredTypes[0]);
}

/// Returns the single float value of a constant, or nullopt.
std::optional<double> getConstantScalar(Value v) {
  DenseFPElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)) || attr.getNumElements() != 1)
    return std::nullopt;
  return (*attr.value_begin<APFloat>()).convertToDouble();
}

} // namespace

FailureOr<Value> onnx_import::importConv(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  Value x = ctx.inputs[0], weight = ctx.inputs[1];
  Value bias = ctx.inputs.size() > 2 ? ctx.inputs[2] : Value();
  RankedTensorType inputType = tensorType(x);
  RankedTensorType weightType = tensorType(weight);
  if (!isa<FloatType>(inputType.getElementType()))
    return ctx.emitError() << "expected a floating-point input, got "
                           << inputType;
  if (weightType.getRank() != 4 || !weightType.hasStaticShape())
    return ctx.emitError() << "expected a static 4-D weight, got "
                           << weightType;
  FailureOr<Window> w = readWindow(
      ctx, inputType,
      getInts(ctx.node, "kernel_shape")
          .value_or(SmallVector<int64_t>(weightType.getShape().drop_front(2))),
      /*ceilMode=*/false);
  if (failed(w))
    return failure();
  if (w->kernel != ArrayRef(weightType.getShape()).drop_front(2))
    return ctx.emitError() << "kernel_shape does not match the weight "
                           << weightType;
  int64_t group = getInt(ctx.node, "group", 1);
  RankedTensorType type =
      windowResultType(ctx, inputType, weightType.getDimSize(0), *w);
  OpBuilder &b = ctx.builder;
  auto conv = b.create<graph::ConvOp>(
      ctx.loc, type, x, weight, bias, b.getDenseI64ArrayAttr(w->strides),
      b.getDenseI64ArrayAttr(w->pads), b.getDenseI64ArrayAttr(w->dilations),
      b.getI64IntegerAttr(group));
  return conv.getResult();
}

FailureOr<Value> onnx_import::importMaxPool(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType inputType = tensorType(x);
  if (!isa<FloatType>(inputType.getElementType()))
    return ctx.emitError() << "expected a floating-point input, got "
                           << inputType;
  if (getInt(ctx.node, "storage_order", 0) != 0)
    return ctx.emitError() << "storage_order 1 is not supported";
  FailureOr<Window> w = readWindow(ctx, inputType, std::nullopt,
                                   getInt(ctx.node, "ceil_mode", 0) != 0);
  if (failed(w))
    return failure();
  RankedTensorType type =
      windowResultType(ctx, inputType, inputType.getDimSize(1), *w);
  OpBuilder &b = ctx.builder;
  return b
      .create<graph::MaxPoolOp>(
          ctx.loc, type, x, b.getDenseI64ArrayAttr(w->kernel),
          b.getDenseI64ArrayAttr(w->strides), b.getDenseI64ArrayAttr(w->pads),
          b.getDenseI64ArrayAttr(w->dilations))
      .getResult();
}

/// Builds graph.reduce_mean of `x` over `axes` (sorted, unique, in range).
static Value buildReduceMean(NodeContext &ctx, Value x, ArrayRef<int64_t> axes,
                             bool keepdims) {
  RankedTensorType type = tensorType(x);
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (!llvm::is_contained(axes, i))
      shape.push_back(type.getDimSize(i));
    else if (keepdims)
      shape.push_back(1);
  }
  auto resultType = refine(shape, type.getElementType(), ctx.inferredTypes[0]);
  OpBuilder &b = ctx.builder;
  return b.create<graph::ReduceMeanOp>(ctx.loc, resultType, x,
                                       b.getDenseI64ArrayAttr(axes),
                                       b.getBoolAttr(keepdims));
}

FailureOr<Value> onnx_import::importGlobalAveragePool(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  if (!isa<FloatType>(type.getElementType()) || type.getRank() < 3)
    return ctx.emitError() << "expected a floating-point input of rank >= 3, "
                              "got "
                           << type;
  SmallVector<int64_t> axes;
  for (int64_t i = 2; i < type.getRank(); ++i)
    axes.push_back(i);
  return buildReduceMean(ctx, x, axes, /*keepdims=*/true);
}

FailureOr<Value> onnx_import::importReduceMean(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  int64_t rank = type.getRank();
  if (!isa<FloatType>(type.getElementType()))
    return ctx.emitError() << "expected a floating-point input, got " << type;
  SmallVector<int64_t> axes;
  if (std::optional<SmallVector<int64_t>> attr = getInts(ctx.node, "axes")) {
    axes = *attr;
  } else {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  for (int64_t &axis : axes) {
    if (axis < -rank || axis >= rank)
      return ctx.emitError()
             << "axis " << axis << " is out of range for rank " << rank;
    if (axis < 0)
      axis += rank;
  }
  llvm::sort(axes);
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
    return ctx.emitError() << "axes has duplicates";
  return buildReduceMean(ctx, x, axes, getInt(ctx.node, "keepdims", 1) != 0);
}

FailureOr<Value> onnx_import::importClip(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  if (!isa<FloatType>(tensorType(x).getElementType()))
    return importClipAsMaxMin(ctx);
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  if (ctx.opset < 11) {
    lo = getFloat(ctx.node, "min", -std::numeric_limits<float>::infinity());
    hi = getFloat(ctx.node, "max", std::numeric_limits<float>::infinity());
  } else {
    for (auto [index, bound] :
         {std::make_pair(1, &lo), std::make_pair(2, &hi)}) {
      if (static_cast<int>(ctx.inputs.size()) <= index || !ctx.inputs[index])
        continue;
      std::optional<double> value = getConstantScalar(ctx.inputs[index]);
      if (!value)
        return importClipAsMaxMin(ctx);
      *bound = *value;
    }
  }
  if (lo > hi)
    return ctx.emitError() << "min " << lo << " is greater than max " << hi;
  OpBuilder &b = ctx.builder;
  return b
      .create<graph::ClipOp>(ctx.loc, x, b.getF64FloatAttr(lo),
                             b.getF64FloatAttr(hi))
      .getResult();
}

FailureOr<Value> onnx_import::importBatchNormalization(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 5)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  auto elementType = dyn_cast<FloatType>(type.getElementType());
  if (!elementType || type.getRank() < 2)
    return ctx.emitError() << "expected a floating-point input of rank >= 2, "
                              "got "
                           << type;
  if (ctx.opset >= 14 && getInt(ctx.node, "training_mode", 0) != 0)
    return ctx.emitError() << "training_mode is not supported";
  // Inference; ingot-graph-fold-batch-norm folds constant statistics.
  int64_t channels = type.getDimSize(1);
  for (int i = 1; i <= 4; ++i) {
    RankedTensorType paramType = tensorType(ctx.inputs[i]);
    if (paramType.getRank() != 1 || paramType.getElementType() != elementType ||
        !graph::isShapeCompatible({channels}, paramType.getShape()))
      return ctx.emitError()
             << "input '" << ctx.node.input(i) << "' must be 1-D with one "
             << elementType << " per channel, got " << paramType;
  }
  OpBuilder &b = ctx.builder;
  return b
      .create<graph::BatchNormOp>(
          ctx.loc, type, x, ctx.inputs[1], ctx.inputs[2], ctx.inputs[3],
          ctx.inputs[4],
          b.getF32FloatAttr(getFloat(ctx.node, "epsilon", 1e-5f)))
      .getResult();
}
