//===- ElementwisePatterns.cpp - elementwise, reduction lowering -*- C++
//-*-===//
//
// Lowers graph elementwise ops (with numpy broadcasting), clip, pow,
// batch_norm, reduce_mean and softmax to linalg.generic, and holds the
// IR-building helpers shared by the graph-to-linalg patterns.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::graph_to_linalg;

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

SmallVector<OpFoldResult> graph_to_linalg::getSizes(OpBuilder &b, Location loc,
                                                    Value value) {
  return tensor::getMixedSizes(b, loc, value);
}

SmallVector<OpFoldResult>
graph_to_linalg::getBroadcastSizes(OpBuilder &b, Location loc,
                                   ValueRange operands,
                                   ArrayRef<int64_t> resultShape) {
  int64_t rank = resultShape.size();
  SmallVector<OpFoldResult> sizes;
  for (int64_t i = 0; i < rank; ++i) {
    if (!ShapedType::isDynamic(resultShape[i])) {
      sizes.push_back(b.getIndexAttr(resultShape[i]));
      continue;
    }
    // Prefer an operand whose size is dynamic: a static size > 1 would have
    // made the result static.
    OpFoldResult size = b.getIndexAttr(1);
    bool found = false;
    for (Value operand : operands) {
      auto type = cast<RankedTensorType>(operand.getType());
      int64_t dim = i - (rank - type.getRank());
      if (dim < 0 || type.getDimSize(dim) == 1)
        continue;
      bool dynamic = type.isDynamicDim(dim);
      if (found && !dynamic)
        continue;
      size = tensor::getMixedSize(b, loc, operand, dim);
      found = true;
      if (dynamic)
        break;
    }
    sizes.push_back(size);
  }
  return sizes;
}

/// Prepares `input` to be read by an elementwise op over `resultShape`:
/// returns the input with its broadcast size-1 dims collapsed away and the
/// indexing map (a projected permutation) reading it.
static std::pair<Value, AffineMap>
broadcastInput(OpBuilder &b, Location loc, Value input,
               ArrayRef<int64_t> resultShape) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = resultShape.size();
  int64_t offset = rank - type.getRank();
  SmallVector<AffineExpr> exprs;
  SmallVector<int64_t> keptShape;
  SmallVector<ReassociationIndices> reassociation;
  ReassociationIndices pending;
  for (int64_t dim = 0; dim < type.getRank(); ++dim) {
    int64_t size = type.getDimSize(dim);
    bool broadcast = size == 1 && resultShape[offset + dim] != 1;
    if (!broadcast) {
      // Starts a new group unless only dropped dims are pending.
      if (!keptShape.empty()) {
        reassociation.push_back(pending);
        pending.clear();
      }
      exprs.push_back(b.getAffineDimExpr(offset + dim));
      keptShape.push_back(size);
    }
    pending.push_back(dim);
  }
  if (!keptShape.empty())
    reassociation.push_back(pending);
  AffineMap map = AffineMap::get(rank, 0, exprs, b.getContext());
  if (static_cast<int64_t>(keptShape.size()) == type.getRank())
    return {input, map};
  auto collapsedType = RankedTensorType::get(keptShape, type.getElementType());
  Value collapsed = b.create<tensor::CollapseShapeOp>(loc, collapsedType, input,
                                                      reassociation);
  return {collapsed, map};
}

Value graph_to_linalg::buildElementwise(OpBuilder &b, Location loc,
                                        RankedTensorType resultType,
                                        ArrayRef<OpFoldResult> sizes,
                                        ValueRange inputs,
                                        ScalarBodyBuilder body) {
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
  for (Value input : inputs) {
    auto [operand, map] = broadcastInput(b, loc, input, resultType.getShape());
    operands.push_back(operand);
    maps.push_back(map);
  }
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  Value init =
      b.create<tensor::EmptyOp>(loc, sizes, resultType.getElementType());
  if (init.getType() != resultType)
    init = b.create<tensor::CastOp>(loc, resultType, init);
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{resultType}, operands, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.drop_back());
        nested.create<linalg::YieldOp>(nestedLoc, result);
      });
  return generic.getResult(0);
}

Value graph_to_linalg::buildScalarConstant(OpBuilder &b, Location loc,
                                           Type type, double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return b.create<arith::ConstantOp>(loc, b.getFloatAttr(floatType, value));
  return b.create<arith::ConstantOp>(
      loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

/// Scalar computation of one elementwise graph op.
template <typename OpTy>
Value buildScalar(OpBuilder &b, Location loc, ValueRange args);

template <typename FloatOp, typename IntOp>
Value buildArith(OpBuilder &b, Location loc, ValueRange args) {
  if (isa<FloatType>(args[0].getType()))
    return b.create<FloatOp>(loc, args[0], args[1]);
  return b.create<IntOp>(loc, args[0], args[1]);
}

template <>
Value buildScalar<graph::AddOp>(OpBuilder &b, Location loc, ValueRange args) {
  return buildArith<arith::AddFOp, arith::AddIOp>(b, loc, args);
}
template <>
Value buildScalar<graph::SubOp>(OpBuilder &b, Location loc, ValueRange args) {
  return buildArith<arith::SubFOp, arith::SubIOp>(b, loc, args);
}
template <>
Value buildScalar<graph::MulOp>(OpBuilder &b, Location loc, ValueRange args) {
  return buildArith<arith::MulFOp, arith::MulIOp>(b, loc, args);
}
template <>
Value buildScalar<graph::ReluOp>(OpBuilder &b, Location loc, ValueRange args) {
  Value zero = buildScalarConstant(b, loc, args[0].getType(), 0.0);
  return buildArith<arith::MaximumFOp, arith::MaxSIOp>(b, loc, {args[0], zero});
}
template <>
Value buildScalar<graph::SigmoidOp>(OpBuilder &b, Location loc,
                                    ValueRange args) {
  Value one = buildScalarConstant(b, loc, args[0].getType(), 1.0);
  Value negated = b.create<arith::NegFOp>(loc, args[0]);
  Value exp = b.create<math::ExpOp>(loc, negated);
  Value denominator = b.create<arith::AddFOp>(loc, one, exp);
  return b.create<arith::DivFOp>(loc, one, denominator);
}
template <>
Value buildScalar<graph::TanhOp>(OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::TanhOp>(loc, args[0]);
}

template <>
Value buildScalar<graph::SqrtOp>(OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::SqrtOp>(loc, args[0]);
}
template <>
Value buildScalar<graph::ErfOp>(OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::ErfOp>(loc, args[0]);
}

/// Lowers an elementwise graph op to one linalg.generic.
template <typename OpTy>
struct ElementwiseLowering : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    ValueRange inputs = op->getOperands();
    SmallVector<OpFoldResult> sizes =
        getBroadcastSizes(rewriter, op.getLoc(), inputs, resultType.getShape());
    Value result = buildElementwise(rewriter, op.getLoc(), resultType, sizes,
                                    inputs, buildScalar<OpTy>);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.clip -> max(min(x, hi), lo); infinite bounds are left out.
struct ClipLowering : public OpRewritePattern<graph::ClipOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::ClipOp op,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    double lo = op.getMin().convertToDouble();
    double hi = op.getMax().convertToDouble();
    Value result = buildElementwise(
        rewriter, op.getLoc(), resultType,
        getSizes(rewriter, op.getLoc(), op.getInput()), op.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value v = args[0];
          Type type = v.getType();
          if (!std::isinf(hi))
            v = b.create<arith::MinimumFOp>(
                loc, v, buildScalarConstant(b, loc, type, hi));
          if (!std::isinf(lo))
            v = b.create<arith::MaximumFOp>(
                loc, v, buildScalarConstant(b, loc, type, lo));
          return v;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.pow -> multiplications or a square root for the common constant
/// exponents (1, 2, 3, 0.5), math.powf otherwise.
struct PowLowering : public OpRewritePattern<graph::PowOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::PowOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    SmallVector<OpFoldResult> sizes = getBroadcastSizes(
        rewriter, loc, op->getOperands(), resultType.getShape());
    DenseFPElementsAttr exponentAttr;
    std::optional<double> exponent;
    if (matchPattern(op.getRhs(), m_Constant(&exponentAttr)) &&
        exponentAttr.isSplat())
      exponent = exponentAttr.getSplatValue<APFloat>().convertToDouble();
    bool special = exponent && (*exponent == 1.0 || *exponent == 2.0 ||
                                *exponent == 3.0 || *exponent == 0.5);
    // The exponent's shape may still broadcast the result.
    SmallVector<Value> inputs = {op.getLhs()};
    if (!special || cast<RankedTensorType>(op.getLhs().getType()).getShape() !=
                        resultType.getShape())
      inputs.push_back(op.getRhs());
    Value result = buildElementwise(
        rewriter, loc, resultType, sizes, inputs,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x = args[0];
          if (!special) {
            // A negative base with a non-integer exponent has no real
            // power: NaN (the expansion of powf would use |x|).
            Value y = args[1];
            Value pow = b.create<math::PowFOp>(l, x, y);
            Value negative = b.create<arith::CmpFOp>(
                l, arith::CmpFPredicate::OLT, x,
                buildScalarConstant(b, l, x.getType(), 0.0));
            Value fractional = b.create<arith::CmpFOp>(
                l, arith::CmpFPredicate::ONE,
                b.create<math::FloorOp>(l, y).getResult(), y);
            Value nan = b.create<arith::ConstantOp>(
                l, b.getFloatAttr(
                       x.getType(),
                       APFloat::getNaN(
                           cast<FloatType>(x.getType()).getFloatSemantics())));
            return b.create<arith::SelectOp>(
                l, b.create<arith::AndIOp>(l, negative, fractional), nan, pow);
          }
          if (*exponent == 0.5)
            return b.create<math::SqrtOp>(l, x);
          Value v = x;
          for (int i = 1; i < static_cast<int>(*exponent); ++i)
            v = b.create<arith::MulFOp>(l, v, x);
          return v;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.batch_norm -> (x - mean) / sqrt(var + eps) * scale + bias, with
/// the per-channel operands expanded to `C x 1 x ...` so they broadcast
/// along dim 1. Constant statistics are folded before (in the graph phase);
/// this handles statistics computed at run time.
struct BatchNormLowering : public OpRewritePattern<graph::BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    SmallVector<Value> inputs = {op.getInput()};
    for (Value param :
         {op.getScale(), op.getBias(), op.getMean(), op.getVariance()}) {
      auto type = cast<RankedTensorType>(param.getType());
      SmallVector<int64_t> shape = {type.getDimSize(0)};
      shape.append(resultType.getRank() - 2, 1);
      if (shape.size() == 1) {
        inputs.push_back(param);
        continue;
      }
      FailureOr<Value> expanded =
          buildReshape(rewriter, loc, param,
                       RankedTensorType::get(shape, type.getElementType()));
      if (failed(expanded))
        return rewriter.notifyMatchFailure(op, "cannot expand a parameter");
      inputs.push_back(*expanded);
    }
    double epsilon = op.getEpsilon().convertToDouble();
    Value result = buildElementwise(
        rewriter, loc, resultType, getSizes(rewriter, loc, op.getInput()),
        inputs, [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value eps = buildScalarConstant(b, l, args[0].getType(), epsilon);
          Value centered = b.create<arith::SubFOp>(l, args[0], args[3]);
          Value deviation = b.create<math::SqrtOp>(
              l, b.create<arith::AddFOp>(l, args[4], eps));
          Value normalized = b.create<arith::DivFOp>(l, centered, deviation);
          Value scaled = b.create<arith::MulFOp>(l, normalized, args[1]);
          return b.create<arith::AddFOp>(l, scaled, args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Builds a linalg.generic reducing `input` along `axis` into `init` (whose
/// shape drops `axis`) with `combine(element, accumulator)`.
Value buildReduction(
    OpBuilder &b, Location loc, Value input, Value init, int64_t axis,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (i != axis)
      exprs.push_back(b.getAffineDimExpr(i));
  SmallVector<AffineMap> maps = {
      b.getMultiDimIdentityMap(rank),
      AffineMap::get(rank, 0, exprs, b.getContext())};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators[axis] = utils::IteratorType::reduction;
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{init.getType()}, ValueRange{input}, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        nested.create<linalg::YieldOp>(
            nestedLoc, combine(nested, nestedLoc, args[0], args[1]));
      });
  return generic.getResult(0);
}

/// Builds a linalg.generic computing `body(x, r)` over `input`'s shape, where
/// `r` is read from `reduced` (which lacks `axis`).
Value buildWithReduced(
    OpBuilder &b, Location loc, Value input, Value reduced, int64_t axis,
    function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (i != axis)
      exprs.push_back(b.getAffineDimExpr(i));
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, exprs, b.getContext()),
                                 b.getMultiDimIdentityMap(rank)};
  Value init = b.create<tensor::EmptyOp>(loc, getSizes(b, loc, input),
                                         type.getElementType());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{type}, ValueRange{input, reduced}, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        nested.create<linalg::YieldOp>(
            nestedLoc, body(nested, nestedLoc, args[0], args[1]));
      });
  return generic.getResult(0);
}

/// softmax(x) = exp(x - max(x)) / sum(exp(x - max(x))) along the axis.
struct SoftmaxLowering : public OpRewritePattern<graph::SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    auto elementType = cast<FloatType>(type.getElementType());
    int64_t axis = op.getNormalizedAxis();

    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, input);
    sizes.erase(sizes.begin() + axis);
    Value empty = rewriter.create<tensor::EmptyOp>(loc, sizes, elementType);
    auto fill = [&](Value scalar) {
      return rewriter.create<linalg::FillOp>(loc, scalar, empty).getResult(0);
    };
    Value negInf = rewriter.create<arith::ConstantOp>(
        loc, rewriter.getFloatAttr(
                 elementType, APFloat::getInf(elementType.getFloatSemantics(),
                                              /*Negative=*/true)));
    Value zero = buildScalarConstant(rewriter, loc, elementType, 0.0);

    Value max = buildReduction(
        rewriter, loc, input, fill(negInf), axis,
        [](OpBuilder &b, Location l, Value x, Value acc) -> Value {
          return b.create<arith::MaximumFOp>(l, x, acc);
        });
    Value exp = buildWithReduced(
        rewriter, loc, input, max, axis,
        [](OpBuilder &b, Location l, Value x, Value m) -> Value {
          Value shifted = b.create<arith::SubFOp>(l, x, m);
          return b.create<math::ExpOp>(l, shifted);
        });
    Value sum = buildReduction(
        rewriter, loc, exp, fill(zero), axis,
        [](OpBuilder &b, Location l, Value x, Value acc) -> Value {
          return b.create<arith::AddFOp>(l, x, acc);
        });
    Value result = buildWithReduced(
        rewriter, loc, exp, sum, axis,
        [](OpBuilder &b, Location l, Value e, Value s) -> Value {
          return b.create<arith::DivFOp>(l, e, s);
        });
    if (result.getType() != op.getType())
      result = rewriter.create<tensor::CastOp>(loc, op.getType(), result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.reduce_mean -> a sum over the axes into zeros, a division by the
/// element count, and an expand_shape back for keepdims.
struct ReduceMeanLowering : public OpRewritePattern<graph::ReduceMeanOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::ReduceMeanOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static input shape");
    Type elementType = type.getElementType();
    int64_t rank = type.getRank();
    ArrayRef<int64_t> axes = op.getAxes();
    SmallVector<int64_t> reducedShape;
    SmallVector<AffineExpr> exprs;
    SmallVector<utils::IteratorType> iterators;
    int64_t count = 1;
    for (int64_t i = 0; i < rank; ++i) {
      if (llvm::is_contained(axes, i)) {
        iterators.push_back(utils::IteratorType::reduction);
        count *= type.getDimSize(i);
        continue;
      }
      iterators.push_back(utils::IteratorType::parallel);
      reducedShape.push_back(type.getDimSize(i));
      exprs.push_back(rewriter.getAffineDimExpr(i));
    }
    auto reducedType = RankedTensorType::get(reducedShape, elementType);
    Value empty =
        rewriter.create<tensor::EmptyOp>(loc, reducedShape, elementType);
    Value zero = buildScalarConstant(rewriter, loc, elementType, 0.0);
    Value init = rewriter.create<linalg::FillOp>(loc, zero, empty).getResult(0);
    SmallVector<AffineMap> maps = {
        rewriter.getMultiDimIdentityMap(rank),
        AffineMap::get(rank, 0, exprs, rewriter.getContext())};
    Value sum =
        rewriter
            .create<linalg::GenericOp>(
                loc, TypeRange{reducedType}, ValueRange{input},
                ValueRange{init}, maps, iterators,
                [](OpBuilder &b, Location l, ValueRange args) {
                  b.create<linalg::YieldOp>(
                      l,
                      b.create<arith::AddFOp>(l, args[0], args[1]).getResult());
                })
            .getResult(0);
    Value mean = buildElementwise(
        rewriter, loc, reducedType,
        getAsIndexOpFoldResult(rewriter.getContext(), reducedShape), sum,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          return b.create<arith::DivFOp>(
              l, args[0],
              buildScalarConstant(b, l, elementType,
                                  static_cast<double>(count)));
        });
    FailureOr<Value> result = buildReshape(rewriter, loc, mean, resultType);
    if (failed(result))
      return rewriter.notifyMatchFailure(op, "cannot restore the kept dims");
    rewriter.replaceOp(op, *result);
    return success();
  }
};

} // namespace

void graph_to_linalg::populateElementwisePatterns(RewritePatternSet &patterns) {
  patterns.add<
      ElementwiseLowering<graph::AddOp>, ElementwiseLowering<graph::SubOp>,
      ElementwiseLowering<graph::MulOp>, ElementwiseLowering<graph::ReluOp>,
      ElementwiseLowering<graph::SigmoidOp>, ElementwiseLowering<graph::TanhOp>,
      ElementwiseLowering<graph::SqrtOp>, ElementwiseLowering<graph::ErfOp>,
      ClipLowering, PowLowering, ReduceMeanLowering, SoftmaxLowering,
      BatchNormLowering>(patterns.getContext());
}
