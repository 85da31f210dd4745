//===- OnnxQuantOps.cpp - ONNX quantization op importers --------*- C++ -*-===//
//
// Importers of QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear,
// MatMulInteger, ConvInteger, QLinearMatMul and QLinearConv, decomposed
// into graph ops:
//
// - quantized operands (int8 or uint8; uint8 zero-extends) are widened to
//   i32 and their zero points subtracted in i32, so that matrix products
//   and convolutions accumulate exactly (wrapping) in i32;
// - requantization follows ONNX Runtime: the i32 accumulator converts to
//   f32 and is multiplied by (scale_a * scale_b) / scale_y, then rounded
//   half to even (graph.round), offset by the zero point, saturated to the
//   8-bit range and converted;
// - QuantizeLinear divides by the scale (x / scale), as the reference does.
//
// Scales and zero points may be run-time values. A per-axis parameter (a
// 1-D tensor with one element per index of the axis) is reshaped to
// broadcast along that axis; one-element parameters are scalars.
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/Onnx/OnnxImporterImpl.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::onnx_import;

namespace {

constexpr int32_t kUint8 = onnx::TensorProto::UINT8;
constexpr int32_t kInt8 = onnx::TensorProto::INT8;
constexpr int32_t kInt32 = onnx::TensorProto::INT32;
constexpr int32_t kFloat = onnx::TensorProto::FLOAT;

/// The operand dtypes an op accepts: one entry per input index.
struct OperandTypes {
  ArrayRef<int32_t> allowed;
  const char *description;
};

/// Returns the dtypes each input of the quantization op `opType` accepts,
/// or an empty list when this file does not import `opType`.
SmallVector<OperandTypes> getOperandTypes(StringRef opType) {
  static const int32_t quantized[] = {kUint8, kInt8};
  static const int32_t quantizedOrInt32[] = {kUint8, kInt8, kInt32};
  static const int32_t floatOrInt32[] = {kFloat, kInt32};
  static const int32_t f32[] = {kFloat};
  static const int32_t i32[] = {kInt32};
  OperandTypes q = {quantized, "UINT8 or INT8"};
  OperandTypes q32 = {quantizedOrInt32, "UINT8, INT8 or INT32"};
  OperandTypes f = {f32, "FLOAT"};
  if (opType == "QuantizeLinear")
    return {{floatOrInt32, "FLOAT or INT32"}, f, q};
  if (opType == "DequantizeLinear")
    return {q32, f, q32};
  if (opType == "DynamicQuantizeLinear")
    return {f};
  if (opType == "MatMulInteger" || opType == "ConvInteger")
    return {q, q, q, q};
  if (opType == "QLinearMatMul")
    return {q, f, q, q, f, q, f, q};
  if (opType == "QLinearConv")
    return {q, f, q, q, f, q, f, q, {i32, "INT32"}};
  return {};
}

bool isQuantOp(const onnx::NodeProto &node) {
  return (node.domain().empty() || node.domain() == "ai.onnx") &&
         !getOperandTypes(node.op_type()).empty();
}

/// Checks that the inputs at `indices` are present.
LogicalResult requirePresent(NodeContext &ctx, ArrayRef<unsigned> indices) {
  for (unsigned index : indices)
    if (!getOptionalInput(ctx, index))
      return ctx.emitError() << "input " << index << " is required";
  return success();
}

/// Returns the scale or zero point input `index` shaped to broadcast against
/// `like`: a one-element parameter becomes a scalar; with `perAxis`, a 1-D
/// parameter with one element per index of `axis` of `like` is reshaped to
/// 1 x ... x size x ... x 1.
FailureOr<Value> alignParam(NodeContext &ctx, unsigned index, Value like,
                            int64_t axis, bool perAxis) {
  Value param = ctx.inputs[index];
  RankedTensorType type = tensorType(param);
  if (type.hasStaticShape() && type.getNumElements() == 1)
    return type.getRank() == 0 ? param : buildReshape(ctx, param, {});
  RankedTensorType likeType = tensorType(like);
  int64_t rank = likeType.getRank();
  if (!perAxis || rank == 0)
    return ctx.emitError() << "the input '" << ctx.node.input(index)
                           << "' must be a scalar, got " << type;
  FailureOr<int64_t> normalized = normalizeAxis(ctx, axis, rank);
  if (failed(normalized))
    return failure();
  axis = *normalized;
  int64_t size = likeType.getDimSize(axis);
  if (type.getRank() != 1 || ShapedType::isDynamic(size) ||
      type.getDimSize(0) != size)
    return ctx.emitError() << "the input '" << ctx.node.input(index)
                           << "' must be a scalar or hold one element per "
                              "index of axis "
                           << axis << " of " << likeType << ", got " << type;
  SmallVector<int64_t> shape(rank, 1);
  shape[axis] = size;
  return buildReshape(ctx, param, shape);
}

/// Returns input `index` (an 8-bit or 32-bit integer) as i32; uint8 values
/// zero-extend.
Value widen(NodeContext &ctx, Value value, unsigned index) {
  return buildCast(ctx, value, ctx.builder.getI32Type(),
                   isUnsignedInput(ctx, index), /*outputUnsigned=*/false);
}

/// Returns the i32 input `index` minus its zero point (input `zpIndex`,
/// aligned like alignParam), or the widened input when the zero point is
/// omitted.
FailureOr<Value> subtractZeroPoint(NodeContext &ctx, unsigned index,
                                   unsigned zpIndex, int64_t axis,
                                   bool perAxis) {
  Value x = widen(ctx, ctx.inputs[index], index);
  if (!getOptionalInput(ctx, zpIndex))
    return x;
  FailureOr<Value> zp =
      alignParam(ctx, zpIndex, ctx.inputs[index], axis, perAxis);
  if (failed(zp))
    return failure();
  return buildBroadcastBinary<graph::SubOp>(ctx, x, widen(ctx, *zp, zpIndex));
}

/// Returns the f32 scale input `index` aligned like alignParam.
FailureOr<Value> getScale(NodeContext &ctx, unsigned index, Value like,
                          int64_t axis, bool perAxis) {
  if (!tensorType(ctx.inputs[index]).getElementType().isF32())
    return ctx.emitError() << "the scale '" << ctx.node.input(index)
                           << "' must be f32, got "
                           << ctx.inputs[index].getType();
  return alignParam(ctx, index, like, axis, perAxis);
}

/// Converts the integral f32 `value`, already in the 8-bit range, to int8
/// or uint8.
Value convertToInt8(NodeContext &ctx, Value value, bool isUnsigned) {
  OpBuilder &b = ctx.builder;
  // Through i32: every value is in range, and the 8-bit result is a
  // truncation that back ends without f32-to-i8 conversions handle.
  Value wide = buildCast(ctx, value, b.getI32Type(), false, false);
  return buildCast(ctx, wide, b.getI8Type(), false, isUnsigned);
}

/// Saturates the integral f32 `value` to the 8-bit range and converts it.
Value saturateToInt8(NodeContext &ctx, Value value, bool isUnsigned) {
  OpBuilder &b = ctx.builder;
  Value clipped = b.create<graph::ClipOp>(
      ctx.loc, value, b.getF64FloatAttr(isUnsigned ? 0.0 : -128.0),
      b.getF64FloatAttr(isUnsigned ? 255.0 : 127.0));
  return convertToInt8(ctx, clipped, isUnsigned);
}

/// Returns saturate(round_half_to_even(scaled) + zero point) as int8 or
/// uint8: the zero point is input `zpIndex` aligned like alignParam, or 0
/// with a uint8 result when omitted.
FailureOr<Value> requantize(NodeContext &ctx, Value scaled, unsigned zpIndex,
                            int64_t axis, bool perAxis) {
  OpBuilder &b = ctx.builder;
  Value rounded = b.create<graph::RoundOp>(ctx.loc, scaled);
  bool isUnsigned = true;
  if (getOptionalInput(ctx, zpIndex)) {
    isUnsigned = isUnsignedInput(ctx, zpIndex);
    FailureOr<Value> zp = alignParam(ctx, zpIndex, scaled, axis, perAxis);
    if (failed(zp))
      return failure();
    Value zpFloat = buildCast(ctx, *zp, b.getF32Type(), isUnsigned, false);
    FailureOr<Value> sum =
        buildBroadcastBinary<graph::AddOp>(ctx, rounded, zpFloat);
    if (failed(sum))
      return failure();
    rounded = *sum;
  }
  return saturateToInt8(ctx, rounded, isUnsigned);
}

/// Wraps a single result.
FailureOr<SmallVector<Value>> single(FailureOr<Value> value) {
  if (failed(value))
    return failure();
  return SmallVector<Value>{*value};
}

/// The `axis` of QuantizeLinear and DequantizeLinear; before opset 13 the
/// parameters are scalars.
std::pair<int64_t, bool> getQuantAxis(NodeContext &ctx) {
  return {getInt(ctx.node, "axis", 1), ctx.opset >= 13};
}

FailureOr<SmallVector<Value>> importQuantizeLinear(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  Value x = ctx.inputs[0];
  if (!isa<FloatType>(tensorType(x).getElementType()))
    x = buildCast(ctx, x, ctx.builder.getF32Type(), false, false);
  if (!tensorType(x).getElementType().isF32())
    return ctx.emitError() << "expected an f32 or i32 input, got "
                           << x.getType();
  auto [axis, perAxis] = getQuantAxis(ctx);
  FailureOr<Value> scale = getScale(ctx, 1, x, axis, perAxis);
  if (failed(scale))
    return failure();
  FailureOr<Value> scaled = buildBroadcastBinary<graph::DivOp>(ctx, x, *scale);
  if (failed(scaled))
    return failure();
  return single(requantize(ctx, *scaled, 2, axis, perAxis));
}

FailureOr<SmallVector<Value>> importDequantizeLinear(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  Value x = ctx.inputs[0];
  if (!isa<IntegerType>(tensorType(x).getElementType()))
    return ctx.emitError() << "expected an integer input, got " << x.getType();
  auto [axis, perAxis] = getQuantAxis(ctx);
  FailureOr<Value> centered = subtractZeroPoint(ctx, 0, 2, axis, perAxis);
  if (failed(centered))
    return failure();
  Value real =
      buildCast(ctx, *centered, ctx.builder.getF32Type(), false, false);
  FailureOr<Value> scale = getScale(ctx, 1, x, axis, perAxis);
  if (failed(scale))
    return failure();
  return single(buildBroadcastBinary<graph::MulOp>(ctx, real, *scale));
}

FailureOr<SmallVector<Value>> importDynamicQuantizeLinear(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  if (!type.getElementType().isF32())
    return ctx.emitError() << "expected an f32 input, got " << type;
  OpBuilder &b = ctx.builder;
  Location loc = ctx.loc;
  auto scalarType = RankedTensorType::get({}, b.getF32Type());
  SmallVector<int64_t> axes;
  for (int64_t i = 0; i < type.getRank(); ++i)
    axes.push_back(i);
  // The range [min(0, min x), max(0, max x)] maps onto [0, 255].
  Value zero = buildFloatScalar(ctx, b.getF32Type(), 0.0);
  Value lo = b.create<graph::MinOp>(
      loc, scalarType, buildReduce(ctx, x, "min", axes, false), zero, false);
  Value hi = b.create<graph::MaxOp>(
      loc, scalarType, buildReduce(ctx, x, "max", axes, false), zero, false);
  Value range = b.create<graph::SubOp>(loc, scalarType, hi, lo);
  Value scale = b.create<graph::DivOp>(
      loc, scalarType, range, buildFloatScalar(ctx, b.getF32Type(), 255.0),
      false);
  // zero point = saturate(round(0 - lo / scale)).
  Value shift = b.create<graph::SubOp>(
      loc, scalarType, zero,
      b.create<graph::DivOp>(loc, scalarType, lo, scale, false));
  Value zpFloat = b.create<graph::RoundOp>(
      loc, b.create<graph::ClipOp>(loc, shift, b.getF64FloatAttr(0.0),
                                   b.getF64FloatAttr(255.0)));
  FailureOr<Value> scaled = buildBroadcastBinary<graph::DivOp>(ctx, x, scale);
  if (failed(scaled))
    return failure();
  FailureOr<Value> shifted = buildBroadcastBinary<graph::AddOp>(
      ctx, b.create<graph::RoundOp>(loc, *scaled), zpFloat);
  if (failed(shifted))
    return failure();
  // zpFloat is clipped to [0, 255] already, and rounding keeps it there.
  return SmallVector<Value>{saturateToInt8(ctx, *shifted, true), scale,
                            convertToInt8(ctx, zpFloat, true)};
}

/// The i32 matrix product (a - a_zero_point) x (b - b_zero_point) of
/// MatMulInteger (a, b, a_zp, b_zp: inputs 0-3) or QLinearMatMul (0, 3, 2,
/// 5). Zero points are scalars, per row of a or per column of b.
FailureOr<Value> buildIntegerMatMul(NodeContext &ctx, unsigned a, unsigned b,
                                    unsigned aZp, unsigned bZp) {
  FailureOr<Value> lhs = subtractZeroPoint(
      ctx, a, aZp, -2, tensorType(ctx.inputs[a]).getRank() >= 2);
  if (failed(lhs))
    return failure();
  FailureOr<Value> rhs = subtractZeroPoint(
      ctx, b, bZp, -1, tensorType(ctx.inputs[b]).getRank() >= 2);
  if (failed(rhs))
    return failure();
  return buildMatMul(ctx, *lhs, *rhs);
}

/// The i32 convolution (x - x_zero_point) * (w - w_zero_point) + bias of
/// ConvInteger (x, w, x_zp, w_zp: inputs 0-3) or QLinearConv (0, 3, 2, 5,
/// bias 8). The weight's zero point is a scalar or per output channel.
FailureOr<Value> buildIntegerConv(NodeContext &ctx, unsigned x, unsigned w,
                                  unsigned xZp, unsigned wZp, Value bias) {
  FailureOr<Value> input = subtractZeroPoint(ctx, x, xZp, 0, false);
  if (failed(input))
    return failure();
  FailureOr<Value> weight = subtractZeroPoint(ctx, w, wZp, 0, true);
  if (failed(weight))
    return failure();
  return buildConv(ctx, *input, *weight, bias);
}

FailureOr<SmallVector<Value>> importMatMulInteger(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  return single(buildIntegerMatMul(ctx, 0, 1, 2, 3));
}

FailureOr<SmallVector<Value>> importConvInteger(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  return single(buildIntegerConv(ctx, 0, 1, 2, 3, Value()));
}

/// Requantizes the i32 `acc` of QLinearMatMul or QLinearConv: scales are
/// `inputScale` and `weightScale` (aligned already) over y_scale (input 6),
/// the zero point is input 7.
FailureOr<Value> requantizeAccumulator(NodeContext &ctx, Value acc,
                                       Value inputScale, Value weightScale) {
  FailureOr<Value> product =
      buildBroadcastBinary<graph::MulOp>(ctx, inputScale, weightScale);
  if (failed(product))
    return failure();
  FailureOr<Value> outputScale = getScale(ctx, 6, acc, 0, false);
  if (failed(outputScale))
    return failure();
  FailureOr<Value> multiplier =
      buildBroadcastBinary<graph::DivOp>(ctx, *product, *outputScale);
  if (failed(multiplier))
    return failure();
  FailureOr<Value> scaled = buildBroadcastBinary<graph::MulOp>(
      ctx, buildCast(ctx, acc, ctx.builder.getF32Type(), false, false),
      *multiplier);
  if (failed(scaled))
    return failure();
  return requantize(ctx, *scaled, 7, 0, false);
}

FailureOr<SmallVector<Value>> importQLinearMatMul(NodeContext &ctx) {
  if (failed(requirePresent(ctx, {0, 1, 3, 4, 6})))
    return failure();
  FailureOr<Value> acc = buildIntegerMatMul(ctx, 0, 3, 2, 5);
  if (failed(acc))
    return failure();
  Value a = ctx.inputs[0], b = ctx.inputs[3];
  FailureOr<Value> aScale =
      getScale(ctx, 1, a, -2, tensorType(a).getRank() >= 2);
  if (failed(aScale))
    return failure();
  FailureOr<Value> bScale =
      getScale(ctx, 4, b, -1, tensorType(b).getRank() >= 2);
  if (failed(bScale))
    return failure();
  return single(requantizeAccumulator(ctx, *acc, *aScale, *bScale));
}

FailureOr<SmallVector<Value>> importQLinearConv(NodeContext &ctx) {
  if (failed(requirePresent(ctx, {0, 1, 3, 4, 6})))
    return failure();
  Value bias = getOptionalInput(ctx, 8);
  if (bias && !tensorType(bias).getElementType().isInteger(32))
    return ctx.emitError() << "expected an i32 bias, got " << bias.getType();
  FailureOr<Value> acc = buildIntegerConv(ctx, 0, 3, 2, 5, bias);
  if (failed(acc))
    return failure();
  FailureOr<Value> xScale = getScale(ctx, 1, *acc, 0, false);
  if (failed(xScale))
    return failure();
  // The weight's scale is a scalar or per output channel (dim 1 of acc).
  FailureOr<Value> wScale = getScale(ctx, 4, *acc, 1, true);
  if (failed(wScale))
    return failure();
  return single(requantizeAccumulator(ctx, *acc, *xScale, *wScale));
}

} // namespace

std::optional<std::string> onnx_import::checkQuantSupport(
    const onnx::NodeProto &node, int64_t opset,
    llvm::function_ref<int32_t(const std::string &)> dataTypeOf) {
  if (!isQuantOp(node))
    return std::nullopt;
  if (opset < 1 || opset > 17)
    return std::string("unsupported opset (Ingot imports opsets 1 to 17)");
  SmallVector<OperandTypes> operands = getOperandTypes(node.op_type());
  for (auto [index, name] : llvm::enumerate(node.input())) {
    int32_t dataType = name.empty() ? 0 : dataTypeOf(name);
    if (dataType == 0 || index >= operands.size() ||
        llvm::is_contained(operands[index].allowed, dataType))
      continue;
    return "unsupported dtype " + getDataTypeName(dataType) + " of '" + name +
           "' (expected " + operands[index].description + ")";
  }
  return std::string();
}

NodeImporter onnx_import::lookupQuantImporter(StringRef opType) {
  return llvm::StringSwitch<NodeImporter>(opType)
      .Case("QuantizeLinear", importQuantizeLinear)
      .Case("DequantizeLinear", importDequantizeLinear)
      .Case("DynamicQuantizeLinear", importDynamicQuantizeLinear)
      .Case("MatMulInteger", importMatMulInteger)
      .Case("ConvInteger", importConvInteger)
      .Case("QLinearMatMul", importQLinearMatMul)
      .Case("QLinearConv", importQLinearConv)
      .Default(nullptr);
}
