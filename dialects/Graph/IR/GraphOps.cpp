//===- GraphOps.cpp - graph dialect ops -------------------------*- C++ -*-===//
//
// Verifiers and canonicalization patterns of the graph ops, and the shape
// rules (broadcasting, matmul) shared with the importer and the lowering.
// The folders are in GraphFolders.cpp.
//
//===----------------------------------------------------------------------===//
#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;
using namespace mlir::ingot::graph;

//===----------------------------------------------------------------------===//
// Shape helpers
//===----------------------------------------------------------------------===//

bool mlir::ingot::graph::broadcastShapes(ArrayRef<int64_t> lhs,
                                         ArrayRef<int64_t> rhs,
                                         SmallVectorImpl<int64_t> &result) {
  size_t rank = std::max(lhs.size(), rhs.size());
  result.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t r = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (l == 1) {
      result[i] = r;
    } else if (r == 1) {
      result[i] = l;
    } else if (ShapedType::isDynamic(l)) {
      result[i] = r;
    } else if (ShapedType::isDynamic(r) || l == r) {
      result[i] = l;
    } else {
      return false;
    }
  }
  return true;
}

bool mlir::ingot::graph::matmulShape(ArrayRef<int64_t> lhs,
                                     ArrayRef<int64_t> rhs,
                                     SmallVectorImpl<int64_t> &result,
                                     std::string &error) {
  if (lhs.empty() || rhs.empty()) {
    error = "operands must have rank >= 1";
    return false;
  }
  int64_t k1 = lhs.back();
  int64_t k2 = rhs.size() == 1 ? rhs[0] : rhs[rhs.size() - 2];
  if (!ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2) && k1 != k2) {
    error = "contraction sizes differ (" + std::to_string(k1) + " vs " +
            std::to_string(k2) + ")";
    return false;
  }
  ArrayRef<int64_t> lhsBatch =
      lhs.size() > 2 ? lhs.drop_back(2) : ArrayRef<int64_t>();
  ArrayRef<int64_t> rhsBatch =
      rhs.size() > 2 ? rhs.drop_back(2) : ArrayRef<int64_t>();
  if (!broadcastShapes(lhsBatch, rhsBatch, result)) {
    error = "batch dimensions do not broadcast";
    return false;
  }
  if (lhs.size() >= 2)
    result.push_back(lhs[lhs.size() - 2]);
  if (rhs.size() >= 2)
    result.push_back(rhs.back());
  return true;
}

bool mlir::ingot::graph::isShapeCompatible(ArrayRef<int64_t> inferred,
                                           ArrayRef<int64_t> actual) {
  if (inferred.size() != actual.size())
    return false;
  for (auto [i, a] : llvm::zip(inferred, actual))
    if (!ShapedType::isDynamic(i) && !ShapedType::isDynamic(a) && i != a)
      return false;
  return true;
}

/// Formats `shape` like a tensor type's dims, e.g. "1x?x3".
static std::string formatShape(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(
      shape, os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << '?';
        else
          os << d;
      },
      "x");
  if (shape.empty())
    os << "scalar";
  return s;
}

/// Checks that `result` has the element type `elementType` and a shape
/// compatible with `inferred`.
static LogicalResult verifyResult(Operation *op, ArrayRef<int64_t> inferred,
                                  Type elementType) {
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (resultType.getElementType() != elementType)
    return op->emitOpError("result element type ")
           << resultType.getElementType() << " differs from operand element "
           << "type " << elementType;
  if (!isShapeCompatible(inferred, resultType.getShape()))
    return op->emitOpError("result shape ")
           << formatShape(resultType.getShape())
           << " is incompatible with the inferred shape "
           << formatShape(inferred);
  return success();
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location,
    ConstantOp::Adaptor adaptor, SmallVectorImpl<Type> &inferredReturnTypes) {
  auto type = dyn_cast<RankedTensorType>(adaptor.getValue().getType());
  if (!type)
    return emitOptionalError(location, "value must be a ranked tensor");
  inferredReturnTypes.push_back(type);
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// IdentityOp
//===----------------------------------------------------------------------===//

OpFoldResult IdentityOp::fold(FoldAdaptor) { return getInput(); }

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getOutput().getType());
  if (inputType.getElementType() != resultType.getElementType())
    return emitOpError("result element type ")
           << resultType.getElementType() << " differs from operand element "
           << "type " << inputType.getElementType();
  ArrayRef<int64_t> shape = getShape();
  if (static_cast<int64_t>(shape.size()) != resultType.getRank())
    return emitOpError("shape has ")
           << shape.size() << " entries but the result has rank "
           << resultType.getRank();
  int64_t inferredDims = 0;
  for (auto [i, size, dim] : llvm::enumerate(shape, resultType.getShape())) {
    if (size < -1)
      return emitOpError("shape entry ")
             << i << " is " << size << "; expected a size or -1";
    if (size == -1) {
      ++inferredDims;
      if (!ShapedType::isDynamic(dim))
        return emitOpError("shape entry ")
               << i << " is -1 but result dimension " << i << " is static ("
               << dim << ")";
    } else if (size != dim) {
      return emitOpError("shape entry ")
             << i << " is " << size << " but result dimension " << i << " is "
             << formatShape(dim);
    }
  }
  if (inferredDims > 1)
    return emitOpError("shape has ")
           << inferredDims << " entries of -1; at most one is allowed";
  if (inputType.hasStaticShape() && resultType.hasStaticShape() &&
      inputType.getNumElements() != resultType.getNumElements())
    return emitOpError("cannot reshape ")
           << inputType.getNumElements() << " elements ("
           << formatShape(inputType.getShape()) << ") into "
           << resultType.getNumElements() << " ("
           << formatShape(resultType.getShape()) << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// FlattenOp
//===----------------------------------------------------------------------===//

/// Multiplies sizes, propagating dynamic.
static int64_t product(ArrayRef<int64_t> sizes) {
  int64_t n = 1;
  for (int64_t s : sizes) {
    if (ShapedType::isDynamic(s))
      return ShapedType::kDynamic;
    n *= s;
  }
  return n;
}

LogicalResult FlattenOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  int64_t axis = getAxis();
  if (axis < 0 || axis > inputType.getRank())
    return emitOpError("axis ")
           << axis << " is out of range [0, " << inputType.getRank() << "]";
  ArrayRef<int64_t> shape = inputType.getShape();
  int64_t inferred[2] = {product(shape.take_front(axis)),
                         product(shape.drop_front(axis))};
  return verifyResult(*this, inferred, inputType.getElementType());
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  ArrayRef<int64_t> perm = getPerm();
  if (static_cast<int64_t>(perm.size()) != inputType.getRank())
    return emitOpError("perm has ")
           << perm.size() << " entries but the operand has rank "
           << inputType.getRank();
  llvm::SmallBitVector seen(perm.size());
  for (int64_t p : perm) {
    if (p < 0 || p >= inputType.getRank() || seen.test(p))
      return emitOpError("perm is not a permutation of [0, ")
             << inputType.getRank() << ")";
    seen.set(p);
  }
  SmallVector<int64_t> inferred;
  for (int64_t p : perm)
    inferred.push_back(inputType.getDimSize(p));
  return verifyResult(*this, inferred, inputType.getElementType());
}

SmallVector<int64_t>
mlir::ingot::graph::composePermutations(ArrayRef<int64_t> inner,
                                        ArrayRef<int64_t> outer) {
  SmallVector<int64_t> perm;
  for (int64_t p : outer)
    perm.push_back(inner[p]);
  return perm;
}

namespace {
/// transpose(transpose(x, p1), p2) -> transpose(x, p1[p2[i]]).
struct ComposeTransposes : public OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return failure();
    rewriter.replaceOpWithNewOp<TransposeOp>(
        op, op.getType(), inner.getInput(),
        composePermutations(inner.getPerm(), op.getPerm()));
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

LogicalResult mlir::ingot::graph::verifyBroadcastingOp(Operation *op) {
  auto lhsType = cast<RankedTensorType>(op->getOperand(0).getType());
  auto rhsType = cast<RankedTensorType>(op->getOperand(1).getType());
  if (lhsType.getElementType() != rhsType.getElementType())
    return op->emitOpError("operand element types differ (")
           << lhsType.getElementType() << " vs " << rhsType.getElementType()
           << ")";
  SmallVector<int64_t> inferred;
  if (!broadcastShapes(lhsType.getShape(), rhsType.getShape(), inferred))
    return op->emitOpError("operand shapes ")
           << formatShape(lhsType.getShape()) << " and "
           << formatShape(rhsType.getShape()) << " do not broadcast";
  return verifyResult(op, inferred, lhsType.getElementType());
}

LogicalResult AddOp::verify() { return verifyBroadcastingOp(*this); }
LogicalResult SubOp::verify() { return verifyBroadcastingOp(*this); }
LogicalResult MulOp::verify() { return verifyBroadcastingOp(*this); }
LogicalResult DivOp::verify() { return verifyBroadcastingOp(*this); }
LogicalResult PowOp::verify() {
  if (!isa<FloatType>(getLhs().getType().getElementType()))
    return emitOpError("expects floating-point operands");
  return verifyBroadcastingOp(*this);
}

//===----------------------------------------------------------------------===//
// ClipOp
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::verify() {
  if (getMin().convertToDouble() > getMax().convertToDouble())
    return emitOpError("min ")
           << getMin().convertToDouble() << " is greater than max "
           << getMax().convertToDouble();
  return success();
}

//===----------------------------------------------------------------------===//
// ReduceMeanOp
//===----------------------------------------------------------------------===//

LogicalResult ReduceMeanOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> inferred;
  int64_t previous = -1;
  for (int64_t axis : getAxes()) {
    if (axis <= previous || axis >= rank)
      return emitOpError("axes must be sorted, unique and in [0, ")
             << rank << ")";
    previous = axis;
  }
  for (int64_t i = 0; i < rank; ++i) {
    if (!llvm::is_contained(getAxes(), i))
      inferred.push_back(inputType.getDimSize(i));
    else if (getKeepdims())
      inferred.push_back(1);
  }
  return verifyResult(*this, inferred, inputType.getElementType());
}

//===----------------------------------------------------------------------===//
// ConvOp, BatchNormOp and MaxPoolOp
//===----------------------------------------------------------------------===//

int64_t mlir::ingot::graph::windowOutputSize(int64_t size, int64_t kernel,
                                             int64_t stride, int64_t padBegin,
                                             int64_t padEnd, int64_t dilation) {
  if (ShapedType::isDynamic(size))
    return ShapedType::kDynamic;
  int64_t extent = (kernel - 1) * dilation + 1;
  int64_t padded = size + padBegin + padEnd;
  if (padded < extent || stride < 1)
    return -1;
  return (padded - extent) / stride + 1;
}

/// Verifies the window attributes of an N x C x D1 x ... convolution or
/// pooling over `inputType` with kernel sizes `kernel`, and computes the
/// spatial output sizes into `spatial`.
static LogicalResult verifyWindow(Operation *op, RankedTensorType inputType,
                                  ArrayRef<int64_t> kernel,
                                  ArrayRef<int64_t> strides,
                                  ArrayRef<int64_t> pads,
                                  ArrayRef<int64_t> dilations,
                                  SmallVectorImpl<int64_t> &spatial) {
  if (inputType.getRank() < 3)
    return op->emitOpError("expects an N x C x D1 x ... input, got ")
           << formatShape(inputType.getShape());
  size_t n = inputType.getRank() - 2;
  if (kernel.size() != n || strides.size() != n || dilations.size() != n ||
      pads.size() != 2 * n)
    return op->emitOpError("expects ")
           << n << " kernel sizes, strides and dilations and " << 2 * n
           << " pads";
  if (llvm::any_of(strides, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(dilations, [](int64_t d) { return d < 1; }) ||
      llvm::any_of(pads, [](int64_t p) { return p < 0; }) ||
      llvm::any_of(kernel, [](int64_t k) { return k < 1; }))
    return op->emitOpError("kernel sizes, strides and dilations must be "
                           ">= 1 and pads >= 0");
  for (size_t i = 0; i < n; ++i) {
    int64_t size =
        windowOutputSize(inputType.getDimSize(2 + i), kernel[i], strides[i],
                         pads[i], pads[n + i], dilations[i]);
    if (size == -1)
      return op->emitOpError("window of size ")
             << kernel[i] << " does not fit spatial dim " << i << " of "
             << formatShape(inputType.getShape());
    spatial.push_back(size);
  }
  return success();
}

LogicalResult ConvOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto weightType = cast<RankedTensorType>(getWeight().getType());
  if (weightType.getRank() != inputType.getRank())
    return emitOpError("expects a weight of the input's rank ")
           << inputType.getRank() << ", got "
           << formatShape(weightType.getShape());
  if (weightType.getElementType() != inputType.getElementType() ||
      (getBias() &&
       getBias().getType().getElementType() != inputType.getElementType()))
    return emitOpError("operand element types differ");
  if (!weightType.hasStaticShape())
    return emitOpError("expects a statically shaped weight");
  int64_t group = getGroup();
  int64_t filters = weightType.getDimSize(0);
  int64_t channels = inputType.getRank() >= 2 ? inputType.getDimSize(1) : 0;
  if (group < 1 || filters % group != 0)
    return emitOpError("group ")
           << group << " must be >= 1 and divide the " << filters << " filters";
  if (!ShapedType::isDynamic(channels) &&
      channels != weightType.getDimSize(1) * group)
    return emitOpError("input has ")
           << channels << " channels but weight and group expect "
           << weightType.getDimSize(1) * group;
  if (getBias() && (getBias().getType().getRank() != 1 ||
                    getBias().getType().getDimSize(0) != filters))
    return emitOpError("bias must have ") << filters << " elements";
  SmallVector<int64_t> spatial;
  if (failed(verifyWindow(*this, inputType, weightType.getShape().drop_front(2),
                          getStrides(), getPads(), getDilations(), spatial)))
    return failure();
  SmallVector<int64_t> inferred = {inputType.getDimSize(0), filters};
  inferred.append(spatial);
  return verifyResult(*this, inferred, inputType.getElementType());
}

int64_t mlir::ingot::graph::transposedWindowOutputSize(
    int64_t size, int64_t kernel, int64_t stride, int64_t padBegin,
    int64_t padEnd, int64_t dilation, int64_t outputPadding) {
  if (ShapedType::isDynamic(size))
    return ShapedType::kDynamic;
  return (size - 1) * stride + (kernel - 1) * dilation + 1 + outputPadding -
         padBegin - padEnd;
}

LogicalResult ConvTransposeOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto weightType = cast<RankedTensorType>(getWeight().getType());
  int64_t rank = inputType.getRank();
  if (rank < 3 || weightType.getRank() != rank)
    return emitOpError("expects an N x C x D1 x ... input and a weight of "
                       "the same rank, got ")
           << formatShape(inputType.getShape()) << " and "
           << formatShape(weightType.getShape());
  if (weightType.getElementType() != inputType.getElementType() ||
      (getBias() &&
       getBias().getType().getElementType() != inputType.getElementType()))
    return emitOpError("operand element types differ");
  if (!weightType.hasStaticShape())
    return emitOpError("expects a statically shaped weight");
  size_t n = rank - 2;
  if (getStrides().size() != n || getDilations().size() != n ||
      getOutputPadding().size() != n || getPads().size() != 2 * n)
    return emitOpError("expects ")
           << n << " strides, dilations and output paddings and " << 2 * n
           << " pads";
  if (llvm::any_of(getStrides(), [](int64_t s) { return s < 1; }) ||
      llvm::any_of(getDilations(), [](int64_t d) { return d < 1; }) ||
      llvm::any_of(getOutputPadding(), [](int64_t p) { return p < 0; }))
    return emitOpError("strides and dilations must be >= 1 and "
                       "output_padding >= 0");
  int64_t group = getGroup();
  int64_t channels = inputType.getDimSize(1);
  if (group < 1 || weightType.getDimSize(0) % group != 0)
    return emitOpError("group ")
           << group << " must be >= 1 and divide the "
           << weightType.getDimSize(0) << " input channels of the weight";
  if (!ShapedType::isDynamic(channels) && channels != weightType.getDimSize(0))
    return emitOpError("input has ")
           << channels << " channels but the weight expects "
           << weightType.getDimSize(0);
  int64_t filters = weightType.getDimSize(1) * group;
  if (getBias() && (getBias().getType().getRank() != 1 ||
                    getBias().getType().getDimSize(0) != filters))
    return emitOpError("bias must have ") << filters << " elements";
  SmallVector<int64_t> inferred = {inputType.getDimSize(0), filters};
  for (size_t i = 0; i < n; ++i) {
    int64_t size = transposedWindowOutputSize(
        inputType.getDimSize(2 + i), weightType.getDimSize(2 + i),
        getStrides()[i], getPads()[i], getPads()[n + i], getDilations()[i],
        getOutputPadding()[i]);
    if (!ShapedType::isDynamic(size) && size < 1)
      return emitOpError("pads leave no output in spatial dim ") << i;
    inferred.push_back(size);
  }
  return verifyResult(*this, inferred, inputType.getElementType());
}

LogicalResult BatchNormOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  if (inputType.getRank() < 2)
    return emitOpError("expects an input of rank >= 2, got ")
           << formatShape(inputType.getShape());
  int64_t channels = inputType.getDimSize(1);
  for (Value param : {getScale(), getBias(), getMean(), getVariance()}) {
    auto type = cast<RankedTensorType>(param.getType());
    if (type.getElementType() != inputType.getElementType())
      return emitOpError("operand element types differ");
    if (type.getRank() != 1 || !isShapeCompatible({channels}, type.getShape()))
      return emitOpError("scale, bias, mean and variance must be 1-D with ")
             << formatShape(channels) << " elements, got "
             << formatShape(type.getShape());
  }
  return verifyResult(*this, inputType.getShape(), inputType.getElementType());
}

LogicalResult MaxPoolOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  if (inputType.getRank() != 4)
    return emitOpError("expects a 4-D NCHW input, got ")
           << formatShape(inputType.getShape());
  SmallVector<int64_t> spatial;
  if (failed(verifyWindow(*this, inputType, getKernelShape(), getStrides(),
                          getPads(), getDilations(), spatial)))
    return failure();
  // A window made only of padding would yield -inf.
  for (int64_t i = 0; i < 2; ++i)
    if (getPads()[i] >= (getKernelShape()[i] - 1) * getDilations()[i] + 1 ||
        getPads()[2 + i] >= (getKernelShape()[i] - 1) * getDilations()[i] + 1)
      return emitOpError("pads must be smaller than the window extent");
  int64_t inferred[4] = {inputType.getDimSize(0), inputType.getDimSize(1),
                         spatial[0], spatial[1]};
  return verifyResult(*this, inferred, inputType.getElementType());
}

//===----------------------------------------------------------------------===//
// SliceOp and GatherOp
//===----------------------------------------------------------------------===//

LogicalResult SliceOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getType());
  int64_t rank = inputType.getRank();
  if (static_cast<int64_t>(getStarts().size()) != rank ||
      static_cast<int64_t>(getSteps().size()) != rank ||
      resultType.getRank() != rank)
    return emitOpError("expects one start and step per dim and a result of "
                       "rank ")
           << rank;
  if (!inputType.hasStaticShape() || !resultType.hasStaticShape())
    return emitOpError("expects static shapes");
  if (resultType.getElementType() != inputType.getElementType())
    return emitOpError("result element type differs from the input's");
  for (int64_t i = 0; i < rank; ++i) {
    int64_t start = getStarts()[i], step = getSteps()[i];
    int64_t size = resultType.getDimSize(i), limit = inputType.getDimSize(i);
    if (step < 1 || start < 0 || start > limit ||
        (size > 0 && start + (size - 1) * step >= limit))
      return emitOpError("dim ")
             << i << " reads out of bounds (start " << start << ", step "
             << step << ", size " << size << " of " << limit << ")";
  }
  return success();
}

LogicalResult GatherOp::verify() {
  auto dataType = cast<RankedTensorType>(getData().getType());
  auto indicesType = cast<RankedTensorType>(getIndices().getType());
  int64_t axis = getAxis();
  if (axis < 0 || axis >= dataType.getRank())
    return emitOpError("axis ")
           << axis << " is out of range [0, " << dataType.getRank() << ")";
  SmallVector<int64_t> inferred(dataType.getShape().take_front(axis));
  llvm::append_range(inferred, indicesType.getShape());
  llvm::append_range(inferred, dataType.getShape().drop_front(axis + 1));
  return verifyResult(*this, inferred, dataType.getElementType());
}

//===----------------------------------------------------------------------===//
// MatMulOp
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::verify() {
  auto lhsType = cast<RankedTensorType>(getLhs().getType());
  auto rhsType = cast<RankedTensorType>(getRhs().getType());
  if (lhsType.getElementType() != rhsType.getElementType())
    return emitOpError("operand element types differ (")
           << lhsType.getElementType() << " vs " << rhsType.getElementType()
           << ")";
  SmallVector<int64_t> inferred;
  std::string error;
  if (!matmulShape(lhsType.getShape(), rhsType.getShape(), inferred, error))
    return emitOpError("cannot multiply ")
           << formatShape(lhsType.getShape()) << " by "
           << formatShape(rhsType.getShape()) << ": " << error;
  return verifyResult(*this, inferred, lhsType.getElementType());
}

//===----------------------------------------------------------------------===//
// GemmOp
//===----------------------------------------------------------------------===//

LogicalResult GemmOp::verify() {
  auto aType = cast<RankedTensorType>(getA().getType());
  auto bType = cast<RankedTensorType>(getB().getType());
  if (aType.getRank() != 2 || bType.getRank() != 2)
    return emitOpError("A and B must be 2-D, got ")
           << formatShape(aType.getShape()) << " and "
           << formatShape(bType.getShape());
  Type elementType = aType.getElementType();
  if (bType.getElementType() != elementType ||
      (getC() && getC().getType().getElementType() != elementType))
    return emitOpError("operand element types differ");
  int64_t m = aType.getDimSize(getTransA() ? 1 : 0);
  int64_t ka = aType.getDimSize(getTransA() ? 0 : 1);
  int64_t kb = bType.getDimSize(getTransB() ? 1 : 0);
  int64_t n = bType.getDimSize(getTransB() ? 0 : 1);
  if (!ShapedType::isDynamic(ka) && !ShapedType::isDynamic(kb) && ka != kb)
    return emitOpError("contraction sizes differ (")
           << ka << " vs " << kb << ")";
  int64_t inferred[2] = {m, n};
  if (getC()) {
    // C broadcasts unidirectionally to MxN.
    SmallVector<int64_t> broadcast;
    ArrayRef<int64_t> cShape = getC().getType().getShape();
    if (cShape.size() > 2 || !broadcastShapes(inferred, cShape, broadcast) ||
        !isShapeCompatible(broadcast, inferred))
      return emitOpError("C of shape ")
             << formatShape(cShape) << " does not broadcast to "
             << formatShape(inferred);
  }
  return verifyResult(*this, inferred, elementType);
}

//===----------------------------------------------------------------------===//
// SoftmaxOp
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  int64_t rank = cast<RankedTensorType>(getInput().getType()).getRank();
  int64_t axis = getAxis();
  if (axis < -rank || axis >= rank || rank == 0)
    return emitOpError("axis ")
           << axis << " is out of range [" << -rank << ", " << rank << ")";
  return success();
}

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphOps.cpp.inc"
