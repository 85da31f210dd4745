//===- OnnxOps.cpp - ONNX operator importers --------------------*- C++ -*-===//
//
// One importer per supported ONNX operator (default domain, opsets 1-17),
// and the support check that lists what Ingot cannot import.
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/Onnx/OnnxImporterImpl.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::onnx_import;

/// The newest opset of the default domain Ingot imports.
static constexpr int64_t kMaxOpset = 17;

InFlightDiagnostic NodeContext::emitError() const {
  InFlightDiagnostic diag = mlir::emitError(loc);
  diag << "node '" << name << "' (" << node.op_type() << "): ";
  return diag;
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *onnx_import::findAttr(const onnx::NodeProto &node,
                                                  llvm::StringRef name) {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

int64_t onnx_import::getInt(const onnx::NodeProto &node, llvm::StringRef name,
                            int64_t defaultValue) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->i() : defaultValue;
}

float onnx_import::getFloat(const onnx::NodeProto &node, llvm::StringRef name,
                            float defaultValue) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->f() : defaultValue;
}

std::optional<SmallVector<int64_t>>
onnx_import::getInts(const onnx::NodeProto &node, llvm::StringRef name) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  if (!attr)
    return std::nullopt;
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

namespace {

/// The operators Ingot imports.
enum class OpKind {
  Unknown,
  Add,
  Sub,
  Mul,
  Div,
  Relu,
  Sigmoid,
  Tanh,
  MatMul,
  Gemm,
  Softmax,
  Reshape,
  Flatten,
  Transpose,
  Identity,
  Constant,
  Pow,
  Sqrt,
  Erf,
  Clip,
  Conv,
  ConvTranspose,
  BatchNormalization,
  GlobalAveragePool,
  ReduceMean,
  Shape,
  Gather,
  Slice,
  Unsqueeze,
  Squeeze
};

OpKind classify(const onnx::NodeProto &node) {
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return OpKind::Unknown;
  return llvm::StringSwitch<OpKind>(node.op_type())
      .Case("Add", OpKind::Add)
      .Case("Sub", OpKind::Sub)
      .Case("Mul", OpKind::Mul)
      .Case("Div", OpKind::Div)
      .Case("Relu", OpKind::Relu)
      .Case("Sigmoid", OpKind::Sigmoid)
      .Case("Tanh", OpKind::Tanh)
      .Case("MatMul", OpKind::MatMul)
      .Case("Gemm", OpKind::Gemm)
      .Case("Softmax", OpKind::Softmax)
      .Case("Reshape", OpKind::Reshape)
      .Case("Flatten", OpKind::Flatten)
      .Case("Transpose", OpKind::Transpose)
      .Case("Identity", OpKind::Identity)
      .Case("Constant", OpKind::Constant)
      .Case("Pow", OpKind::Pow)
      .Case("Sqrt", OpKind::Sqrt)
      .Case("Erf", OpKind::Erf)
      .Case("Clip", OpKind::Clip)
      .Case("Conv", OpKind::Conv)
      .Case("ConvTranspose", OpKind::ConvTranspose)
      .Case("BatchNormalization", OpKind::BatchNormalization)
      .Case("GlobalAveragePool", OpKind::GlobalAveragePool)
      .Case("ReduceMean", OpKind::ReduceMean)
      .Case("Shape", OpKind::Shape)
      .Case("Gather", OpKind::Gather)
      .Case("Slice", OpKind::Slice)
      .Case("Unsqueeze", OpKind::Unsqueeze)
      .Case("Squeeze", OpKind::Squeeze)
      .Default(OpKind::Unknown);
}

} // namespace

//===----------------------------------------------------------------------===//
// Support check
//===----------------------------------------------------------------------===//

std::string onnx_import::checkNodeSupport(
    const onnx::NodeProto &node, int64_t opset,
    llvm::function_ref<int32_t(const std::string &)> dataTypeOf) {
  if (std::optional<std::string> reason =
          checkElementwiseSupport(node, opset, dataTypeOf))
    return *reason;
  if (std::optional<std::string> reason =
          checkQuantSupport(node, opset, dataTypeOf))
    return *reason;
  if (std::optional<std::string> reason =
          checkRecurrentSupport(node, opset, dataTypeOf))
    return *reason;
  OpKind kind = classify(node);
  bool sequence = isSequenceOp(node);
  bool extra = lookupExtraImporter(node) != nullptr || sequence;
  if (kind == OpKind::Unknown && !extra)
    return "unsupported op";
  if (opset < 1 || opset > kMaxOpset)
    return "unsupported opset (Ingot imports opsets 1 to " +
           std::to_string(kMaxOpset) + ")";
  // Element types of every input and output whose type is known.
  auto checkType = [&](const std::string &name) -> std::string {
    int32_t dataType = name.empty() ? 0 : dataTypeOf(name);
    if (dataType == 0)
      return "";
    if (!isSupportedDataType(dataType))
      return "unsupported dtype " + getDataTypeName(dataType) + " of '" + name +
             "'";
    return "";
  };
  for (const std::string &name : node.input())
    if (std::string reason = checkType(name); !reason.empty())
      return reason;
  for (const std::string &name : node.output())
    if (std::string reason = checkType(name); !reason.empty())
      return reason;
  if (sequence)
    return checkSequenceSupport(node);
  // The importers of OnnxTensorOps.cpp and its siblings check the rest.
  if (extra)
    return "";

  switch (kind) {
  case OpKind::Constant:
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.name() == "value") {
        if (!isSupportedDataType(attr.t().data_type()))
          return "unsupported dtype " + getDataTypeName(attr.t().data_type()) +
                 " of attribute value";
        continue;
      }
      if (attr.name() != "value_float" && attr.name() != "value_floats" &&
          attr.name() != "value_int" && attr.name() != "value_ints")
        return "unsupported attribute '" + attr.name() + "'";
    }
    return "";
  case OpKind::Gemm: {
    int32_t dataType = node.input_size() > 0 ? dataTypeOf(node.input(0)) : 0;
    bool isFloat = dataType == onnx::TensorProto::FLOAT ||
                   dataType == onnx::TensorProto::DOUBLE ||
                   dataType == onnx::TensorProto::FLOAT16 ||
                   dataType == onnx::TensorProto::BFLOAT16 || dataType == 0;
    if (!isFloat && (getFloat(node, "alpha", 1.0f) != 1.0f ||
                     getFloat(node, "beta", 1.0f) != 1.0f))
      return "unsupported attribute value: alpha/beta other than 1 on " +
             getDataTypeName(dataType);
    return "";
  }
  case OpKind::Reshape:
    if (opset < 5 && !findAttr(node, "shape"))
      return "missing attribute 'shape'";
    return "";
  case OpKind::BatchNormalization:
    if (node.output_size() > 1)
      return "training outputs (running mean and variance) are not "
             "supported";
    return "";
  default:
    return "";
  }
}

//===----------------------------------------------------------------------===//
// Importers
//===----------------------------------------------------------------------===//

RankedTensorType onnx_import::refine(ArrayRef<int64_t> shape, Type elementType,
                                     RankedTensorType inferred) {
  SmallVector<int64_t> refined(shape);
  if (inferred && inferred.getRank() == static_cast<int64_t>(shape.size()))
    for (auto [own, onnx] : llvm::zip(refined, inferred.getShape()))
      if (ShapedType::isDynamic(own))
        own = onnx;
  return RankedTensorType::get(refined, elementType);
}

RankedTensorType onnx_import::tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

LogicalResult onnx_import::requireInputs(NodeContext &ctx, size_t count) {
  if (ctx.inputs.size() < count ||
      llvm::any_of(ArrayRef(ctx.inputs).take_front(count),
                   [](Value v) { return !v; }))
    return ctx.emitError() << "expected " << count << " inputs";
  return success();
}

Value onnx_import::getOptionalInput(const NodeContext &ctx, unsigned index) {
  return index < ctx.inputs.size() ? ctx.inputs[index] : Value();
}

FailureOr<Value> onnx_import::buildReshape(NodeContext &ctx, Value input,
                                           ArrayRef<int64_t> shape) {
  if (llvm::count_if(shape, ShapedType::isDynamic) > 1)
    return ctx.emitError() << "reshape to a shape with more than one "
                              "dynamic dimension is not supported";
  SmallVector<int64_t> attr;
  for (int64_t size : shape)
    attr.push_back(ShapedType::isDynamic(size) ? -1 : size);
  auto type = RankedTensorType::get(shape, tensorType(input).getElementType());
  return ctx.builder.create<graph::ReshapeOp>(ctx.loc, type, input, attr)
      .getResult();
}

FailureOr<Value> onnx_import::alignLegacyBroadcast(NodeContext &ctx, Value lhs,
                                                   Value rhs) {
  // Before opset 7, broadcasting is opt-in and B aligns at `axis` of A.
  if (ctx.opset >= 7 || getInt(ctx.node, "broadcast", 0) != 1 ||
      !findAttr(ctx.node, "axis"))
    return rhs;
  int64_t lhsRank = tensorType(lhs).getRank();
  int64_t rhsRank = tensorType(rhs).getRank();
  int64_t axis = getInt(ctx.node, "axis", 0);
  if (axis < 0)
    axis += lhsRank;
  if (axis < 0 || axis + rhsRank > lhsRank)
    return ctx.emitError() << "axis " << getInt(ctx.node, "axis", 0)
                           << " is out of range for legacy broadcasting";
  SmallVector<int64_t> shape(tensorType(rhs).getShape());
  shape.append(lhsRank - axis - rhsRank, 1);
  if (shape.size() == static_cast<size_t>(rhsRank))
    return rhs;
  return buildReshape(ctx, rhs, shape);
}

FailureOr<Value> onnx_import::buildMatMul(NodeContext &ctx, Value lhs,
                                          Value rhs) {
  SmallVector<int64_t> shape;
  std::string error;
  if (!graph::matmulShape(tensorType(lhs).getShape(),
                          tensorType(rhs).getShape(), shape, error))
    return ctx.emitError() << "cannot multiply " << lhs.getType() << " by "
                           << rhs.getType() << ": " << error;
  auto type =
      refine(shape, tensorType(lhs).getElementType(), ctx.inferredTypes[0]);
  return ctx.builder.create<graph::MatMulOp>(ctx.loc, type, lhs, rhs)
      .getResult();
}

namespace {

FailureOr<Value> importBinary(NodeContext &ctx, OpKind kind) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  Value lhs = ctx.inputs[0];
  FailureOr<Value> aligned = alignLegacyBroadcast(ctx, lhs, ctx.inputs[1]);
  if (failed(aligned))
    return failure();
  Value rhs = *aligned;
  SmallVector<int64_t> shape;
  if (!graph::broadcastShapes(tensorType(lhs).getShape(),
                              tensorType(rhs).getShape(), shape))
    return ctx.emitError() << "operand shapes " << lhs.getType() << " and "
                           << rhs.getType() << " do not broadcast";
  auto type =
      refine(shape, tensorType(lhs).getElementType(), ctx.inferredTypes[0]);
  OpBuilder &b = ctx.builder;
  switch (kind) {
  case OpKind::Add:
    return b.create<graph::AddOp>(ctx.loc, type, lhs, rhs).getResult();
  case OpKind::Sub:
    return b.create<graph::SubOp>(ctx.loc, type, lhs, rhs).getResult();
  case OpKind::Mul:
    return b.create<graph::MulOp>(ctx.loc, type, lhs, rhs).getResult();
  case OpKind::Pow:
    if (!isa<FloatType>(type.getElementType()) ||
        tensorType(rhs).getElementType() != type.getElementType())
      return ctx.emitError() << "only a floating-point base and exponent of "
                                "the same type are supported, got "
                             << lhs.getType() << " and " << rhs.getType();
    return b.create<graph::PowOp>(ctx.loc, type, lhs, rhs).getResult();
  default:
    return b
        .create<graph::DivOp>(ctx.loc, type, lhs, rhs,
                              isUnsignedDataType(ctx.inputDataTypes[0]))
        .getResult();
  }
}

FailureOr<Value> importUnary(NodeContext &ctx, OpKind kind) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  OpBuilder &b = ctx.builder;
  bool isFloat = isa<FloatType>(tensorType(x).getElementType());
  switch (kind) {
  case OpKind::Relu:
    return b.create<graph::ReluOp>(ctx.loc, x).getResult();
  case OpKind::Sigmoid:
  case OpKind::Tanh:
  case OpKind::Sqrt:
  case OpKind::Erf:
    if (!isFloat)
      return ctx.emitError()
             << "expected a floating-point operand, got " << x.getType();
    if (kind == OpKind::Sigmoid)
      return b.create<graph::SigmoidOp>(ctx.loc, x).getResult();
    if (kind == OpKind::Sqrt)
      return b.create<graph::SqrtOp>(ctx.loc, x).getResult();
    if (kind == OpKind::Erf)
      return b.create<graph::ErfOp>(ctx.loc, x).getResult();
    return b.create<graph::TanhOp>(ctx.loc, x).getResult();
  default:
    return b.create<graph::IdentityOp>(ctx.loc, x).getResult();
  }
}

FailureOr<Value> importMatMul(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  return buildMatMul(ctx, ctx.inputs[0], ctx.inputs[1]);
}

FailureOr<Value> importGemm(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  Value a = ctx.inputs[0], b = ctx.inputs[1];
  Value c = ctx.inputs.size() > 2 ? ctx.inputs[2] : Value();
  if (tensorType(a).getRank() != 2 || tensorType(b).getRank() != 2)
    return ctx.emitError() << "expected 2-D A and B, got " << a.getType()
                           << " and " << b.getType();
  bool transA = getInt(ctx.node, "transA", 0) != 0;
  bool transB = getInt(ctx.node, "transB", 0) != 0;
  int64_t shape[2] = {tensorType(a).getDimSize(transA ? 1 : 0),
                      tensorType(b).getDimSize(transB ? 0 : 1)};
  auto type =
      refine(shape, tensorType(a).getElementType(), ctx.inferredTypes[0]);
  OpBuilder &builder = ctx.builder;
  return builder
      .create<graph::GemmOp>(
          ctx.loc, type, a, b, c,
          builder.getF32FloatAttr(getFloat(ctx.node, "alpha", 1.0f)),
          builder.getF32FloatAttr(getFloat(ctx.node, "beta", 1.0f)),
          builder.getBoolAttr(transA), builder.getBoolAttr(transB))
      .getResult();
}

FailureOr<Value> importSoftmax(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  int64_t rank = type.getRank();
  if (!isa<FloatType>(type.getElementType()))
    return ctx.emitError() << "expected a floating-point operand, got " << type;
  int64_t axis = getInt(ctx.node, "axis", ctx.opset < 13 ? 1 : -1);
  if (axis < -rank || axis >= rank)
    return ctx.emitError() << "axis " << axis << " is out of range for rank "
                           << rank;
  if (axis < 0)
    axis += rank;
  OpBuilder &b = ctx.builder;
  // Opset 13 semantics, or older ones that coincide with it.
  if (ctx.opset >= 13 || axis == rank - 1)
    return b.create<graph::SoftmaxOp>(ctx.loc, x, b.getI64IntegerAttr(axis))
        .getResult();
  // Before opset 13 the input is coerced to 2-D around `axis`.
  auto product = [](ArrayRef<int64_t> sizes) {
    int64_t n = 1;
    for (int64_t s : sizes)
      n = ShapedType::isDynamic(s) || ShapedType::isDynamic(n)
              ? ShapedType::kDynamic
              : n * s;
    return n;
  };
  auto flatType =
      RankedTensorType::get({product(type.getShape().take_front(axis)),
                             product(type.getShape().drop_front(axis))},
                            type.getElementType());
  Value flat = b.create<graph::FlattenOp>(ctx.loc, flatType, x,
                                          b.getI64IntegerAttr(axis));
  Value softmax =
      b.create<graph::SoftmaxOp>(ctx.loc, flat, b.getI64IntegerAttr(1));
  return buildReshape(ctx, softmax, type.getShape());
}

/// Checks at run time that Reshape's shape input resolves to `outShape` from
/// `inShape`: each entry is the output size, 0 copying an equal input size
/// (without allowzero) or -1 (when the other sizes leave it determined), and
/// at most one entry is -1.
LogicalResult checkRuntimeReshape(NodeContext &ctx, ArrayRef<int64_t> inShape,
                                  ArrayRef<int64_t> outShape) {
  bool allowZero = ctx.opset >= 14 && getInt(ctx.node, "allowzero", 0) != 0;
  SmallVector<SmallVector<int64_t>> allowed;
  int64_t wildcards = 0;
  for (auto [i, size] : llvm::enumerate(outShape)) {
    SmallVector<int64_t> values;
    if (allowZero || size != 0)
      values.push_back(size);
    if (!allowZero && i < inShape.size() && inShape[i] == size)
      values.push_back(0);
    int64_t others = 1;
    for (auto [j, other] : llvm::enumerate(outShape))
      if (j != i)
        others *= other;
    if (others != 0) {
      values.push_back(-1);
      ++wildcards;
    }
    if (values.empty())
      return ctx.emitError()
             << "no shape input gives output size " << size << " at dim " << i;
    allowed.push_back(values);
  }
  FailureOr<Value> condition = wildcards > 1
                                   ? buildEntriesMatch(ctx, 1, allowed)
                                   : buildEntriesCheck(ctx, 1, allowed);
  if (failed(condition))
    return failure();
  if (wildcards > 1 && *condition)
    condition =
        buildMatchWithSingleWildcard(ctx, *condition, ctx.inputs[1], -1);
  addRuntimeCheck(ctx, *condition, 1,
                  "must resolve to " + formatShape(outShape));
  return success();
}

FailureOr<Value> importReshape(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  ArrayRef<int64_t> inShape = tensorType(x).getShape();
  SmallVector<int64_t> target;
  if (ctx.opset < 5) {
    target = getInts(ctx.node, "shape").value_or(SmallVector<int64_t>());
  } else {
    if (failed(requireInputs(ctx, 2)))
      return failure();
    auto constant = ctx.inputs[1].getDefiningOp<graph::ConstantOp>();
    auto elements = constant
                        ? dyn_cast<DenseIntElementsAttr>(constant.getValue())
                        : DenseIntElementsAttr();
    if (!elements) {
      // A run-time shape must restate the static declared output type,
      // which a run-time check makes sure of.
      RankedTensorType inferred = ctx.inferredTypes[0];
      RankedTensorType inputType = tensorType(x);
      if (inferred && inferred.hasStaticShape() && inputType.hasStaticShape() &&
          inferred.getNumElements() == inputType.getNumElements()) {
        if (failed(checkRuntimeReshape(ctx, inputType.getShape(),
                                       inferred.getShape())))
          return failure();
        return buildReshape(ctx, x, inferred.getShape());
      }
      return ctx.emitError()
             << "the shape input '" << ctx.node.input(1)
             << "' must be a constant (an initializer or a Constant node) "
                "or the output type static";
    }
    for (const APInt &size : elements.getValues<APInt>())
      target.push_back(size.getSExtValue());
  }
  bool allowZero = ctx.opset >= 14 && getInt(ctx.node, "allowzero", 0) != 0;

  // Resolve 0 (copy the input size) and -1 (inferred size).
  SmallVector<int64_t> requested = target;
  SmallVector<int64_t> shape;
  int64_t inferredIndex = -1;
  int64_t known = 1; // Product of the static target sizes.
  llvm::SmallBitVector dynamicInputs(inShape.size());
  for (auto [i, size] : llvm::enumerate(inShape))
    if (ShapedType::isDynamic(size))
      dynamicInputs.set(i);
  for (auto [i, size] : llvm::enumerate(target)) {
    if (size == 0 && !allowZero) {
      if (i >= inShape.size())
        return ctx.emitError()
               << "shape entry " << i << " is 0 but the input has rank "
               << inShape.size();
      size = inShape[i];
      if (ShapedType::isDynamic(size))
        dynamicInputs.reset(i); // Cancels against the same input size.
      else
        known *= size;
    } else if (size == -1) {
      if (inferredIndex >= 0)
        return ctx.emitError() << "shape has more than one -1";
      inferredIndex = i;
      size = ShapedType::kDynamic;
    } else if (size < 0) {
      return ctx.emitError() << "invalid shape entry " << size;
    } else {
      known *= size;
    }
    shape.push_back(size);
  }
  if (inferredIndex >= 0 && dynamicInputs.none()) {
    int64_t total = 1;
    for (int64_t size : inShape)
      if (!ShapedType::isDynamic(size))
        total *= size;
    if (known == 0 || total % known != 0)
      return ctx.emitError()
             << "cannot reshape " << x.getType() << " to the requested shape";
    shape[inferredIndex] = total / known;
  }
  auto type =
      refine(shape, tensorType(x).getElementType(), ctx.inferredTypes[0]);
  if (type.hasStaticShape() && tensorType(x).hasStaticShape() &&
      type.getNumElements() != tensorType(x).getNumElements())
    return ctx.emitError() << "cannot reshape " << x.getType() << " ("
                           << tensorType(x).getNumElements() << " elements) to "
                           << type.getNumElements() << " elements";
  // Copying every size (e.g. [0, 0] on ?x?) is an identity, whatever is
  // dynamic.
  if (type == x.getType() && requested.size() == inShape.size() &&
      llvm::all_of(llvm::enumerate(requested), [&](auto pair) {
        auto [i, size] = pair;
        return (size == 0 && !allowZero) || !ShapedType::isDynamic(inShape[i]);
      }))
    return ctx.builder.create<graph::IdentityOp>(ctx.loc, x).getResult();
  return buildReshape(ctx, x, type.getShape());
}

FailureOr<Value> importFlatten(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  int64_t rank = type.getRank();
  int64_t axis = getInt(ctx.node, "axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank)
    return ctx.emitError() << "axis " << getInt(ctx.node, "axis", 1)
                           << " is out of range for rank " << rank;
  auto product = [](ArrayRef<int64_t> sizes) {
    int64_t n = 1;
    for (int64_t s : sizes)
      n = ShapedType::isDynamic(s) || ShapedType::isDynamic(n)
              ? ShapedType::kDynamic
              : n * s;
    return n;
  };
  int64_t shape[2] = {product(type.getShape().take_front(axis)),
                      product(type.getShape().drop_front(axis))};
  auto resultType = refine(shape, type.getElementType(), ctx.inferredTypes[0]);
  return ctx.builder
      .create<graph::FlattenOp>(ctx.loc, resultType, x,
                                ctx.builder.getI64IntegerAttr(axis))
      .getResult();
}

FailureOr<Value> importTranspose(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value x = ctx.inputs[0];
  RankedTensorType type = tensorType(x);
  int64_t rank = type.getRank();
  SmallVector<int64_t> perm;
  if (std::optional<SmallVector<int64_t>> attr = getInts(ctx.node, "perm")) {
    perm = *attr;
  } else {
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  }
  llvm::SmallBitVector seen(rank);
  for (int64_t &p : perm) {
    if (p < 0)
      p += rank;
    if (p < 0 || p >= rank || seen.test(p))
      return ctx.emitError()
             << "perm is not a permutation of [0, " << rank << ")";
    seen.set(p);
  }
  if (static_cast<int64_t>(perm.size()) != rank)
    return ctx.emitError() << "perm has " << perm.size() << " entries for rank "
                           << rank;
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  auto resultType = refine(shape, type.getElementType(), ctx.inferredTypes[0]);
  return ctx.builder.create<graph::TransposeOp>(ctx.loc, resultType, x, perm)
      .getResult();
}

FailureOr<Value> importConstant(NodeContext &ctx) {
  OpBuilder &b = ctx.builder;
  MLIRContext *context = b.getContext();
  DenseElementsAttr value;
  for (const onnx::AttributeProto &attr : ctx.node.attribute()) {
    if (attr.name() == "value") {
      std::string error;
      value = convertTensor(context, attr.t(), error);
      if (!value)
        return ctx.emitError() << error;
    } else if (attr.name() == "value_float") {
      value = DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                     attr.f());
    } else if (attr.name() == "value_floats") {
      SmallVector<float> data(attr.floats().begin(), attr.floats().end());
      value = DenseElementsAttr::get(
          RankedTensorType::get({static_cast<int64_t>(data.size())},
                                b.getF32Type()),
          ArrayRef<float>(data));
    } else if (attr.name() == "value_int") {
      value = DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()),
                                     attr.i());
    } else if (attr.name() == "value_ints") {
      SmallVector<int64_t> data(attr.ints().begin(), attr.ints().end());
      value = DenseElementsAttr::get(
          RankedTensorType::get({static_cast<int64_t>(data.size())},
                                b.getI64Type()),
          ArrayRef<int64_t>(data));
    }
  }
  if (!value)
    return ctx.emitError() << "expected a value attribute";
  return b.create<graph::ConstantOp>(ctx.loc, value).getResult();
}

} // namespace

FailureOr<SmallVector<Value>> onnx_import::importNode(NodeContext &ctx) {
  if (std::optional<FailureOr<SmallVector<Value>>> results =
          importElementwiseNode(ctx))
    return *results;
  if (NodeImporter importer = lookupExtraImporter(ctx.node))
    return importer(ctx);
  OpKind kind = classify(ctx.node);
  FailureOr<Value> result = failure();
  switch (kind) {
  case OpKind::Add:
  case OpKind::Sub:
  case OpKind::Mul:
  case OpKind::Div:
  case OpKind::Pow:
    result = importBinary(ctx, kind);
    break;
  case OpKind::Relu:
  case OpKind::Sigmoid:
  case OpKind::Tanh:
  case OpKind::Sqrt:
  case OpKind::Erf:
  case OpKind::Identity:
    result = importUnary(ctx, kind);
    break;
  case OpKind::Clip:
    result = importClip(ctx);
    break;
  case OpKind::Conv:
    result = importConv(ctx);
    break;
  case OpKind::ConvTranspose:
    result = importConvTranspose(ctx);
    break;
  case OpKind::BatchNormalization:
    result = importBatchNormalization(ctx);
    break;
  case OpKind::GlobalAveragePool:
    result = importGlobalAveragePool(ctx);
    break;
  case OpKind::ReduceMean:
    result = importReduceMean(ctx);
    break;
  case OpKind::Shape:
    result = importShape(ctx);
    break;
  case OpKind::Gather:
    result = importGather(ctx);
    break;
  case OpKind::Slice:
    result = importSlice(ctx);
    break;
  case OpKind::Unsqueeze:
  case OpKind::Squeeze:
    result = importSqueezeOrUnsqueeze(ctx, kind == OpKind::Unsqueeze);
    break;
  case OpKind::MatMul:
    result = importMatMul(ctx);
    break;
  case OpKind::Gemm:
    result = importGemm(ctx);
    break;
  case OpKind::Softmax:
    result = importSoftmax(ctx);
    break;
  case OpKind::Reshape:
    result = importReshape(ctx);
    break;
  case OpKind::Flatten:
    result = importFlatten(ctx);
    break;
  case OpKind::Transpose:
    result = importTranspose(ctx);
    break;
  case OpKind::Constant:
    result = importConstant(ctx);
    break;
  case OpKind::Unknown:
    return ctx.emitError() << "unsupported op";
  }
  if (failed(result))
    return failure();
  return SmallVector<Value>{foldShapeArithmetic(ctx, *result)};
}
