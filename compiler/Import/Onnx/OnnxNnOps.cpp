//===- OnnxNnOps.cpp - ONNX neural-network operator importers ---*- C++ -*-===//
//
// Importers of the convolution, normalization, pooling, reduction and
// clamping operators: Conv, ConvTranspose, BatchNormalization (inference),
// MaxPool, GlobalAveragePool, ReduceMean and Clip.
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

/// The resolved window attributes of a convolution or pooling node.
struct Window {
  SmallVector<int64_t> kernel, strides, pads, dilations;
};

/// Reads kernel_shape (or `kernel` when given), strides, dilations, pads and
/// auto_pad of a window node over the N x C x D1 x ... `inputType`,
/// resolving auto_pad into explicit pads. With `ceilMode`, extra end padding
/// makes the output size round up.
FailureOr<Window> readWindow(NodeContext &ctx, RankedTensorType inputType,
                             std::optional<SmallVector<int64_t>> kernel,
                             bool ceilMode) {
  if (inputType.getRank() < 3)
    return ctx.emitError() << "expected an N x C x D1 x ... input, got "
                           << inputType;
  size_t n = inputType.getRank() - 2;
  Window w;
  if (!kernel)
    kernel = getInts(ctx.node, "kernel_shape");
  if (!kernel || kernel->size() != n)
    return ctx.emitError() << "expected " << n << " kernel sizes";
  w.kernel = *kernel;
  w.strides = getInts(ctx.node, "strides").value_or(SmallVector<int64_t>(n, 1));
  w.dilations =
      getInts(ctx.node, "dilations").value_or(SmallVector<int64_t>(n, 1));
  w.pads = getInts(ctx.node, "pads").value_or(SmallVector<int64_t>(2 * n, 0));
  if (w.strides.size() != n || w.dilations.size() != n ||
      w.pads.size() != 2 * n)
    return ctx.emitError() << "expected " << n << " strides and dilations and "
                           << 2 * n << " pads for a " << n << "-D window";
  const onnx::AttributeProto *autoPad = findAttr(ctx.node, "auto_pad");
  std::string mode = autoPad ? autoPad->s() : "NOTSET";
  if (mode == "VALID") {
    w.pads.assign(2 * n, 0);
  } else if (mode == "SAME_UPPER" || mode == "SAME_LOWER") {
    for (size_t i = 0; i < n; ++i) {
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
      w.pads[n + i] = total - w.pads[i];
    }
  } else if (mode != "NOTSET") {
    return ctx.emitError() << "unsupported auto_pad '" << mode << "'";
  }
  if (ceilMode) {
    for (size_t i = 0; i < n; ++i) {
      int64_t size = inputType.getDimSize(2 + i);
      if (ShapedType::isDynamic(size))
        return ctx.emitError() << "ceil_mode needs static spatial sizes";
      int64_t extent = (w.kernel[i] - 1) * w.dilations[i] + 1;
      int64_t span = size + w.pads[i] + w.pads[n + i] - extent;
      int64_t out = (span + w.strides[i] - 1) / w.strides[i] + 1;
      // The last window must start inside the input or its begin padding.
      if ((out - 1) * w.strides[i] >= size + w.pads[i])
        --out;
      w.pads[n + i] = std::max<int64_t>(
          w.pads[n + i], (out - 1) * w.strides[i] + extent - size - w.pads[i]);
    }
  }
  return w;
}

/// Returns the N x C' x O1 x ... result type of a window op over
/// `inputType`.
RankedTensorType windowResultType(NodeContext &ctx, RankedTensorType inputType,
                                  int64_t channels, const Window &w) {
  SmallVector<int64_t> shape = {inputType.getDimSize(0), channels};
  size_t n = w.kernel.size();
  for (size_t i = 0; i < n; ++i)
    shape.push_back(graph::windowOutputSize(
        inputType.getDimSize(2 + i), w.kernel[i], w.strides[i], w.pads[i],
        w.pads[n + i], w.dilations[i]));
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
  if (!isa<FloatType>(tensorType(x).getElementType()))
    return ctx.emitError() << "expected a floating-point input, got "
                           << x.getType();
  return buildConv(ctx, x, weight, bias);
}

FailureOr<Value> onnx_import::buildConv(NodeContext &ctx, Value x, Value weight,
                                        Value bias) {
  RankedTensorType inputType = tensorType(x);
  RankedTensorType weightType = tensorType(weight);
  if (weightType.getRank() != inputType.getRank() ||
      !weightType.hasStaticShape())
    return ctx.emitError() << "expected a static weight of rank "
                           << inputType.getRank() << ", got " << weightType;
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

FailureOr<Value> onnx_import::importConvTranspose(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  Value x = ctx.inputs[0], weight = ctx.inputs[1];
  Value bias = ctx.inputs.size() > 2 ? ctx.inputs[2] : Value();
  RankedTensorType inputType = tensorType(x);
  RankedTensorType weightType = tensorType(weight);
  if (!isa<FloatType>(inputType.getElementType()) || inputType.getRank() < 3)
    return ctx.emitError() << "expected a floating-point N x C x D1 x ... "
                              "input, got "
                           << inputType;
  if (weightType.getRank() != inputType.getRank() ||
      !weightType.hasStaticShape())
    return ctx.emitError() << "expected a static weight of rank "
                           << inputType.getRank() << ", got " << weightType;
  size_t n = inputType.getRank() - 2;
  SmallVector<int64_t> kernel(weightType.getShape().drop_front(2));
  if (getInts(ctx.node, "kernel_shape").value_or(kernel) != kernel)
    return ctx.emitError() << "kernel_shape does not match the weight "
                           << weightType;
  SmallVector<int64_t> strides =
      getInts(ctx.node, "strides").value_or(SmallVector<int64_t>(n, 1));
  SmallVector<int64_t> dilations =
      getInts(ctx.node, "dilations").value_or(SmallVector<int64_t>(n, 1));
  SmallVector<int64_t> outputPadding =
      getInts(ctx.node, "output_padding").value_or(SmallVector<int64_t>(n, 0));
  SmallVector<int64_t> pads =
      getInts(ctx.node, "pads").value_or(SmallVector<int64_t>(2 * n, 0));
  std::optional<SmallVector<int64_t>> outputShape =
      getInts(ctx.node, "output_shape");
  if (outputShape && outputShape->size() == n + 2)
    outputShape->erase(outputShape->begin(), outputShape->begin() + 2);
  if (strides.size() != n || dilations.size() != n ||
      outputPadding.size() != n || pads.size() != 2 * n ||
      (outputShape && outputShape->size() != n))
    return ctx.emitError() << "expected " << n
                           << " strides, dilations, output_padding and "
                              "output_shape entries and "
                           << 2 * n << " pads";
  if (llvm::any_of(strides, [](int64_t v) { return v < 1; }) ||
      llvm::any_of(dilations, [](int64_t v) { return v < 1; }))
    return ctx.emitError() << "strides and dilations must be >= 1";
  const onnx::AttributeProto *autoPad = findAttr(ctx.node, "auto_pad");
  std::string mode = autoPad ? autoPad->s() : "NOTSET";
  if (mode != "NOTSET" && mode != "VALID" && mode != "SAME_UPPER" &&
      mode != "SAME_LOWER")
    return ctx.emitError() << "unsupported auto_pad '" << mode << "'";
  if (mode == "VALID")
    pads.assign(2 * n, 0);
  bool same = mode == "SAME_UPPER" || mode == "SAME_LOWER";
  if (outputShape || same) {
    // The pads that make the output `output_shape` (input * strides for
    // SAME_*); the odd element goes to the end for SAME_UPPER.
    for (size_t i = 0; i < n; ++i) {
      int64_t size = inputType.getDimSize(2 + i);
      if (ShapedType::isDynamic(size))
        return ctx.emitError()
               << "output_shape and auto_pad need static spatial sizes";
      int64_t out = outputShape ? (*outputShape)[i] : size * strides[i];
      int64_t total = (size - 1) * strides[i] + outputPadding[i] +
                      (kernel[i] - 1) * dilations[i] + 1 - out;
      int64_t half = llvm::divideFloorSigned(total, 2);
      pads[i] = mode == "SAME_UPPER" ? half : total - half;
      pads[n + i] = total - pads[i];
    }
  }
  int64_t group = getInt(ctx.node, "group", 1);
  if (group < 1 || weightType.getDimSize(0) % group != 0)
    return ctx.emitError() << "group " << group
                           << " must be >= 1 and divide the weight's "
                           << weightType.getDimSize(0) << " input channels";
  SmallVector<int64_t> shape = {inputType.getDimSize(0),
                                weightType.getDimSize(1) * group};
  for (size_t i = 0; i < n; ++i) {
    int64_t size = graph::transposedWindowOutputSize(
        inputType.getDimSize(2 + i), kernel[i], strides[i], pads[i],
        pads[n + i], dilations[i], outputPadding[i]);
    if (!ShapedType::isDynamic(size) && size < 1)
      return ctx.emitError() << "pads leave no output in spatial dim " << i;
    shape.push_back(size);
  }
  RankedTensorType type =
      refine(shape, inputType.getElementType(), ctx.inferredTypes[0]);
  OpBuilder &b = ctx.builder;
  return b
      .create<graph::ConvTransposeOp>(
          ctx.loc, type, x, weight, bias, b.getDenseI64ArrayAttr(strides),
          b.getDenseI64ArrayAttr(pads), b.getDenseI64ArrayAttr(dilations),
          b.getDenseI64ArrayAttr(outputPadding), b.getI64IntegerAttr(group))
      .getResult();
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
  if (inputType.getRank() != 4)
    return ctx.emitError() << "only 2-D (NCHW) inputs are supported, got "
                           << inputType;
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
