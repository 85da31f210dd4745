//===- FoldBatchNorm.cpp - fold batch_norm into conv or mul+add -*- C++ -*-===//
//
// Folds inference batch normalization with constant statistics into the
// conv that produces its input, or rewrites it into a per-channel mul and
// add.
//
//===----------------------------------------------------------------------===//
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>
#include <optional>

#define DEBUG_TYPE "ingot-graph-fold-batch-norm"

namespace mlir::ingot::graph {
#define GEN_PASS_DEF_FOLDBATCHNORMPASS
#include "dialects/Graph/Transforms/Passes.h.inc"
} // namespace mlir::ingot::graph

using namespace mlir;
using namespace mlir::ingot::graph;

namespace {

/// Returns the values of a floating-point constant, or nullopt.
std::optional<SmallVector<double>> getConstantValues(Value v) {
  DenseFPElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<double> values;
  for (const APFloat &value : attr.getValues<APFloat>())
    values.push_back(value.convertToDouble());
  return values;
}

/// The per-channel affine map `y = x * scale + shift` of a batch_norm.
struct ChannelAffine {
  SmallVector<double> scale, shift;
};

/// Returns the affine map of `op` if its statistics are constants.
std::optional<ChannelAffine> getChannelAffine(BatchNormOp op) {
  std::optional<SmallVector<double>> scale = getConstantValues(op.getScale());
  std::optional<SmallVector<double>> bias = getConstantValues(op.getBias());
  std::optional<SmallVector<double>> mean = getConstantValues(op.getMean());
  std::optional<SmallVector<double>> var = getConstantValues(op.getVariance());
  if (!scale || !bias || !mean || !var)
    return std::nullopt;
  size_t channels = scale->size();
  if (bias->size() != channels || mean->size() != channels ||
      var->size() != channels)
    return std::nullopt;
  double epsilon = op.getEpsilon().convertToDouble();
  ChannelAffine affine;
  for (size_t c = 0; c < channels; ++c) {
    double a = (*scale)[c] / std::sqrt((*var)[c] + epsilon);
    affine.scale.push_back(a);
    affine.shift.push_back((*bias)[c] - (*mean)[c] * a);
  }
  return affine;
}

/// Builds a graph.constant of `type` (floats) holding `values`, rounded to
/// the element type.
Value buildConstant(OpBuilder &b, Location loc, RankedTensorType type,
                    ArrayRef<double> values) {
  auto elementType = cast<FloatType>(type.getElementType());
  SmallVector<APFloat> data;
  for (double v : values) {
    APFloat value(v);
    bool lost;
    value.convert(elementType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &lost);
    data.push_back(value);
  }
  return b.create<ConstantOp>(loc, DenseElementsAttr::get(type, data));
}

/// Returns the conv weight `weight` with filter `f` scaled by `scale[f]`.
DenseElementsAttr scaleFilters(DenseFPElementsAttr weight,
                               ArrayRef<double> scale) {
  auto type = cast<RankedTensorType>(weight.getType());
  int64_t perFilter = type.getNumElements() / type.getDimSize(0);
  if (type.getElementType().isF32()) {
    // Weights are large: avoid APFloat on the common type.
    SmallVector<float> data;
    data.reserve(type.getNumElements());
    for (auto [i, w] : llvm::enumerate(weight.getValues<float>()))
      data.push_back(static_cast<float>(w * scale[i / perFilter]));
    return DenseElementsAttr::get(type, ArrayRef<float>(data));
  }
  const llvm::fltSemantics &semantics =
      cast<FloatType>(type.getElementType()).getFloatSemantics();
  SmallVector<APFloat> data;
  for (auto [i, w] : llvm::enumerate(weight.getValues<APFloat>())) {
    APFloat value(w.convertToDouble() * scale[i / perFilter]);
    bool lost;
    value.convert(semantics, APFloat::rmNearestTiesToEven, &lost);
    data.push_back(value);
  }
  return DenseElementsAttr::get(type, data);
}

/// Folds `op` into the conv producing its input: scales the filters and
/// adjusts the bias. Fails unless the conv has constant weight and bias and
/// no other user.
LogicalResult foldIntoConv(IRRewriter &rewriter, BatchNormOp op,
                           const ChannelAffine &affine) {
  auto conv = op.getInput().getDefiningOp<ConvOp>();
  if (!conv || !conv->hasOneUse())
    return failure();
  DenseFPElementsAttr weight;
  if (!matchPattern(conv.getWeight(), m_Constant(&weight)))
    return failure();
  int64_t filters = weight.getType().getDimSize(0);
  if (static_cast<int64_t>(affine.scale.size()) != filters)
    return failure();
  SmallVector<double> bias(filters, 0.0);
  if (conv.getBias()) {
    std::optional<SmallVector<double>> values =
        getConstantValues(conv.getBias());
    if (!values || static_cast<int64_t>(values->size()) != filters)
      return failure();
    bias = *values;
  }
  for (int64_t f = 0; f < filters; ++f)
    bias[f] = bias[f] * affine.scale[f] + affine.shift[f];

  Location loc = conv.getLoc();
  rewriter.setInsertionPoint(conv);
  Value newWeight =
      rewriter.create<ConstantOp>(loc, scaleFilters(weight, affine.scale));
  auto biasType =
      RankedTensorType::get({filters}, weight.getType().getElementType());
  Value newBias = buildConstant(rewriter, loc, biasType, bias);
  auto folded = rewriter.create<ConvOp>(
      loc, op.getType(), conv.getInput(), newWeight, newBias,
      conv.getStridesAttr(), conv.getPadsAttr(), conv.getDilationsAttr(),
      conv.getGroupAttr());
  rewriter.replaceOp(op, folded.getResult());
  rewriter.eraseOp(conv);
  return success();
}

/// Rewrites `op` into `x * scale + shift` with `C x 1 x ... x 1` constants
/// that broadcast along the channel dim.
void decompose(IRRewriter &rewriter, BatchNormOp op,
               const ChannelAffine &affine) {
  auto type = cast<RankedTensorType>(op.getType());
  SmallVector<int64_t> shape = {static_cast<int64_t>(affine.scale.size())};
  shape.append(type.getRank() - 2, 1);
  auto paramType = RankedTensorType::get(shape, type.getElementType());
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value scale = buildConstant(rewriter, loc, paramType, affine.scale);
  Value shift = buildConstant(rewriter, loc, paramType, affine.shift);
  Value scaled = rewriter.create<MulOp>(loc, type, op.getInput(), scale);
  rewriter.replaceOpWithNewOp<AddOp>(op, type, scaled, shift);
}

struct FoldBatchNormPass
    : public mlir::ingot::graph::impl::FoldBatchNormPassBase<
          FoldBatchNormPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<BatchNormOp> ops;
    getOperation().walk([&](BatchNormOp op) { ops.push_back(op); });
    for (BatchNormOp op : ops) {
      std::optional<ChannelAffine> affine = getChannelAffine(op);
      if (!affine)
        continue; // Non-constant statistics: lowered as is.
      if (failed(foldIntoConv(rewriter, op, *affine)))
        decompose(rewriter, op, *affine);
    }
    // Statistics and original weights left without users.
    getOperation().walk([](ConstantOp constant) {
      if (constant->use_empty())
        constant->erase();
    });
  }
};

} // namespace
