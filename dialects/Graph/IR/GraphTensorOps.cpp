//===- GraphTensorOps.cpp - graph reduction, shape and pool ops -*- C++ -*-===//
//
// Verifiers of the ops declared in GraphTensorOps.td.
//
//===----------------------------------------------------------------------===//
#include "dialects/Graph/IR/GraphOps.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::ingot::graph;

/// Checks that result 0 of `op` has `elementType` and a shape compatible with
/// `inferred`.
static LogicalResult verifyTensorResult(Operation *op,
                                        ArrayRef<int64_t> inferred,
                                        Type elementType) {
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (resultType.getElementType() != elementType)
    return op->emitOpError("result element type ")
           << resultType.getElementType() << " differs from the expected "
           << elementType;
  if (!isShapeCompatible(inferred, resultType.getShape()))
    return op->emitOpError("result type ")
           << resultType << " has a shape incompatible with the inferred one";
  return success();
}

/// Checks that `axis` is in [0, rank).
static LogicalResult verifyAxis(Operation *op, int64_t axis, int64_t rank) {
  if (axis < 0 || axis >= rank)
    return op->emitOpError("axis ") << axis << " is not in [0, " << rank << ")";
  return success();
}

/// Returns the rank of the ranked tensor `v`.
static int64_t rankOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getRank();
}

LogicalResult ReduceOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  int64_t rank = inputType.getRank();
  StringRef kind = getKind();
  bool floatOnly = kind == "mean" || kind == "l2" || kind == "log_sum" ||
                   kind == "log_sum_exp";
  if (!llvm::is_contained({"sum", "mean", "max", "min", "prod", "l1", "l2",
                           "log_sum", "log_sum_exp", "sum_square"},
                          kind))
    return emitOpError("unknown reduction kind '") << kind << "'";
  if (floatOnly && !isa<FloatType>(inputType.getElementType()))
    return emitOpError("reduction '") << kind << "' needs floats";
  int64_t previous = -1;
  for (int64_t axis : getAxes()) {
    if (axis <= previous || axis >= rank)
      return emitOpError("axes must be sorted, unique and in [0, ")
             << rank << ")";
    previous = axis;
  }
  SmallVector<int64_t> inferred;
  for (int64_t i = 0; i < rank; ++i) {
    if (!llvm::is_contained(getAxes(), i))
      inferred.push_back(inputType.getDimSize(i));
    else if (getKeepdims())
      inferred.push_back(1);
  }
  return verifyTensorResult(*this, inferred, inputType.getElementType());
}

LogicalResult ArgReduceOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  if (getKind() != "max" && getKind() != "min")
    return emitOpError("kind must be 'max' or 'min'");
  int64_t axis = getAxis();
  if (failed(verifyAxis(*this, axis, inputType.getRank())))
    return failure();
  SmallVector<int64_t> inferred(inputType.getShape());
  if (getKeepdims())
    inferred[axis] = 1;
  else
    inferred.erase(inferred.begin() + axis);
  return verifyTensorResult(*this, inferred,
                            IntegerType::get(getContext(), 64));
}

LogicalResult LogSoftmaxOp::verify() {
  return verifyAxis(*this, getAxis(), rankOf(getInput()));
}

LogicalResult HardmaxOp::verify() {
  return verifyAxis(*this, getAxis(), rankOf(getInput()));
}

LogicalResult CumSumOp::verify() {
  return verifyAxis(*this, getAxis(), rankOf(getInput()));
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("expected at least one input");
  auto first = cast<RankedTensorType>(getInputs()[0].getType());
  int64_t rank = first.getRank();
  int64_t axis = getAxis();
  if (failed(verifyAxis(*this, axis, rank)))
    return failure();
  SmallVector<int64_t> inferred(first.getShape());
  for (Value input : getInputs().drop_front()) {
    auto type = cast<RankedTensorType>(input.getType());
    if (type.getRank() != rank ||
        type.getElementType() != first.getElementType())
      return emitOpError("inputs differ in rank or element type");
    for (int64_t i = 0; i < rank; ++i) {
      int64_t size = type.getDimSize(i);
      if (i == axis) {
        inferred[i] =
            ShapedType::isDynamic(size) || ShapedType::isDynamic(inferred[i])
                ? ShapedType::kDynamic
                : inferred[i] + size;
      } else if (!ShapedType::isDynamic(size) &&
                 !ShapedType::isDynamic(inferred[i]) && size != inferred[i]) {
        return emitOpError("inputs differ in size along dim ") << i;
      }
    }
  }
  return verifyTensorResult(*this, inferred, first.getElementType());
}

LogicalResult PadOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  int64_t rank = inputType.getRank();
  ArrayRef<int64_t> pads = getPads();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return emitOpError("expected ") << 2 * rank << " pads";
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return emitOpError("pads must be >= 0");
  if (getMode() != "constant" && getMode() != "reflect" && getMode() != "edge")
    return emitOpError("mode must be 'constant', 'reflect' or 'edge'");
  SmallVector<int64_t> inferred;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t size = inputType.getDimSize(i);
    if (getMode() != "constant" && size == 0 && pads[i] + pads[i + rank] > 0)
      return emitOpError("cannot pad an empty dim in mode ") << getMode();
    if (getMode() == "reflect" && (pads[i] >= size || pads[i + rank] >= size) &&
        !ShapedType::isDynamic(size))
      return emitOpError("reflect pads of dim ")
             << i << " must be smaller than its size " << size;
    inferred.push_back(
        ShapedType::isDynamic(size) ? size : size + pads[i] + pads[i + rank]);
  }
  return verifyTensorResult(*this, inferred, inputType.getElementType());
}

LogicalResult TileOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getType());
  if (!inputType.hasStaticShape() || !resultType.hasStaticShape() ||
      inputType.getRank() != resultType.getRank())
    return emitOpError("expected static shapes of the same rank");
  for (auto [in, out] : llvm::zip(inputType.getShape(), resultType.getShape()))
    if ((in == 0 && out != 0) || (in != 0 && out % in != 0))
      return emitOpError("result sizes must be multiples of the input sizes");
  return verifyTensorResult(*this, resultType.getShape(),
                            inputType.getElementType());
}

LogicalResult ExpandOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getType());
  SmallVector<int64_t> broadcast;
  if (!resultType.hasStaticShape() ||
      !broadcastShapes(inputType.getShape(), resultType.getShape(),
                       broadcast) ||
      ArrayRef<int64_t>(broadcast) != resultType.getShape())
    return emitOpError("input type ")
           << inputType << " does not broadcast to " << resultType;
  return verifyTensorResult(*this, resultType.getShape(),
                            inputType.getElementType());
}

LogicalResult TriluOp::verify() {
  if (rankOf(getInput()) < 2)
    return emitOpError("expected rank >= 2");
  if (rankOf(getK()) != 0)
    return emitOpError("k must be a scalar");
  auto inputType = cast<RankedTensorType>(getInput().getType());
  return verifyTensorResult(*this, inputType.getShape(),
                            inputType.getElementType());
}

LogicalResult GatherElementsOp::verify() {
  auto dataType = cast<RankedTensorType>(getData().getType());
  auto indicesType = cast<RankedTensorType>(getIndices().getType());
  if (dataType.getRank() != indicesType.getRank())
    return emitOpError("data and indices differ in rank");
  if (failed(verifyAxis(*this, getAxis(), dataType.getRank())))
    return failure();
  return verifyTensorResult(*this, indicesType.getShape(),
                            dataType.getElementType());
}

LogicalResult PoolOp::verify() {
  int64_t rank = rankOf(getInput());
  int64_t spatial = rank - 2;
  if (spatial < 1)
    return emitOpError("expected rank >= 3");
  if (static_cast<int64_t>(getKernelShape().size()) != spatial ||
      static_cast<int64_t>(getStrides().size()) != spatial ||
      static_cast<int64_t>(getDilations().size()) != spatial ||
      static_cast<int64_t>(getPads().size()) != 2 * spatial)
    return emitOpError("kernel_shape, strides and dilations need ")
           << spatial << " entries and pads " << 2 * spatial;
  if (getKind() != "max" && getKind() != "avg" && getKind() != "lp")
    return emitOpError("kind must be 'max', 'avg' or 'lp'");
  if (getKind() != "max" &&
      !isa<FloatType>(getInput().getType().getElementType()))
    return emitOpError("pooling '") << getKind() << "' needs floats";
  if (getKind() == "lp" && getP() < 1)
    return emitOpError("p must be >= 1");
  if (rankOf(getOutput()) != rank)
    return emitOpError("result rank differs from the input rank");
  return success();
}

LogicalResult ResizeOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getType());
  auto scalesType = cast<RankedTensorType>(getScales().getType());
  if (!inputType.hasStaticShape() || !resultType.hasStaticShape() ||
      inputType.getRank() != resultType.getRank())
    return emitOpError("expected static shapes of the same rank");
  if (scalesType.getRank() != 1 ||
      scalesType.getDimSize(0) != inputType.getRank())
    return emitOpError("expected ") << inputType.getRank() << " scales";
  if (getMode() != "nearest" && getMode() != "linear" && getMode() != "cubic")
    return emitOpError("mode must be 'nearest', 'linear' or 'cubic'");
  if (!llvm::is_contained({"half_pixel", "pytorch_half_pixel", "align_corners",
                           "asymmetric", "tf_half_pixel_for_nn"},
                          getCoordinateTransformationMode()))
    return emitOpError("unknown coordinate_transformation_mode '")
           << getCoordinateTransformationMode() << "'";
  if (!llvm::is_contained(
          {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"},
          getNearestMode()))
    return emitOpError("unknown nearest_mode '") << getNearestMode() << "'";
  return verifyTensorResult(*this, resultType.getShape(),
                            inputType.getElementType());
}

LogicalResult DynamicSliceOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getType());
  if (!inputType.hasStaticShape() || !resultType.hasStaticShape() ||
      inputType.getRank() != resultType.getRank())
    return emitOpError("expected static shapes of the same rank");
  auto starts = cast<RankedTensorType>(getStarts().getType());
  for (Value v : {getStarts(), getAxes(), getSteps()}) {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getRank() != 1 || !type.hasStaticShape() ||
        type.getDimSize(0) != starts.getDimSize(0))
      return emitOpError("starts, axes and steps must be 1-D of one length");
  }
  return verifyTensorResult(*this, resultType.getShape(),
                            inputType.getElementType());
}

LogicalResult RangeOp::verify() {
  auto resultType = cast<RankedTensorType>(getType());
  if (resultType.getRank() != 1 || !resultType.hasStaticShape())
    return emitOpError("expected a static 1-D result");
  for (Value v : {getStart(), getDelta()}) {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getRank() != 0 ||
        type.getElementType() != resultType.getElementType())
      return emitOpError("start and delta must be scalars of the result's "
                         "element type");
  }
  return success();
}

LogicalResult OneHotOp::verify() {
  auto indicesType = cast<RankedTensorType>(getIndices().getType());
  auto valuesType = cast<RankedTensorType>(getValues().getType());
  auto resultType = cast<RankedTensorType>(getType());
  if (!resultType.hasStaticShape() || !indicesType.hasStaticShape())
    return emitOpError("expected static shapes");
  if (failed(verifyAxis(*this, getAxis(), resultType.getRank())))
    return failure();
  if (valuesType.getRank() != 1 || valuesType.getDimSize(0) != 2 ||
      valuesType.getElementType() != resultType.getElementType())
    return emitOpError("values must hold 2 elements of the result type");
  SmallVector<int64_t> inferred(indicesType.getShape());
  inferred.insert(inferred.begin() + getAxis(),
                  resultType.getDimSize(getAxis()));
  return verifyTensorResult(*this, inferred, resultType.getElementType());
}
