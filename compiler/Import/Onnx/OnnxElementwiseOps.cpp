//===- OnnxElementwiseOps.cpp - ONNX elementwise op importers --*- C++ -*-===//
//
// Importers of the elementwise ONNX operators beyond the basic arithmetic of
// OnnxOps.cpp: unary math and activations, Max/Min/Sum/Mean, Mod, BitShift,
// logical ops, comparisons, Where, Cast/CastLike,
// Pow with mixed dtypes and Clip on integers or with run-time bounds.
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/Onnx/OnnxImporterImpl.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::onnx_import;

bool onnx_import::isFloatDataType(int32_t dataType) {
  return dataType == onnx::TensorProto::FLOAT ||
         dataType == onnx::TensorProto::DOUBLE ||
         dataType == onnx::TensorProto::FLOAT16 ||
         dataType == onnx::TensorProto::BFLOAT16;
}

namespace {

/// The operators this file imports.
enum class EwKind {
  Unknown,
  // Unary, same type in and out.
  Abs,
  Neg,
  Sign,
  Exp,
  Log,
  Ceil,
  Floor,
  Round,
  Reciprocal,
  Sin,
  Cos,
  Tan,
  Asin,
  Acos,
  Atan,
  Sinh,
  Cosh,
  Asinh,
  Acosh,
  Atanh,
  Softplus,
  Softsign,
  Not,
  Elu,
  Selu,
  Celu,
  LeakyRelu,
  HardSigmoid,
  HardSwish,
  ThresholdedRelu,
  Shrink,
  // Predicates.
  IsNaN,
  IsInf,
  // Variadic.
  Max,
  Min,
  Sum,
  Mean,
  // Binary.
  Mod,
  BitShift,
  And,
  Or,
  Xor,
  PRelu,
  Equal,
  Less,
  LessOrEqual,
  Greater,
  GreaterOrEqual,
  Pow,
  // Others.
  Where,
  Cast,
  CastLike,
};

EwKind classifyElementwise(const onnx::NodeProto &node) {
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return EwKind::Unknown;
  return llvm::StringSwitch<EwKind>(node.op_type())
      .Case("Abs", EwKind::Abs)
      .Case("Neg", EwKind::Neg)
      .Case("Sign", EwKind::Sign)
      .Case("Exp", EwKind::Exp)
      .Case("Log", EwKind::Log)
      .Case("Ceil", EwKind::Ceil)
      .Case("Floor", EwKind::Floor)
      .Case("Round", EwKind::Round)
      .Case("Reciprocal", EwKind::Reciprocal)
      .Case("Sin", EwKind::Sin)
      .Case("Cos", EwKind::Cos)
      .Case("Tan", EwKind::Tan)
      .Case("Asin", EwKind::Asin)
      .Case("Acos", EwKind::Acos)
      .Case("Atan", EwKind::Atan)
      .Case("Sinh", EwKind::Sinh)
      .Case("Cosh", EwKind::Cosh)
      .Case("Asinh", EwKind::Asinh)
      .Case("Acosh", EwKind::Acosh)
      .Case("Atanh", EwKind::Atanh)
      .Case("Softplus", EwKind::Softplus)
      .Case("Softsign", EwKind::Softsign)
      .Case("Not", EwKind::Not)
      .Case("Elu", EwKind::Elu)
      .Case("Selu", EwKind::Selu)
      .Case("Celu", EwKind::Celu)
      .Case("LeakyRelu", EwKind::LeakyRelu)
      .Case("HardSigmoid", EwKind::HardSigmoid)
      .Case("HardSwish", EwKind::HardSwish)
      .Case("ThresholdedRelu", EwKind::ThresholdedRelu)
      .Case("Shrink", EwKind::Shrink)
      .Case("IsNaN", EwKind::IsNaN)
      .Case("IsInf", EwKind::IsInf)
      .Case("Max", EwKind::Max)
      .Case("Min", EwKind::Min)
      .Case("Sum", EwKind::Sum)
      .Case("Mean", EwKind::Mean)
      .Case("Mod", EwKind::Mod)
      .Case("BitShift", EwKind::BitShift)
      .Case("And", EwKind::And)
      .Case("Or", EwKind::Or)
      .Case("Xor", EwKind::Xor)
      .Case("PRelu", EwKind::PRelu)
      .Case("Equal", EwKind::Equal)
      .Case("Less", EwKind::Less)
      .Case("LessOrEqual", EwKind::LessOrEqual)
      .Case("Greater", EwKind::Greater)
      .Case("GreaterOrEqual", EwKind::GreaterOrEqual)
      .Case("Pow", EwKind::Pow)
      .Case("Where", EwKind::Where)
      .Case("Cast", EwKind::Cast)
      .Case("CastLike", EwKind::CastLike)
      .Default(EwKind::Unknown);
}

/// Ops whose operands must be floating-point.
bool needsFloat(EwKind kind) {
  switch (kind) {
  case EwKind::Exp:
  case EwKind::Log:
  case EwKind::Ceil:
  case EwKind::Floor:
  case EwKind::Round:
  case EwKind::Reciprocal:
  case EwKind::Sin:
  case EwKind::Cos:
  case EwKind::Tan:
  case EwKind::Asin:
  case EwKind::Acos:
  case EwKind::Atan:
  case EwKind::Sinh:
  case EwKind::Cosh:
  case EwKind::Asinh:
  case EwKind::Acosh:
  case EwKind::Atanh:
  case EwKind::Softplus:
  case EwKind::Softsign:
  case EwKind::Elu:
  case EwKind::Selu:
  case EwKind::Celu:
  case EwKind::LeakyRelu:
  case EwKind::HardSigmoid:
  case EwKind::HardSwish:
  case EwKind::ThresholdedRelu:
  case EwKind::Shrink:
  case EwKind::IsNaN:
  case EwKind::IsInf:
  case EwKind::PRelu:
    return true;
  default:
    return false;
  }
}

} // namespace

std::optional<std::string> onnx_import::checkElementwiseSupport(
    const onnx::NodeProto &node, int64_t opset,
    llvm::function_ref<int32_t(const std::string &)> dataTypeOf) {
  EwKind kind = classifyElementwise(node);
  if (kind == EwKind::Unknown)
    return std::nullopt;
  // Pow on one floating-point type stays with OnnxOps.cpp.
  if (kind == EwKind::Pow) {
    int32_t base = node.input_size() > 0 ? dataTypeOf(node.input(0)) : 0;
    int32_t exponent = node.input_size() > 1 ? dataTypeOf(node.input(1)) : 0;
    if (base == exponent && isFloatDataType(base))
      return std::nullopt;
  }
  if (opset < 1 || opset > 17)
    return std::string("unsupported opset (Ingot imports opsets 1 to 17)");
  auto checkType = [&](const std::string &name, bool isInput) -> std::string {
    int32_t dataType = name.empty() ? 0 : dataTypeOf(name);
    if (dataType == 0)
      return "";
    if (!isSupportedDataType(dataType))
      return "unsupported dtype " + getDataTypeName(dataType) + " of '" + name +
             "'";
    if (isInput && needsFloat(kind) && !isFloatDataType(dataType))
      return "unsupported dtype " + getDataTypeName(dataType) + " of '" + name +
             "' (expected a floating-point type)";
    return "";
  };
  for (const std::string &name : node.input())
    if (std::string reason = checkType(name, true); !reason.empty())
      return reason;
  for (const std::string &name : node.output())
    if (std::string reason = checkType(name, false); !reason.empty())
      return reason;
  if (kind == EwKind::Cast) {
    int32_t to = getInt(node, "to", 0);
    if (!isSupportedDataType(to))
      return "unsupported dtype " + getDataTypeName(to) + " (Cast 'to')";
  }
  return std::string();
}

//===----------------------------------------------------------------------===//
// Importers
//===----------------------------------------------------------------------===//

bool onnx_import::isUnsignedInput(NodeContext &ctx, unsigned index) {
  return index < ctx.inputDataTypes.size() &&
         isUnsignedDataType(ctx.inputDataTypes[index]);
}

Value onnx_import::buildCast(NodeContext &ctx, Value value, Type elementType,
                             bool inputUnsigned, bool outputUnsigned) {
  RankedTensorType type = tensorType(value);
  if (type.getElementType() == elementType)
    return value;
  return ctx.builder.create<graph::CastOp>(
      ctx.loc, type.clone(elementType), value, inputUnsigned, outputUnsigned);
}

namespace {

/// Returns the numpy broadcast of the shapes of `operands` refined by ONNX's
/// inferred output type, with element type `elementType`.
FailureOr<RankedTensorType> broadcastType(NodeContext &ctx, ValueRange operands,
                                          Type elementType) {
  SmallVector<int64_t> shape;
  for (Value operand : operands) {
    SmallVector<int64_t> next;
    if (!graph::broadcastShapes(shape, tensorType(operand).getShape(), next))
      return ctx.emitError()
             << "operand shapes do not broadcast: " << operand.getType()
             << " against a " << shape.size() << "-D shape";
    shape = std::move(next);
  }
  return refine(shape, elementType, ctx.inferredTypes[0]);
}

/// Builds the broadcasting binary op `OpTy` with the result element type of
/// `lhs`; `build` adds the op's attributes.
template <typename OpTy, typename... Args>
FailureOr<Value> buildBinary(NodeContext &ctx, Value lhs, Value rhs,
                             Args &&...args) {
  FailureOr<Value> aligned = alignLegacyBroadcast(ctx, lhs, rhs);
  if (failed(aligned))
    return failure();
  rhs = *aligned;
  if (tensorType(lhs).getElementType() != tensorType(rhs).getElementType())
    return ctx.emitError() << "operand element types differ: " << lhs.getType()
                           << " and " << rhs.getType();
  FailureOr<RankedTensorType> type =
      broadcastType(ctx, {lhs, rhs}, tensorType(lhs).getElementType());
  if (failed(type))
    return failure();
  return ctx.builder
      .create<OpTy>(ctx.loc, *type, lhs, rhs, std::forward<Args>(args)...)
      .getResult();
}

/// Builds a comparison op (boolean result).
template <typename OpTy> FailureOr<Value> buildCompare(NodeContext &ctx) {
  Value lhs = ctx.inputs[0];
  FailureOr<Value> rhs = alignLegacyBroadcast(ctx, lhs, ctx.inputs[1]);
  if (failed(rhs))
    return failure();
  if (tensorType(lhs).getElementType() != tensorType(*rhs).getElementType())
    return ctx.emitError() << "operand element types differ: " << lhs.getType()
                           << " and " << rhs->getType();
  FailureOr<RankedTensorType> type =
      broadcastType(ctx, {lhs, *rhs}, ctx.builder.getI1Type());
  if (failed(type))
    return failure();
  return ctx.builder
      .create<OpTy>(ctx.loc, *type, lhs, *rhs, isUnsignedInput(ctx, 0))
      .getResult();
}

/// Folds the variadic Max/Min/Sum over the node's inputs.
template <typename OpTy, typename... Args>
FailureOr<Value> buildVariadic(NodeContext &ctx, Args... args) {
  if (ctx.inputs.empty() ||
      llvm::any_of(ctx.inputs, [](Value v) { return !v; }))
    return ctx.emitError() << "expected at least one input, none omitted";
  Value result = ctx.inputs[0];
  for (Value next : ArrayRef(ctx.inputs).drop_front()) {
    FailureOr<Value> combined = buildBinary<OpTy>(ctx, result, next, args...);
    if (failed(combined))
      return failure();
    result = *combined;
  }
  // A single input (or broadcast inputs) still has the inferred type.
  return result;
}

/// Returns a rank-0 constant of `elementType` holding `value`.
Value buildScalar(NodeContext &ctx, Type elementType, double value) {
  auto type = RankedTensorType::get({}, elementType);
  Attribute attr;
  if (auto floatType = dyn_cast<FloatType>(elementType))
    attr = DenseElementsAttr::get(type, FloatAttr::get(floatType, value));
  else
    attr = DenseElementsAttr::get(
        type, IntegerAttr::get(elementType, static_cast<int64_t>(value)));
  return ctx.builder.create<graph::ConstantOp>(ctx.loc,
                                               cast<ElementsAttr>(attr));
}

FailureOr<Value> importUnaryMath(NodeContext &ctx, EwKind kind) {
  Value x = ctx.inputs[0];
  OpBuilder &b = ctx.builder;
  Location loc = ctx.loc;
  bool isFloat = isa<FloatType>(tensorType(x).getElementType());
  if (needsFloat(kind) && !isFloat)
    return ctx.emitError() << "expected a floating-point operand, got "
                           << x.getType();
  auto alpha = [&](float defaultValue) {
    return b.getF64FloatAttr(getFloat(ctx.node, "alpha", defaultValue));
  };
  switch (kind) {
  case EwKind::Abs:
    return b.create<graph::AbsOp>(loc, x).getResult();
  case EwKind::Neg:
    return b.create<graph::NegOp>(loc, x).getResult();
  case EwKind::Sign:
    return b.create<graph::SignOp>(loc, x).getResult();
  case EwKind::Exp:
    return b.create<graph::ExpOp>(loc, x).getResult();
  case EwKind::Log:
    return b.create<graph::LogOp>(loc, x).getResult();
  case EwKind::Ceil:
    return b.create<graph::CeilOp>(loc, x).getResult();
  case EwKind::Floor:
    return b.create<graph::FloorOp>(loc, x).getResult();
  case EwKind::Round:
    return b.create<graph::RoundOp>(loc, x).getResult();
  case EwKind::Reciprocal:
    return b.create<graph::ReciprocalOp>(loc, x).getResult();
  case EwKind::Sin:
    return b.create<graph::SinOp>(loc, x).getResult();
  case EwKind::Cos:
    return b.create<graph::CosOp>(loc, x).getResult();
  case EwKind::Tan:
    return b.create<graph::TanOp>(loc, x).getResult();
  case EwKind::Asin:
    return b.create<graph::AsinOp>(loc, x).getResult();
  case EwKind::Acos:
    return b.create<graph::AcosOp>(loc, x).getResult();
  case EwKind::Atan:
    return b.create<graph::AtanOp>(loc, x).getResult();
  case EwKind::Sinh:
    return b.create<graph::SinhOp>(loc, x).getResult();
  case EwKind::Cosh:
    return b.create<graph::CoshOp>(loc, x).getResult();
  case EwKind::Asinh:
    return b.create<graph::AsinhOp>(loc, x).getResult();
  case EwKind::Acosh:
    return b.create<graph::AcoshOp>(loc, x).getResult();
  case EwKind::Atanh:
    return b.create<graph::AtanhOp>(loc, x).getResult();
  case EwKind::Softplus:
    return b.create<graph::SoftplusOp>(loc, x).getResult();
  case EwKind::Softsign:
    return b.create<graph::SoftsignOp>(loc, x).getResult();
  case EwKind::Not:
    if (!tensorType(x).getElementType().isInteger(1))
      return ctx.emitError()
             << "expected a boolean operand, got " << x.getType();
    return b.create<graph::NotOp>(loc, x).getResult();
  case EwKind::Elu:
    return b.create<graph::EluOp>(loc, x, alpha(1.0f)).getResult();
  case EwKind::Celu:
    return b.create<graph::CeluOp>(loc, x, alpha(1.0f)).getResult();
  case EwKind::Selu:
    return b
        .create<graph::SeluOp>(
            loc, x, alpha(1.67326319217681884765625f),
            b.getF64FloatAttr(
                getFloat(ctx.node, "gamma", 1.05070102214813232421875f)))
        .getResult();
  case EwKind::LeakyRelu:
    return b.create<graph::LeakyReluOp>(loc, x, alpha(0.01f)).getResult();
  case EwKind::HardSigmoid:
    return b
        .create<graph::HardSigmoidOp>(
            loc, x, alpha(0.2f),
            b.getF64FloatAttr(getFloat(ctx.node, "beta", 0.5f)))
        .getResult();
  case EwKind::HardSwish: {
    // x * HardSigmoid(x) with alpha = 1/6, beta = 0.5.
    Value gate = b.create<graph::HardSigmoidOp>(
        loc, x, b.getF64FloatAttr(1.0 / 6.0), b.getF64FloatAttr(0.5));
    return b.create<graph::MulOp>(loc, x.getType(), x, gate).getResult();
  }
  case EwKind::ThresholdedRelu:
    return b.create<graph::ThresholdedReluOp>(loc, x, alpha(1.0f)).getResult();
  case EwKind::Shrink:
    return b
        .create<graph::ShrinkOp>(
            loc, x, b.getF64FloatAttr(getFloat(ctx.node, "lambd", 0.5f)),
            b.getF64FloatAttr(getFloat(ctx.node, "bias", 0.0f)))
        .getResult();
  case EwKind::IsNaN:
    return b.create<graph::IsNaNOp>(loc, tensorType(x).clone(b.getI1Type()), x)
        .getResult();
  case EwKind::IsInf:
    return b
        .create<graph::IsInfOp>(loc, tensorType(x).clone(b.getI1Type()), x,
                                getInt(ctx.node, "detect_negative", 1) != 0,
                                getInt(ctx.node, "detect_positive", 1) != 0)
        .getResult();
  default:
    llvm_unreachable("not a unary op");
  }
}

/// Pow(T, T1) with integer or mixed operands: computed in floating point
/// (the base's type, or f64 for an integer base) and cast back to T.
FailureOr<Value> importMixedPow(NodeContext &ctx) {
  Value base = ctx.inputs[0], exponent = ctx.inputs[1];
  Type baseType = tensorType(base).getElementType();
  Type computeType =
      isa<FloatType>(baseType) ? baseType : ctx.builder.getF64Type();
  Value x = buildCast(ctx, base, computeType, isUnsignedInput(ctx, 0), false);
  Value y =
      buildCast(ctx, exponent, computeType, isUnsignedInput(ctx, 1), false);
  FailureOr<Value> pow = buildBinary<graph::PowOp>(ctx, x, y);
  if (failed(pow))
    return failure();
  return buildCast(ctx, *pow, baseType, false, isUnsignedInput(ctx, 0));
}

FailureOr<Value> importCast(NodeContext &ctx, EwKind kind) {
  Value x = ctx.inputs[0];
  int32_t to;
  if (kind == EwKind::Cast) {
    to = getInt(ctx.node, "to", 0);
  } else {
    if (failed(requireInputs(ctx, 2)))
      return failure();
    to = ctx.inputDataTypes[1];
  }
  Type elementType = getElementType(ctx.builder.getContext(), to);
  if (!elementType)
    return ctx.emitError() << "unsupported target dtype "
                           << getDataTypeName(to);
  return buildCast(ctx, x, elementType, isUnsignedInput(ctx, 0),
                   isUnsignedDataType(to));
}

FailureOr<Value> importWhere(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 3)))
    return failure();
  Value condition = ctx.inputs[0], lhs = ctx.inputs[1], rhs = ctx.inputs[2];
  if (!tensorType(condition).getElementType().isInteger(1))
    return ctx.emitError() << "expected a boolean condition, got "
                           << condition.getType();
  if (tensorType(lhs).getElementType() != tensorType(rhs).getElementType())
    return ctx.emitError() << "operand element types differ: " << lhs.getType()
                           << " and " << rhs.getType();
  FailureOr<RankedTensorType> type = broadcastType(
      ctx, {condition, lhs, rhs}, tensorType(lhs).getElementType());
  if (failed(type))
    return failure();
  return ctx.builder.create<graph::WhereOp>(ctx.loc, *type, condition, lhs, rhs)
      .getResult();
}

FailureOr<Value> importBinaryOp(NodeContext &ctx, EwKind kind) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  Value lhs = ctx.inputs[0], rhs = ctx.inputs[1];
  Type elementType = tensorType(lhs).getElementType();
  bool isUnsigned = isUnsignedInput(ctx, 0);
  bool isBool = elementType.isInteger(1);
  switch (kind) {
  case EwKind::Mod: {
    bool fmod = getInt(ctx.node, "fmod", 0) != 0;
    if (!fmod && isa<FloatType>(elementType))
      return ctx.emitError() << "floating-point operands need fmod = 1";
    return buildBinary<graph::ModOp>(ctx, lhs, rhs, fmod, isUnsigned);
  }
  case EwKind::BitShift: {
    std::string direction;
    if (const onnx::AttributeProto *attr = findAttr(ctx.node, "direction"))
      direction = attr->s();
    if (direction != "LEFT" && direction != "RIGHT")
      return ctx.emitError()
             << "direction must be LEFT or RIGHT, got '" << direction << "'";
    if (!isa<IntegerType>(elementType) || isBool)
      return ctx.emitError()
             << "expected integer operands, got " << lhs.getType();
    return buildBinary<graph::BitShiftOp>(ctx, lhs, rhs, direction == "LEFT");
  }
  case EwKind::And:
  case EwKind::Or:
  case EwKind::Xor:
    if (!isBool)
      return ctx.emitError()
             << "expected boolean operands, got " << lhs.getType();
    if (kind == EwKind::And)
      return buildBinary<graph::AndOp>(ctx, lhs, rhs);
    if (kind == EwKind::Or)
      return buildBinary<graph::OrOp>(ctx, lhs, rhs);
    return buildBinary<graph::XorOp>(ctx, lhs, rhs);
  case EwKind::PRelu: {
    if (!isa<FloatType>(elementType))
      return ctx.emitError()
             << "expected floating-point operands, got " << lhs.getType();
    // Exporters of opset < 7 models give one slope per channel (dim 1) as a
    // 1-D tensor: align it with the channel dim.
    RankedTensorType xType = tensorType(lhs), slopeType = tensorType(rhs);
    SmallVector<int64_t> unused;
    if (slopeType.getRank() == 1 && xType.getRank() > 2 &&
        !graph::broadcastShapes(xType.getShape(), slopeType.getShape(),
                                unused) &&
        slopeType.getDimSize(0) == xType.getDimSize(1)) {
      SmallVector<int64_t> shape(xType.getRank() - 1, 1);
      shape[0] = slopeType.getDimSize(0);
      FailureOr<Value> reshaped = buildReshape(ctx, rhs, shape);
      if (failed(reshaped))
        return failure();
      rhs = *reshaped;
    }
    return buildBinary<graph::PReluOp>(ctx, lhs, rhs);
  }
  case EwKind::Equal:
    return buildCompare<graph::EqualOp>(ctx);
  case EwKind::Less:
    return buildCompare<graph::LessOp>(ctx);
  case EwKind::LessOrEqual:
    return buildCompare<graph::LessOrEqualOp>(ctx);
  case EwKind::Greater:
    return buildCompare<graph::GreaterOp>(ctx);
  case EwKind::GreaterOrEqual:
    return buildCompare<graph::GreaterOrEqualOp>(ctx);
  default:
    llvm_unreachable("not a binary op");
  }
}

FailureOr<Value> importVariadic(NodeContext &ctx, EwKind kind) {
  bool isUnsigned = isUnsignedInput(ctx, 0);
  switch (kind) {
  case EwKind::Max:
    return buildVariadic<graph::MaxOp>(ctx, isUnsigned);
  case EwKind::Min:
    return buildVariadic<graph::MinOp>(ctx, isUnsigned);
  case EwKind::Sum:
    return buildVariadic<graph::AddOp>(ctx);
  case EwKind::Mean: {
    FailureOr<Value> sum = buildVariadic<graph::AddOp>(ctx);
    if (failed(sum) || ctx.inputs.size() == 1)
      return sum;
    Type elementType = tensorType(*sum).getElementType();
    Value count =
        buildScalar(ctx, elementType, static_cast<double>(ctx.inputs.size()));
    return buildBinary<graph::DivOp>(ctx, *sum, count, isUnsigned);
  }
  default:
    llvm_unreachable("not a variadic op");
  }
}

/// Imports the ops with one result.
FailureOr<Value> importSingleResult(NodeContext &ctx, EwKind kind) {
  switch (kind) {
  case EwKind::Pow:
    if (failed(requireInputs(ctx, 2)))
      return failure();
    return importMixedPow(ctx);
  case EwKind::Max:
  case EwKind::Min:
  case EwKind::Sum:
  case EwKind::Mean:
    return importVariadic(ctx, kind);
  case EwKind::Mod:
  case EwKind::BitShift:
  case EwKind::And:
  case EwKind::Or:
  case EwKind::Xor:
  case EwKind::PRelu:
  case EwKind::Equal:
  case EwKind::Less:
  case EwKind::LessOrEqual:
  case EwKind::Greater:
  case EwKind::GreaterOrEqual:
    return importBinaryOp(ctx, kind);
  case EwKind::Where:
    return importWhere(ctx);
  case EwKind::Cast:
  case EwKind::CastLike:
    return importCast(ctx, kind);
  default:
    return importUnaryMath(ctx, kind);
  }
}

} // namespace

FailureOr<Value> onnx_import::importClipAsMaxMin(NodeContext &ctx) {
  Value x = ctx.inputs[0];
  if (ctx.opset < 11)
    return ctx.emitError() << "expected a floating-point input, got "
                           << x.getType();
  bool isUnsigned = isUnsignedInput(ctx, 0);
  // min(max(x, lo), hi); an omitted bound is no bound.
  for (unsigned index : {1u, 2u}) {
    if (ctx.inputs.size() <= index || !ctx.inputs[index])
      continue;
    Value bound = ctx.inputs[index];
    if (tensorType(bound).getRank() != 0 &&
        tensorType(bound).getNumElements() != 1)
      return ctx.emitError() << "the bound '" << ctx.node.input(index)
                             << "' must be a scalar, got " << bound.getType();
    FailureOr<Value> clipped =
        index == 1 ? buildBinary<graph::MaxOp>(ctx, x, bound, isUnsigned)
                   : buildBinary<graph::MinOp>(ctx, x, bound, isUnsigned);
    if (failed(clipped))
      return failure();
    x = *clipped;
  }
  return x;
}

std::optional<FailureOr<SmallVector<Value>>>
onnx_import::importElementwiseNode(NodeContext &ctx) {
  EwKind kind = classifyElementwise(ctx.node);
  if (kind == EwKind::Unknown)
    return std::nullopt;
  if (kind == EwKind::Pow && succeeded(requireInputs(ctx, 2))) {
    Type base = tensorType(ctx.inputs[0]).getElementType();
    if (base == tensorType(ctx.inputs[1]).getElementType() &&
        isa<FloatType>(base))
      return std::nullopt; // OnnxOps.cpp imports same-type float Pow.
  }
  if (failed(requireInputs(ctx, 1)))
    return FailureOr<SmallVector<Value>>(failure());
  FailureOr<Value> result = importSingleResult(ctx, kind);
  if (failed(result))
    return FailureOr<SmallVector<Value>>(failure());
  return FailureOr<SmallVector<Value>>(SmallVector<Value>{*result});
}
