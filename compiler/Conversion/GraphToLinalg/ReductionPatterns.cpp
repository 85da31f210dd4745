//===- ReductionPatterns.cpp - reduction lowering ---------------*- C++ -*-===//
//
// Lowers graph.reduce, graph.arg_reduce, graph.log_softmax, graph.hardmax
// and graph.cumsum to linalg.generic reductions over static shapes.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::graph_to_linalg;

namespace {

/// Combines an element into an accumulator.
using Combiner =
    function_ref<Value(OpBuilder &, Location, ValueRange args, Value acc)>;

/// Builds a tensor of `shape` filled with `value`.
Value buildFilledTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                        Value value) {
  Value empty = b.create<tensor::EmptyOp>(loc, shape, value.getType());
  return b.create<linalg::FillOp>(loc, value, empty).getResult(0);
}

/// Returns the affine map of the shape of `full` (rank `rank`) without `axes`.
AffineMap reducedMap(OpBuilder &b, int64_t rank, ArrayRef<int64_t> axes) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (!llvm::is_contained(axes, i))
      exprs.push_back(b.getAffineDimExpr(i));
  return AffineMap::get(rank, 0, exprs, b.getContext());
}

/// Returns `shape` without `axes`.
SmallVector<int64_t> dropAxes(ArrayRef<int64_t> shape, ArrayRef<int64_t> axes) {
  SmallVector<int64_t> result;
  for (auto [i, size] : llvm::enumerate(shape))
    if (!llvm::is_contained(axes, static_cast<int64_t>(i)))
      result.push_back(size);
  return result;
}

/// Reduces `full` (and `reduced` operands, which lack `axes`) over `axes`
/// into a tensor of the reduced shape starting at `initValue`. `combine`
/// receives the scalars of `full` then of `reduced`.
Value buildAxesReduction(OpBuilder &b, Location loc, Value full,
                         ValueRange reduced, ArrayRef<int64_t> axes,
                         Value initValue, Combiner combine) {
  auto type = cast<RankedTensorType>(full.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape = dropAxes(type.getShape(), axes);
  Value init = buildFilledTensor(b, loc, shape, initValue);
  AffineMap reducedMapping = reducedMap(b, rank, axes);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  SmallVector<Value> inputs = {full};
  for (Value v : reduced) {
    maps.push_back(reducedMapping);
    inputs.push_back(v);
  }
  maps.push_back(reducedMapping);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  for (int64_t axis : axes)
    iterators[axis] = utils::IteratorType::reduction;
  return b
      .create<linalg::GenericOp>(
          loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
          iterators,
          [&](OpBuilder &nb, Location l, ValueRange args) {
            nb.create<linalg::YieldOp>(
                l, combine(nb, l, args.drop_back(), args.back()));
          })
      .getResult(0);
}

/// Builds an all-parallel generic over the shape of `full` computing
/// `body(full scalar, reduced scalars...)`, where `reduced` lack `axes`.
Value buildWithReducedAxes(
    OpBuilder &b, Location loc, Value full, ValueRange reduced,
    ArrayRef<int64_t> axes, Type resultElementType,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  auto type = cast<RankedTensorType>(full.getType());
  int64_t rank = type.getRank();
  AffineMap reducedMapping = reducedMap(b, rank, axes);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  SmallVector<Value> inputs = {full};
  for (Value v : reduced) {
    maps.push_back(reducedMapping);
    inputs.push_back(v);
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  auto resultType = RankedTensorType::get(type.getShape(), resultElementType);
  Value init =
      b.create<tensor::EmptyOp>(loc, type.getShape(), resultElementType);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return b
      .create<linalg::GenericOp>(
          loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
          [&](OpBuilder &nb, Location l, ValueRange args) {
            nb.create<linalg::YieldOp>(l, body(nb, l, args.drop_back()));
          })
      .getResult(0);
}

/// Returns the identity of max (`isMax`) or min for `type`: -inf/+inf, or
/// the smallest/largest signed integer.
Value buildExtremeIdentity(OpBuilder &b, Location loc, Type type, bool isMax) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return b.create<arith::ConstantOp>(
        loc,
        b.getFloatAttr(floatType, APFloat::getInf(floatType.getFloatSemantics(),
                                                  /*Negative=*/isMax)));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt value =
      isMax ? APInt::getSignedMinValue(width) : APInt::getSignedMaxValue(width);
  return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(type, value));
}

/// Builds max (`isMax`) or min of two scalars.
Value buildExtreme(OpBuilder &b, Location loc, Value x, Value y, bool isMax) {
  if (isa<FloatType>(x.getType()))
    return isMax ? b.create<arith::MaximumFOp>(loc, x, y).getResult()
                 : b.create<arith::MinimumFOp>(loc, x, y).getResult();
  return isMax ? b.create<arith::MaxSIOp>(loc, x, y).getResult()
               : b.create<arith::MinSIOp>(loc, x, y).getResult();
}

/// Builds x + y or x * y on floats or integers.
Value buildAdd(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return b.create<arith::AddFOp>(loc, x, y);
  return b.create<arith::AddIOp>(loc, x, y);
}
Value buildMul(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return b.create<arith::MulFOp>(loc, x, y);
  return b.create<arith::MulIOp>(loc, x, y);
}

/// Reduces `input` to the maximum (or minimum) over `axes`.
Value buildExtremeReduction(OpBuilder &b, Location loc, Value input,
                            ArrayRef<int64_t> axes, bool isMax) {
  Type elementType = cast<RankedTensorType>(input.getType()).getElementType();
  return buildAxesReduction(
      b, loc, input, {}, axes, buildExtremeIdentity(b, loc, elementType, isMax),
      [&](OpBuilder &nb, Location l, ValueRange args, Value acc) {
        return buildExtreme(nb, l, args[0], acc, isMax);
      });
}

/// graph.reduce -> an optional max pass (log_sum_exp), one reduction
/// generic, an elementwise finish and a reshape for keepdims.
struct ReduceLowering : public OpRewritePattern<graph::ReduceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::ReduceOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static input shape");
    Type elementType = type.getElementType();
    StringRef kind = op.getKind();
    ArrayRef<int64_t> axes = op.getAxes();
    int64_t count = 1;
    for (int64_t axis : axes)
      count *= type.getDimSize(axis);

    Value reduced;
    if (kind == "max" || kind == "min") {
      reduced =
          buildExtremeReduction(rewriter, loc, input, axes, kind == "max");
    } else if (kind == "prod") {
      reduced = buildAxesReduction(
          rewriter, loc, input, {}, axes,
          buildScalarConstant(rewriter, loc, elementType, 1.0),
          [](OpBuilder &b, Location l, ValueRange args, Value acc) {
            return buildMul(b, l, args[0], acc);
          });
    } else if (kind == "log_sum_exp") {
      Value max = buildExtremeReduction(rewriter, loc, input, axes, true);
      Value sum = buildAxesReduction(
          rewriter, loc, input, max, axes,
          buildScalarConstant(rewriter, loc, elementType, 0.0),
          [](OpBuilder &b, Location l, ValueRange args, Value acc) -> Value {
            // An all -inf slice has max -inf: exp(x - max) would be NaN.
            Value finite = b.create<arith::CmpFOp>(
                l, arith::CmpFPredicate::ONE, args[1],
                buildExtremeIdentity(b, l, args[1].getType(), true));
            Value shift = b.create<arith::SelectOp>(
                l, finite, args[1],
                buildScalarConstant(b, l, args[1].getType(), 0.0));
            Value e = b.create<math::ExpOp>(
                l, b.create<arith::SubFOp>(l, args[0], shift));
            return b.create<arith::AddFOp>(l, e, acc);
          });
      SmallVector<int64_t> shape = dropAxes(type.getShape(), axes);
      reduced = buildElementwise(
          rewriter, loc, RankedTensorType::get(shape, elementType),
          getAsIndexOpFoldResult(rewriter.getContext(), shape),
          ValueRange{sum, max},
          [](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value finite = b.create<arith::CmpFOp>(
                l, arith::CmpFPredicate::ONE, args[1],
                buildExtremeIdentity(b, l, args[1].getType(), true));
            Value shift = b.create<arith::SelectOp>(
                l, finite, args[1],
                buildScalarConstant(b, l, args[1].getType(), 0.0));
            return b.create<arith::AddFOp>(l, shift,
                                           b.create<math::LogOp>(l, args[0]));
          });
    } else {
      // Sums of a mapped element: sum, mean, l1, l2, log_sum, sum_square.
      bool square = kind == "l2" || kind == "sum_square";
      bool absolute = kind == "l1";
      Value sum = buildAxesReduction(
          rewriter, loc, input, {}, axes,
          buildScalarConstant(rewriter, loc, elementType, 0.0),
          [&](OpBuilder &b, Location l, ValueRange args, Value acc) -> Value {
            Value x = args[0];
            if (square)
              x = buildMul(b, l, x, x);
            if (absolute) {
              if (isa<FloatType>(x.getType())) {
                x = b.create<math::AbsFOp>(l, x);
              } else {
                Value zero = buildScalarConstant(b, l, x.getType(), 0.0);
                Value negated = b.create<arith::SubIOp>(l, zero, x);
                x = b.create<arith::MaxSIOp>(l, x, negated);
              }
            }
            return buildAdd(b, l, x, acc);
          });
      reduced = sum;
      if (kind == "mean" || kind == "l2" || kind == "log_sum") {
        SmallVector<int64_t> shape = dropAxes(type.getShape(), axes);
        reduced = buildElementwise(
            rewriter, loc, RankedTensorType::get(shape, elementType),
            getAsIndexOpFoldResult(rewriter.getContext(), shape), sum,
            [&](OpBuilder &b, Location l, ValueRange args) -> Value {
              if (kind == "l2")
                return b.create<math::SqrtOp>(l, args[0]);
              if (kind == "log_sum")
                return b.create<math::LogOp>(l, args[0]);
              return b.create<arith::DivFOp>(
                  l, args[0],
                  buildScalarConstant(b, l, elementType,
                                      static_cast<double>(count)));
            });
      }
    }
    FailureOr<Value> result = buildReshape(rewriter, loc, reduced, resultType);
    if (failed(result))
      return rewriter.notifyMatchFailure(op, "cannot restore the kept dims");
    rewriter.replaceOp(op, *result);
    return success();
  }
};

/// Builds the i64 index along `axis` of the first (or last) element of
/// `input` equal to `extreme` (which lacks `axis`).
Value buildIndexOf(OpBuilder &b, Location loc, Value input, Value extreme,
                   int64_t axis, bool last) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t size = type.getDimSize(axis);
  Value init =
      b.create<arith::ConstantOp>(loc, b.getI64IntegerAttr(last ? -1 : size));
  return buildAxesReduction(
      b, loc, input, extreme, {axis}, init,
      [&](OpBuilder &nb, Location l, ValueRange args, Value acc) -> Value {
        Value index = nb.create<arith::IndexCastOp>(
            l, nb.getI64Type(), nb.create<linalg::IndexOp>(l, axis));
        Value equal =
            isa<FloatType>(args[0].getType())
                ? nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::OEQ,
                                           args[0], args[1])
                      .getResult()
                : nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, args[0],
                                           args[1])
                      .getResult();
        Value better =
            last ? nb.create<arith::MaxSIOp>(l, acc, index).getResult()
                 : nb.create<arith::MinSIOp>(l, acc, index).getResult();
        return nb.create<arith::SelectOp>(l, equal, better, acc);
      });
}

/// graph.arg_reduce -> the extreme value, then the index of its first (or
/// last) occurrence.
struct ArgReduceLowering : public OpRewritePattern<graph::ArgReduceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::ArgReduceOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    if (!cast<RankedTensorType>(input.getType()).hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static input shape");
    int64_t axis = op.getAxis();
    Value extreme = buildExtremeReduction(rewriter, loc, input, {axis},
                                          op.getKind() == "max");
    Value index = buildIndexOf(rewriter, loc, input, extreme, axis,
                               op.getSelectLastIndex());
    FailureOr<Value> result = buildReshape(
        rewriter, loc, index, cast<RankedTensorType>(op.getType()));
    if (failed(result))
      return rewriter.notifyMatchFailure(op, "cannot restore the kept dim");
    rewriter.replaceOp(op, *result);
    return success();
  }
};

/// graph.log_softmax -> x - max - log(sum(exp(x - max))).
struct LogSoftmaxLowering : public OpRewritePattern<graph::LogSoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::LogSoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static input shape");
    int64_t axis = op.getAxis();
    Value max = buildExtremeReduction(rewriter, loc, input, {axis}, true);
    Value sum = buildAxesReduction(
        rewriter, loc, input, max, {axis},
        buildScalarConstant(rewriter, loc, type.getElementType(), 0.0),
        [](OpBuilder &b, Location l, ValueRange args, Value acc) -> Value {
          Value e = b.create<math::ExpOp>(
              l, b.create<arith::SubFOp>(l, args[0], args[1]));
          return b.create<arith::AddFOp>(l, e, acc);
        });
    Value result = buildWithReducedAxes(
        rewriter, loc, input, ValueRange{max, sum}, {axis},
        type.getElementType(),
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value shifted = b.create<arith::SubFOp>(l, args[0], args[1]);
          return b.create<arith::SubFOp>(l, shifted,
                                         b.create<math::LogOp>(l, args[2]));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.hardmax -> the index of the first maximum, then 1 where the index
/// along the axis equals it.
struct HardmaxLowering : public OpRewritePattern<graph::HardmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::HardmaxOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static input shape");
    int64_t axis = op.getAxis();
    Value max = buildExtremeReduction(rewriter, loc, input, {axis}, true);
    Value index = buildIndexOf(rewriter, loc, input, max, axis, false);
    Type elementType = type.getElementType();
    Value result = buildWithReducedAxes(
        rewriter, loc, input, index, {axis}, elementType,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value own = b.create<arith::IndexCastOp>(
              l, b.getI64Type(), b.create<linalg::IndexOp>(l, axis));
          Value hit = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, own,
                                              args[1]);
          return b.create<arith::SelectOp>(
              l, hit, buildScalarConstant(b, l, elementType, 1.0),
              buildScalarConstant(b, l, elementType, 0.0));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.cumsum -> a generic over (result dims, source index along the
/// axis) that adds the source elements at or before (after, when reversed)
/// the result index.
struct CumSumLowering : public OpRewritePattern<graph::CumSumOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::CumSumOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static input shape");
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis();
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    Type elementType = type.getElementType();
    // Dims: the result's, then the source index along the axis (dim `rank`).
    SmallVector<AffineExpr> inputExprs;
    for (int64_t i = 0; i < rank; ++i)
      inputExprs.push_back(rewriter.getAffineDimExpr(i == axis ? rank : i));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank + 1, 0, inputExprs, rewriter.getContext()),
        AffineMap::getMultiDimIdentityMap(rank + 1, rewriter.getContext())
            .getMajorSubMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    Value init =
        buildFilledTensor(rewriter, loc, type.getShape(),
                          buildScalarConstant(rewriter, loc, elementType, 0.0));
    Value result =
        rewriter
            .create<linalg::GenericOp>(
                loc, TypeRange{type}, ValueRange{input}, ValueRange{init}, maps,
                iterators,
                [&](OpBuilder &b, Location l, ValueRange args) {
                  Value target = b.create<linalg::IndexOp>(l, axis);
                  Value source = b.create<linalg::IndexOp>(l, rank);
                  arith::CmpIPredicate predicate =
                      reverse ? (exclusive ? arith::CmpIPredicate::ugt
                                           : arith::CmpIPredicate::uge)
                              : (exclusive ? arith::CmpIPredicate::ult
                                           : arith::CmpIPredicate::ule);
                  Value take =
                      b.create<arith::CmpIOp>(l, predicate, source, target);
                  Value sum = buildAdd(b, l, args[0], args[1]);
                  b.create<linalg::YieldOp>(
                      l, b.create<arith::SelectOp>(l, take, sum, args[1])
                             .getResult());
                })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void graph_to_linalg::populateReductionPatterns(RewritePatternSet &patterns) {
  patterns.add<ReduceLowering, ArgReduceLowering, LogSoftmaxLowering,
               HardmaxLowering, CumSumLowering>(patterns.getContext());
}
