//===- ElementwisePatterns.cpp - elementwise, softmax lowering --*- C++ -*-===//
//
// Lowers graph elementwise ops (with numpy broadcasting) and softmax to
// linalg.generic, and holds the IR-building helpers shared by the
// graph-to-linalg patterns.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

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
Value buildScalar<graph::DivOp>(OpBuilder &b, Location loc, ValueRange args) {
  return buildArith<arith::DivFOp, arith::DivSIOp>(b, loc, args);
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

} // namespace

void graph_to_linalg::populateElementwisePatterns(RewritePatternSet &patterns) {
  patterns.add<
      ElementwiseLowering<graph::AddOp>, ElementwiseLowering<graph::SubOp>,
      ElementwiseLowering<graph::MulOp>, ElementwiseLowering<graph::DivOp>,
      ElementwiseLowering<graph::ReluOp>, ElementwiseLowering<graph::SigmoidOp>,
      ElementwiseLowering<graph::TanhOp>, SoftmaxLowering>(
      patterns.getContext());
}
