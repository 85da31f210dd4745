//===- OnnxPoolOps.cpp - ONNX pooling importers -----------------*- C++ -*-===//
//
// Importers of MaxPool, AveragePool and LpPool for any number of spatial
// dims: auto_pad and ceil_mode are resolved into explicit pads and output
// sizes. 2-D float MaxPool keeps graph.max_pool (a linalg named op). Also
// the resamplers Resize and Upsample.
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/Onnx/OnnxImporterImpl.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::onnx_import;

namespace {

FailureOr<SmallVector<Value>> importPool(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  StringRef opType = ctx.node.op_type();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  int64_t rank = type.getRank();
  int64_t spatial = rank - 2;
  if (spatial < 1 || !type.hasStaticShape())
    return ctx.emitError() << "expected a static input of rank >= 3, got "
                           << type;
  if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty())
    return ctx.emitError() << "unsupported output 'Indices'";
  bool isFloat = isa<FloatType>(type.getElementType());
  if (opType != "MaxPool" && !isFloat)
    return ctx.emitError() << "expected a floating-point input, got " << type;
  // 2-D float max pooling keeps the named-op path.
  if (opType == "MaxPool" && spatial == 2 && isFloat) {
    FailureOr<Value> result = importMaxPool(ctx);
    if (failed(result))
      return failure();
    return SmallVector<Value>{*result};
  }
  std::optional<SmallVector<int64_t>> kernel =
      getInts(ctx.node, "kernel_shape");
  if (!kernel || static_cast<int64_t>(kernel->size()) != spatial)
    return ctx.emitError() << "expected kernel_shape with " << spatial
                           << " entries";
  SmallVector<int64_t> strides =
      getInts(ctx.node, "strides").value_or(SmallVector<int64_t>(spatial, 1));
  SmallVector<int64_t> dilations =
      getInts(ctx.node, "dilations").value_or(SmallVector<int64_t>(spatial, 1));
  SmallVector<int64_t> pads =
      getInts(ctx.node, "pads").value_or(SmallVector<int64_t>(2 * spatial, 0));
  if (static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(dilations.size()) != spatial ||
      static_cast<int64_t>(pads.size()) != 2 * spatial)
    return ctx.emitError() << "strides, dilations need " << spatial
                           << " entries and pads " << 2 * spatial;
  if (llvm::any_of(*kernel, [](int64_t v) { return v < 1; }) ||
      llvm::any_of(strides, [](int64_t v) { return v < 1; }) ||
      llvm::any_of(dilations, [](int64_t v) { return v < 1; }) ||
      llvm::any_of(pads, [](int64_t v) { return v < 0; }))
    return ctx.emitError() << "kernel, strides and dilations must be >= 1 "
                              "and pads >= 0";
  std::string autoPad = "NOTSET";
  if (const onnx::AttributeProto *attr = findAttr(ctx.node, "auto_pad"))
    autoPad = attr->s();
  bool ceilMode = getInt(ctx.node, "ceil_mode", 0) != 0;

  SmallVector<int64_t> shape(type.getShape().take_front(2));
  for (int64_t d = 0; d < spatial; ++d) {
    int64_t size = type.getDimSize(2 + d);
    int64_t extent = ((*kernel)[d] - 1) * dilations[d] + 1;
    int64_t out;
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      out = (size + strides[d] - 1) / strides[d];
      int64_t total =
          std::max<int64_t>((out - 1) * strides[d] + extent - size, 0);
      int64_t small = total / 2;
      pads[d] = autoPad == "SAME_UPPER" ? small : total - small;
      pads[d + spatial] = total - pads[d];
    } else {
      if (autoPad == "VALID") {
        pads[d] = pads[d + spatial] = 0;
      } else if (autoPad != "NOTSET") {
        return ctx.emitError() << "unsupported auto_pad '" << autoPad << "'";
      }
      int64_t span = size + pads[d] + pads[d + spatial] - extent;
      if (span < 0)
        return ctx.emitError() << "the window does not fit dim " << 2 + d;
      out = (ceilMode ? (span + strides[d] - 1) / strides[d]
                      : span / strides[d]) +
            1;
      // A last window that starts in the trailing padding is dropped.
      if (ceilMode && (out - 1) * strides[d] >= size + pads[d])
        --out;
    }
    shape.push_back(out);
  }
  StringRef kind = opType == "MaxPool"  ? "max"
                   : opType == "LpPool" ? "lp"
                                        : "avg";
  OpBuilder &b = ctx.builder;
  return SmallVector<Value>{
      b.create<graph::PoolOp>(
           ctx.loc, RankedTensorType::get(shape, type.getElementType()), x,
           b.getStringAttr(kind), b.getDenseI64ArrayAttr(*kernel),
           b.getDenseI64ArrayAttr(strides), b.getDenseI64ArrayAttr(pads),
           b.getDenseI64ArrayAttr(dilations),
           b.getBoolAttr(getInt(ctx.node, "count_include_pad", 0) != 0),
           b.getI64IntegerAttr(getInt(ctx.node, "p", 2)))
          .getResult()};
}

/// Returns the string attribute `name` of `node`, or `defaultValue`.
std::string getString(const onnx::NodeProto &node, StringRef name,
                      StringRef defaultValue) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->s() : defaultValue.str();
}

/// Checks at run time that Resize's run-time `sizes` (or else `scales`,
/// giving floor(size * scale) in f32 like ONNX's shape inference) resolve
/// `type` to `shape`.
LogicalResult checkRuntimeResize(NodeContext &ctx, Value sizes, Value scales,
                                 RankedTensorType type,
                                 ArrayRef<int64_t> shape) {
  auto inputIndex = [&](Value v) {
    return static_cast<size_t>(llvm::find(ctx.inputs, v) - ctx.inputs.begin());
  };
  std::string requirement = "must resize " + formatShape(type.getShape()) +
                            " to " + formatShape(shape);
  if (sizes) {
    SmallVector<SmallVector<int64_t>> allowed;
    for (int64_t size : shape)
      allowed.push_back({size});
    FailureOr<Value> condition =
        buildEntriesCheck(ctx, inputIndex(sizes), allowed);
    if (failed(condition))
      return failure();
    addRuntimeCheck(ctx, *condition, inputIndex(sizes), requirement);
    return success();
  }
  // The caller checked that scales is a rank-element f32 vector.
  OpBuilder &b = ctx.builder;
  RankedTensorType scalesType = tensorType(scales);
  SmallVector<float> inSizes, outSizes;
  for (auto [in, out] : llvm::zip(type.getShape(), shape)) {
    inSizes.push_back(static_cast<float>(in));
    outSizes.push_back(static_cast<float>(out));
  }
  auto constant = [&](ArrayRef<float> values) -> Value {
    return b.create<graph::ConstantOp>(
        ctx.loc, DenseElementsAttr::get(scalesType, values));
  };
  Value scaled =
      b.create<graph::MulOp>(ctx.loc, scalesType, scales, constant(inSizes));
  Value floored = b.create<graph::FloorOp>(ctx.loc, scaled);
  Value same = b.create<graph::EqualOp>(
      ctx.loc, scalesType.clone(b.getI1Type()), floored, constant(outSizes));
  addRuntimeCheck(ctx, buildAllTrue(ctx, same), inputIndex(scales),
                  requirement);
  return success();
}

/// Resize (opset 10+) and Upsample. The result shape is computed from
/// constant scales or sizes, else taken from the static output type;
/// scales given as an input are read at run time.
FailureOr<SmallVector<Value>> importResize(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  int64_t rank = type.getRank();
  if (!type.hasStaticShape() || !isa<FloatType>(type.getElementType()))
    return ctx.emitError() << "expected a static floating-point input, got "
                           << type;
  bool legacy = ctx.node.op_type() == "Upsample" || ctx.opset < 11;
  std::string mode = getString(ctx.node, "mode", "nearest");
  if (mode == "bilinear")
    mode = "linear";
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return ctx.emitError() << "unsupported mode '" << mode << "'";
  std::string transform =
      legacy
          ? "asymmetric"
          : getString(ctx.node, "coordinate_transformation_mode", "half_pixel");
  std::string nearestMode =
      legacy ? "floor"
             : getString(ctx.node, "nearest_mode", "round_prefer_floor");
  if (transform == "tf_crop_and_resize")
    return ctx.emitError() << "unsupported coordinate_transformation_mode '"
                           << transform << "'";

  // Where the scales come from: an attribute (Upsample-7), an input, or the
  // sizes input (opset 11+).
  Value scales, sizes;
  std::optional<SmallVector<float>> constantScales;
  if (ctx.node.op_type() == "Upsample" && ctx.opset < 9) {
    const onnx::AttributeProto *attr = findAttr(ctx.node, "scales");
    if (!attr)
      return ctx.emitError() << "expected a scales attribute";
    constantScales.emplace(attr->floats().begin(), attr->floats().end());
  } else {
    size_t scalesIndex = legacy ? 1 : 2;
    if (ctx.inputs.size() > scalesIndex && ctx.inputs[scalesIndex] &&
        tensorType(ctx.inputs[scalesIndex]).getNumElements() != 0)
      scales = ctx.inputs[scalesIndex];
    if (!legacy && ctx.inputs.size() > 3 && ctx.inputs[3])
      sizes = ctx.inputs[3];
    if (!scales && !sizes)
      return ctx.emitError() << "expected scales or sizes";
    if (scales) {
      RankedTensorType scalesType = tensorType(scales);
      if (scalesType.getElementType() != ctx.builder.getF32Type() ||
          scalesType.getRank() != 1 || scalesType.getDimSize(0) != rank)
        return ctx.emitError()
               << "expected " << rank << " float scales, got " << scalesType;
      if (auto constant = scales.getDefiningOp<graph::ConstantOp>())
        if (auto elements =
                dyn_cast<DenseFPElementsAttr>(constant.getValue())) {
          constantScales.emplace();
          for (const APFloat &v : elements.getValues<APFloat>())
            constantScales->push_back(v.convertToFloat());
        }
    }
  }
  if (constantScales && static_cast<int64_t>(constantScales->size()) != rank)
    return ctx.emitError() << "expected " << rank << " scales";

  SmallVector<int64_t> shape;
  if (sizes) {
    if (std::optional<SmallVector<int64_t>> s = getConstantInts(sizes))
      shape = *s;
  } else if (constantScales) {
    for (auto [size, scale] : llvm::zip(type.getShape(), *constantScales))
      shape.push_back(static_cast<int64_t>(std::floor(size * scale)));
  }
  if (shape.empty()) {
    RankedTensorType inferred = ctx.inferredTypes[0];
    if (!inferred || !inferred.hasStaticShape())
      return ctx.emitError() << "the output size must be constant (or the "
                                "output type static)";
    shape.assign(inferred.getShape().begin(), inferred.getShape().end());
    if (failed(checkRuntimeResize(ctx, sizes, scales, type, shape)))
      return failure();
  }
  if (static_cast<int64_t>(shape.size()) != rank ||
      llvm::any_of(shape, [](int64_t s) { return s < 0; }))
    return ctx.emitError() << "expected " << rank << " output sizes >= 0";
  OpBuilder &b = ctx.builder;
  // With sizes (or attribute scales), the scales are constants.
  if (!scales || constantScales) {
    SmallVector<float> values;
    for (int64_t d = 0; d < rank; ++d)
      values.push_back(constantScales ? (*constantScales)[d]
                       : type.getDimSize(d) == 0
                           ? 1.0f
                           : static_cast<float>(shape[d]) /
                                 static_cast<float>(type.getDimSize(d)));
    scales = b.create<graph::ConstantOp>(
        ctx.loc,
        DenseElementsAttr::get(RankedTensorType::get({rank}, b.getF32Type()),
                               ArrayRef<float>(values)));
  }
  return SmallVector<Value>{
      b.create<graph::ResizeOp>(
           ctx.loc, RankedTensorType::get(shape, type.getElementType()), x,
           scales, b.getStringAttr(mode), b.getStringAttr(transform),
           b.getStringAttr(nearestMode),
           b.getF64FloatAttr(getFloat(ctx.node, "cubic_coeff_a", -0.75f)),
           b.getBoolAttr(getInt(ctx.node, "exclude_outside", 0) != 0))
          .getResult()};
}

} // namespace

NodeImporter onnx_import::lookupPoolImporter(StringRef opType) {
  return llvm::StringSwitch<NodeImporter>(opType)
      .Cases("MaxPool", "AveragePool", "LpPool", importPool)
      .Cases("Resize", "Upsample", importResize)
      .Default(nullptr);
}
