//===- GraphFolders.cpp - graph op folders ----------------------*- C++ -*-===//
//
// Folders of the graph ops: identities (reshape of reshape, identity
// permutations) and evaluation on constant operands. Constants are folded
// when the result is small (shape arithmetic, scalars) or when it replaces
// a constant operand of the same size used only by the folded op (a weight
// transposed or reshaped once), so big tensors are never duplicated.
//
//===----------------------------------------------------------------------===//
#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cstring>
#include <optional>

using namespace mlir;
using namespace mlir::ingot::graph;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Results with at most this many elements are always folded.
static constexpr int64_t kMaxFoldedElements = 1024;

/// Returns `attr` as dense elements of a static shape, or null.
static DenseElementsAttr getDense(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.getType().hasStaticShape())
    return {};
  return dense;
}

/// Returns true if `op` should be replaced by a constant of `resultType`:
/// the result is a splat or small, or some constant operand with as many
/// elements is used only by `op` (so the fold does not grow the constants).
static bool isWorthFolding(Operation *op, RankedTensorType resultType,
                           bool resultIsSplat) {
  if (!resultType.hasStaticShape())
    return false;
  int64_t count = resultType.getNumElements();
  if (resultIsSplat || count <= kMaxFoldedElements)
    return true;
  return llvm::any_of(op->getOperands(), [&](Value operand) {
    auto type = cast<RankedTensorType>(operand.getType());
    return operand.hasOneUse() && type.hasStaticShape() &&
           type.getNumElements() >= count;
  });
}

/// Returns the coordinates of the row-major `index` into `shape`.
static SmallVector<int64_t> delinearize(int64_t index,
                                        ArrayRef<int64_t> shape) {
  SmallVector<int64_t> coords(shape.size());
  for (int64_t dim = shape.size() - 1; dim >= 0; --dim) {
    coords[dim] = index % shape[dim];
    index /= shape[dim];
  }
  return coords;
}

/// Returns the row-major index of `coords` into `shape`.
static int64_t linearize(ArrayRef<int64_t> coords, ArrayRef<int64_t> shape) {
  int64_t index = 0;
  for (auto [coord, size] : llvm::zip(coords, shape))
    index = index * size + coord;
  return index;
}

/// Builds the constant of `resultType` whose element `i` is element
/// `sourceIndex(coordinates of i)` of `input` (same element type): the
/// data movement of transpose, slice and gather. Copies raw storage, so it
/// is cheap on weights; returns null for bit-packed (i1) elements.
static DenseElementsAttr
moveElements(DenseElementsAttr input, RankedTensorType resultType,
             function_ref<int64_t(ArrayRef<int64_t>)> sourceIndex) {
  if (input.isSplat())
    return input.resizeSplat(resultType);
  unsigned bits = input.getElementType().getIntOrFloatBitWidth();
  if (bits % 8 != 0)
    return {};
  size_t bytes = bits / 8;
  ArrayRef<char> raw = input.getRawData();
  int64_t count = resultType.getNumElements();
  std::vector<char> data(count * bytes);
  for (int64_t i = 0; i < count; ++i) {
    int64_t source = sourceIndex(delinearize(i, resultType.getShape()));
    std::memcpy(&data[i * bytes], &raw[source * bytes], bytes);
  }
  return DenseElementsAttr::getFromRawBuffer(resultType, data);
}

/// Returns the row-major index into a tensor of `shape` that result
/// coordinates `coords` read under numpy broadcasting.
static int64_t broadcastIndex(ArrayRef<int64_t> coords,
                              ArrayRef<int64_t> shape) {
  int64_t offset = coords.size() - shape.size(), index = 0;
  for (auto [dim, size] : llvm::enumerate(shape))
    index = index * size + (size == 1 ? 0 : coords[offset + dim]);
  return index;
}

/// Folds a broadcasting binary op on constants with `intFn` (integers) or
/// `floatFn` (floats); either returns nullopt where the result must be left
/// to run time (division by zero).
static OpFoldResult foldBinary(
    Operation *op, Attribute lhsAttr, Attribute rhsAttr,
    function_ref<std::optional<APInt>(const APInt &, const APInt &)> intFn,
    function_ref<std::optional<APFloat>(const APFloat &, const APFloat &)>
        floatFn) {
  DenseElementsAttr lhs = getDense(lhsAttr), rhs = getDense(rhsAttr);
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  bool splat = lhs && rhs && lhs.isSplat() && rhs.isSplat();
  if (!lhs || !rhs || !isWorthFolding(op, resultType, splat))
    return {};
  Type elementType = resultType.getElementType();
  int64_t count = splat ? 1 : resultType.getNumElements();
  ArrayRef<int64_t> lhsShape = lhs.getType().getShape();
  ArrayRef<int64_t> rhsShape = rhs.getType().getShape();
  if (isa<IntegerType>(elementType)) {
    auto l = lhs.getValues<APInt>(), r = rhs.getValues<APInt>();
    SmallVector<APInt> values;
    for (int64_t i = 0; i < count; ++i) {
      SmallVector<int64_t> coords = delinearize(i, resultType.getShape());
      std::optional<APInt> value =
          intFn(*(l.begin() + broadcastIndex(coords, lhsShape)),
                *(r.begin() + broadcastIndex(coords, rhsShape)));
      if (!value)
        return {};
      values.push_back(*value);
    }
    // One value makes a splat.
    return DenseElementsAttr::get(resultType, ArrayRef<APInt>(values));
  }
  if (!isa<FloatType>(elementType))
    return {};
  auto l = lhs.getValues<APFloat>(), r = rhs.getValues<APFloat>();
  SmallVector<APFloat> values;
  for (int64_t i = 0; i < count; ++i) {
    SmallVector<int64_t> coords = delinearize(i, resultType.getShape());
    std::optional<APFloat> value =
        floatFn(*(l.begin() + broadcastIndex(coords, lhsShape)),
                *(r.begin() + broadcastIndex(coords, rhsShape)));
    if (!value)
      return {};
    values.push_back(*value);
  }
  return DenseElementsAttr::get(resultType, ArrayRef<APFloat>(values));
}

/// Applies a float operation in the operands' semantics (IEEE, nearest).
template <typename Fn>
static std::optional<APFloat> applyFloat(const APFloat &a, const APFloat &b,
                                         Fn fn) {
  APFloat result = a;
  (result.*fn)(b, APFloat::rmNearestTiesToEven);
  return result;
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      *this, adaptor.getLhs(), adaptor.getRhs(),
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return a + b;
      },
      [](const APFloat &a, const APFloat &b) {
        return applyFloat(a, b, &APFloat::add);
      });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      *this, adaptor.getLhs(), adaptor.getRhs(),
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return a - b;
      },
      [](const APFloat &a, const APFloat &b) {
        return applyFloat(a, b, &APFloat::subtract);
      });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      *this, adaptor.getLhs(), adaptor.getRhs(),
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return a * b;
      },
      [](const APFloat &a, const APFloat &b) {
        return applyFloat(a, b, &APFloat::multiply);
      });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = getIsUnsigned();
  return foldBinary(
      *this, adaptor.getLhs(), adaptor.getRhs(),
      [isUnsigned](const APInt &a, const APInt &b) -> std::optional<APInt> {
        // Division by zero and overflow are left to run time.
        bool overflow = false;
        if (b.isZero())
          return std::nullopt;
        if (isUnsigned)
          return a.udiv(b);
        APInt result = a.sdiv_ov(b, overflow);
        if (overflow)
          return std::nullopt;
        return result;
      },
      [](const APFloat &a, const APFloat &b) {
        return applyFloat(a, b, &APFloat::divide);
      });
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  // reshape(reshape(x)) -> reshape(x): only the final shape matters.
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  // Same type: the sizes other than the (at most one) dynamic size agree, so
  // the element count makes that one agree too.
  if (getInput().getType() == getType())
    return getInput();
  DenseElementsAttr input = getDense(adaptor.getInput());
  if (input && isWorthFolding(*this, getType(), input.isSplat()))
    return input.reshape(getType());
  return {};
}

OpFoldResult FlattenOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr input = getDense(adaptor.getInput());
  auto type = cast<RankedTensorType>(getType());
  if (input && isWorthFolding(*this, type, input.isSplat()))
    return input.reshape(type);
  return {};
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPerm();
  bool identity = llvm::all_of(llvm::enumerate(perm), [](auto entry) {
    return static_cast<int64_t>(entry.index()) == entry.value();
  });
  if (identity && getInput().getType() == getType())
    return getInput();
  DenseElementsAttr input = getDense(adaptor.getInput());
  auto type = cast<RankedTensorType>(getType());
  if (!input || !isWorthFolding(*this, type, input.isSplat()))
    return {};
  ArrayRef<int64_t> inputShape = input.getType().getShape();
  return moveElements(input, type, [&](ArrayRef<int64_t> coords) {
    SmallVector<int64_t> source(coords.size());
    for (auto [dim, p] : llvm::enumerate(perm))
      source[p] = coords[dim];
    return linearize(source, inputShape);
  });
}

//===----------------------------------------------------------------------===//
// Indexing
//===----------------------------------------------------------------------===//

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr input = getDense(adaptor.getInput());
  auto type = cast<RankedTensorType>(getType());
  if (!input || !isWorthFolding(*this, type, input.isSplat()))
    return {};
  ArrayRef<int64_t> inputShape = input.getType().getShape();
  ArrayRef<int64_t> starts = getStarts(), steps = getSteps();
  return moveElements(input, type, [&](ArrayRef<int64_t> coords) {
    SmallVector<int64_t> source;
    for (auto [coord, start, step] : llvm::zip(coords, starts, steps))
      source.push_back(start + coord * step);
    return linearize(source, inputShape);
  });
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr data = getDense(adaptor.getData());
  DenseElementsAttr indices = getDense(adaptor.getIndices());
  auto type = cast<RankedTensorType>(getType());
  if (!data || !indices || !isWorthFolding(*this, type, data.isSplat()))
    return {};
  int64_t axis = getAxis();
  ArrayRef<int64_t> dataShape = data.getType().getShape();
  int64_t axisSize = dataShape[axis];
  if (axisSize == 0)
    return {};
  int64_t indexRank = indices.getType().getRank();
  ArrayRef<int64_t> indexShape = indices.getType().getShape();
  SmallVector<int64_t> indexValues;
  for (const APInt &index : indices.getValues<APInt>()) {
    // Negative indices count from the end; the rest are clamped (op
    // semantics).
    int64_t value = index.getSExtValue();
    if (value < 0)
      value += axisSize;
    indexValues.push_back(std::clamp<int64_t>(value, 0, axisSize - 1));
  }
  return moveElements(data, type, [&](ArrayRef<int64_t> coords) {
    SmallVector<int64_t> source(coords.take_front(axis));
    source.push_back(
        indexValues[linearize(coords.slice(axis, indexRank), indexShape)]);
    llvm::append_range(source, coords.drop_front(axis + indexRank));
    return linearize(source, dataShape);
  });
}
