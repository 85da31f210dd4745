//===- ElementwiseMathPatterns.cpp - math, logic, cast lowering -*- C++ -*-===//
//
// Lowers the graph ops of GraphElementwiseOps.td (unary math, activations,
// comparisons, logical and bitwise ops, where, cast, trilu) and graph.div to
// one broadcasting linalg.generic each, with arith/math scalar bodies.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <limits>

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::graph_to_linalg;

LogicalResult graph_to_linalg::lowerBroadcastingOp(PatternRewriter &rewriter,
                                                   Operation *op,
                                                   ScalarBodyBuilder body) {
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  ValueRange inputs = op->getOperands();
  SmallVector<OpFoldResult> sizes =
      getBroadcastSizes(rewriter, op->getLoc(), inputs, resultType.getShape());
  Value result =
      buildElementwise(rewriter, op->getLoc(), resultType, sizes, inputs, body);
  rewriter.replaceOp(op, result);
  return success();
}

namespace {

bool isFloat(Value v) { return isa<FloatType>(v.getType()); }

Value constant(OpBuilder &b, Location loc, Value like, double value) {
  return buildScalarConstant(b, loc, like.getType(), value);
}

/// `cond ? a : b`.
Value select(OpBuilder &b, Location loc, Value cond, Value a, Value c) {
  return b.create<arith::SelectOp>(loc, cond, a, c);
}

Value cmpf(OpBuilder &b, Location loc, arith::CmpFPredicate pred, Value x,
           Value y) {
  return b.create<arith::CmpFOp>(loc, pred, x, y);
}

Value mulf(OpBuilder &b, Location loc, Value x, Value y) {
  return b.create<arith::MulFOp>(loc, x, y);
}
Value addf(OpBuilder &b, Location loc, Value x, Value y) {
  return b.create<arith::AddFOp>(loc, x, y);
}
Value subf(OpBuilder &b, Location loc, Value x, Value y) {
  return b.create<arith::SubFOp>(loc, x, y);
}
Value divf(OpBuilder &b, Location loc, Value x, Value y) {
  return b.create<arith::DivFOp>(loc, x, y);
}
Value exp(OpBuilder &b, Location loc, Value x) {
  return b.create<math::ExpOp>(loc, x);
}
Value log(OpBuilder &b, Location loc, Value x) {
  return b.create<math::LogOp>(loc, x);
}
Value sqrt(OpBuilder &b, Location loc, Value x) {
  return b.create<math::SqrtOp>(loc, x);
}

/// alpha * (exp(x) - 1) for x <= 0, x otherwise (Elu, Selu).
Value buildElu(OpBuilder &b, Location loc, Value x, double alpha) {
  Value zero = constant(b, loc, x, 0.0);
  Value expm1 = subf(b, loc, exp(b, loc, x), constant(b, loc, x, 1.0));
  Value negative = mulf(b, loc, constant(b, loc, x, alpha), expm1);
  return select(b, loc, cmpf(b, loc, arith::CmpFPredicate::OGT, x, zero), x,
                negative);
}

//===----------------------------------------------------------------------===//
// Scalar bodies, one overload per op
//===----------------------------------------------------------------------===//

Value buildBody(graph::AbsOp, OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0]))
    return b.create<math::AbsFOp>(loc, args[0]);
  return b.create<math::AbsIOp>(loc, args[0]);
}
Value buildBody(graph::NegOp, OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0]))
    return b.create<arith::NegFOp>(loc, args[0]);
  return b.create<arith::SubIOp>(loc, constant(b, loc, args[0], 0), args[0]);
}
Value buildBody(graph::SignOp, OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0];
  Value zero = constant(b, loc, x, 0), one = constant(b, loc, x, 1),
        minusOne = constant(b, loc, x, -1);
  Value positive, negative;
  if (isFloat(x)) {
    positive = cmpf(b, loc, arith::CmpFPredicate::OGT, x, zero);
    negative = cmpf(b, loc, arith::CmpFPredicate::OLT, x, zero);
  } else {
    positive = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sgt, x, zero);
    negative = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, x, zero);
  }
  return select(b, loc, positive, one,
                select(b, loc, negative, minusOne, zero));
}
Value buildBody(graph::ExpOp, OpBuilder &b, Location loc, ValueRange args) {
  return exp(b, loc, args[0]);
}
Value buildBody(graph::LogOp, OpBuilder &b, Location loc, ValueRange args) {
  return log(b, loc, args[0]);
}
Value buildBody(graph::CeilOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::CeilOp>(loc, args[0]);
}
Value buildBody(graph::FloorOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::FloorOp>(loc, args[0]);
}
Value buildBody(graph::RoundOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::RoundEvenOp>(loc, args[0]);
}
Value buildBody(graph::ReciprocalOp, OpBuilder &b, Location loc,
                ValueRange args) {
  return divf(b, loc, constant(b, loc, args[0], 1.0), args[0]);
}
Value buildBody(graph::SinOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::SinOp>(loc, args[0]);
}
Value buildBody(graph::CosOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::CosOp>(loc, args[0]);
}
Value buildBody(graph::TanOp, OpBuilder &b, Location loc, ValueRange args) {
  // sin / cos: both have LLVM intrinsics on vectors, math.tan does not.
  return divf(b, loc, b.create<math::SinOp>(loc, args[0]),
              b.create<math::CosOp>(loc, args[0]));
}
/// sqrt((1 - x) * (1 + x)), the cosine of asin(x).
Value buildCoAngle(OpBuilder &b, Location loc, Value x) {
  Value one = constant(b, loc, x, 1.0);
  return sqrt(b, loc, mulf(b, loc, subf(b, loc, one, x), addf(b, loc, one, x)));
}
Value buildBody(graph::AsinOp, OpBuilder &b, Location loc, ValueRange args) {
  // atan2(x, sqrt(1 - x^2)): accurate up to |x| = 1, unlike the polynomial
  // approximation of math.asin.
  return b.create<math::Atan2Op>(loc, args[0], buildCoAngle(b, loc, args[0]));
}
Value buildBody(graph::AcosOp, OpBuilder &b, Location loc, ValueRange args) {
  // atan2(sqrt(1 - x^2), x)
  return b.create<math::Atan2Op>(loc, buildCoAngle(b, loc, args[0]), args[0]);
}
Value buildBody(graph::AtanOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::AtanOp>(loc, args[0]);
}
Value buildBody(graph::SinhOp, OpBuilder &b, Location loc, ValueRange args) {
  // (e^x - e^-x) / 2
  Value x = args[0];
  Value diff = subf(b, loc, exp(b, loc, x),
                    exp(b, loc, b.create<arith::NegFOp>(loc, x)));
  return mulf(b, loc, diff, constant(b, loc, x, 0.5));
}
Value buildBody(graph::CoshOp, OpBuilder &b, Location loc, ValueRange args) {
  // (e^x + e^-x) / 2
  Value x = args[0];
  Value sum = addf(b, loc, exp(b, loc, x),
                   exp(b, loc, b.create<arith::NegFOp>(loc, x)));
  return mulf(b, loc, sum, constant(b, loc, x, 0.5));
}
Value buildBody(graph::AsinhOp, OpBuilder &b, Location loc, ValueRange args) {
  // sign(x) * log(|x| + sqrt(x^2 + 1)), exact in sign for negative x.
  Value x = args[0];
  Value a = b.create<math::AbsFOp>(loc, x);
  Value root =
      sqrt(b, loc, addf(b, loc, mulf(b, loc, x, x), constant(b, loc, x, 1.0)));
  Value magnitude = log(b, loc, addf(b, loc, a, root));
  return b.create<math::CopySignOp>(loc, magnitude, x);
}
Value buildBody(graph::AcoshOp, OpBuilder &b, Location loc, ValueRange args) {
  // log(x + sqrt(x^2 - 1))
  Value x = args[0];
  Value root =
      sqrt(b, loc, subf(b, loc, mulf(b, loc, x, x), constant(b, loc, x, 1.0)));
  return log(b, loc, addf(b, loc, x, root));
}
Value buildBody(graph::AtanhOp, OpBuilder &b, Location loc, ValueRange args) {
  // log((1 + x) / (1 - x)) / 2
  Value x = args[0];
  Value one = constant(b, loc, x, 1.0);
  Value ratio = divf(b, loc, addf(b, loc, one, x), subf(b, loc, one, x));
  return mulf(b, loc, log(b, loc, ratio), constant(b, loc, x, 0.5));
}
Value buildBody(graph::SoftplusOp, OpBuilder &b, Location loc,
                ValueRange args) {
  // max(x, 0) + log1p(exp(-|x|)): no overflow for large |x|.
  Value x = args[0];
  Value negAbs =
      b.create<arith::NegFOp>(loc, b.create<math::AbsFOp>(loc, x).getResult());
  Value tail = b.create<math::Log1pOp>(loc, exp(b, loc, negAbs));
  Value relu = b.create<arith::MaximumFOp>(loc, x, constant(b, loc, x, 0.0));
  return addf(b, loc, relu, tail);
}
Value buildBody(graph::SoftsignOp, OpBuilder &b, Location loc,
                ValueRange args) {
  Value x = args[0];
  Value denominator =
      addf(b, loc, constant(b, loc, x, 1.0), b.create<math::AbsFOp>(loc, x));
  return divf(b, loc, x, denominator);
}
Value buildBody(graph::NotOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<arith::XOrIOp>(loc, args[0], constant(b, loc, args[0], 1));
}

Value buildBody(graph::EluOp op, OpBuilder &b, Location loc, ValueRange args) {
  return buildElu(b, loc, args[0], op.getAlpha().convertToDouble());
}
Value buildBody(graph::SeluOp op, OpBuilder &b, Location loc, ValueRange args) {
  Value elu = buildElu(b, loc, args[0], op.getAlpha().convertToDouble());
  return mulf(b, loc,
              constant(b, loc, args[0], op.getGamma().convertToDouble()), elu);
}
Value buildBody(graph::CeluOp op, OpBuilder &b, Location loc, ValueRange args) {
  // max(0, x) + min(0, alpha * (exp(x / alpha) - 1))
  Value x = args[0];
  Value alpha = constant(b, loc, x, op.getAlpha().convertToDouble());
  Value zero = constant(b, loc, x, 0.0);
  Value expm1 = subf(b, loc, exp(b, loc, divf(b, loc, x, alpha)),
                     constant(b, loc, x, 1.0));
  Value negative =
      b.create<arith::MinimumFOp>(loc, zero, mulf(b, loc, alpha, expm1));
  return addf(b, loc, b.create<arith::MaximumFOp>(loc, zero, x), negative);
}
Value buildBody(graph::LeakyReluOp op, OpBuilder &b, Location loc,
                ValueRange args) {
  Value x = args[0];
  Value scaled =
      mulf(b, loc, constant(b, loc, x, op.getAlpha().convertToDouble()), x);
  return select(
      b, loc,
      cmpf(b, loc, arith::CmpFPredicate::OGE, x, constant(b, loc, x, 0.0)), x,
      scaled);
}
Value buildBody(graph::HardSigmoidOp op, OpBuilder &b, Location loc,
                ValueRange args) {
  Value x = args[0];
  Value linear = addf(
      b, loc,
      mulf(b, loc, constant(b, loc, x, op.getAlpha().convertToDouble()), x),
      constant(b, loc, x, op.getBeta().convertToDouble()));
  Value capped =
      b.create<arith::MinimumFOp>(loc, linear, constant(b, loc, x, 1.0));
  return b.create<arith::MaximumFOp>(loc, capped, constant(b, loc, x, 0.0));
}
Value buildBody(graph::ThresholdedReluOp op, OpBuilder &b, Location loc,
                ValueRange args) {
  Value x = args[0];
  Value alpha = constant(b, loc, x, op.getAlpha().convertToDouble());
  return select(b, loc, cmpf(b, loc, arith::CmpFPredicate::OGT, x, alpha), x,
                constant(b, loc, x, 0.0));
}
Value buildBody(graph::ShrinkOp op, OpBuilder &b, Location loc,
                ValueRange args) {
  Value x = args[0];
  double lambd = op.getLambd().convertToDouble();
  Value bias = constant(b, loc, x, op.getBias().convertToDouble());
  Value below =
      cmpf(b, loc, arith::CmpFPredicate::OLT, x, constant(b, loc, x, -lambd));
  Value above =
      cmpf(b, loc, arith::CmpFPredicate::OGT, x, constant(b, loc, x, lambd));
  Value inner =
      select(b, loc, above, subf(b, loc, x, bias), constant(b, loc, x, 0.0));
  return select(b, loc, below, addf(b, loc, x, bias), inner);
}
Value buildBody(graph::IsNaNOp, OpBuilder &b, Location loc, ValueRange args) {
  return cmpf(b, loc, arith::CmpFPredicate::UNO, args[0], args[0]);
}
Value buildBody(graph::IsInfOp op, OpBuilder &b, Location loc,
                ValueRange args) {
  Value x = args[0];
  double inf = std::numeric_limits<double>::infinity();
  Value result = b.create<arith::ConstantOp>(loc, b.getBoolAttr(false));
  if (op.getDetectPositive())
    result = b.create<arith::OrIOp>(
        loc, result,
        cmpf(b, loc, arith::CmpFPredicate::OEQ, x, constant(b, loc, x, inf)));
  if (op.getDetectNegative())
    result = b.create<arith::OrIOp>(
        loc, result,
        cmpf(b, loc, arith::CmpFPredicate::OEQ, x, constant(b, loc, x, -inf)));
  return result;
}

Value buildBody(graph::DivOp op, OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0]))
    return divf(b, loc, args[0], args[1]);
  if (op.getIsUnsigned())
    return b.create<arith::DivUIOp>(loc, args[0], args[1]);
  return b.create<arith::DivSIOp>(loc, args[0], args[1]);
}
Value buildBody(graph::MaxOp op, OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0]))
    return b.create<arith::MaximumFOp>(loc, args[0], args[1]);
  if (op.getIsUnsigned())
    return b.create<arith::MaxUIOp>(loc, args[0], args[1]);
  return b.create<arith::MaxSIOp>(loc, args[0], args[1]);
}
Value buildBody(graph::MinOp op, OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0]))
    return b.create<arith::MinimumFOp>(loc, args[0], args[1]);
  if (op.getIsUnsigned())
    return b.create<arith::MinUIOp>(loc, args[0], args[1]);
  return b.create<arith::MinSIOp>(loc, args[0], args[1]);
}
Value buildBody(graph::ModOp op, OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0], y = args[1];
  if (isFloat(x))
    return b.create<arith::RemFOp>(loc, x, y);
  if (op.getIsUnsigned())
    return b.create<arith::RemUIOp>(loc, x, y);
  Value rem = b.create<arith::RemSIOp>(loc, x, y);
  if (op.getFmod())
    return rem;
  // Python %: a non-zero remainder takes the sign of the divisor.
  Value zero = constant(b, loc, x, 0);
  Value nonZero =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, rem, zero);
  Value remNegative =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, rem, zero);
  Value divisorNegative =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, y, zero);
  Value signsDiffer =
      b.create<arith::XOrIOp>(loc, remNegative, divisorNegative);
  Value adjust = b.create<arith::AndIOp>(loc, nonZero, signsDiffer);
  return select(b, loc, adjust, b.create<arith::AddIOp>(loc, rem, y), rem);
}
Value buildBody(graph::BitShiftOp op, OpBuilder &b, Location loc,
                ValueRange args) {
  if (op.getLeft())
    return b.create<arith::ShLIOp>(loc, args[0], args[1]);
  return b.create<arith::ShRUIOp>(loc, args[0], args[1]);
}
Value buildBody(graph::AndOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<arith::AndIOp>(loc, args[0], args[1]);
}
Value buildBody(graph::OrOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<arith::OrIOp>(loc, args[0], args[1]);
}
Value buildBody(graph::XorOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<arith::XOrIOp>(loc, args[0], args[1]);
}
Value buildBody(graph::PReluOp, OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0];
  Value negative =
      cmpf(b, loc, arith::CmpFPredicate::OLT, x, constant(b, loc, x, 0.0));
  return select(b, loc, negative, mulf(b, loc, args[1], x), x);
}
Value buildBody(graph::WhereOp, OpBuilder &b, Location loc, ValueRange args) {
  return select(b, loc, args[0], args[1], args[2]);
}

/// Builds a comparison with the float predicate `fp` or the signed/unsigned
/// integer predicates `si`/`ui`.
Value buildCompare(OpBuilder &b, Location loc, ValueRange args, bool isUnsigned,
                   arith::CmpFPredicate fp, arith::CmpIPredicate si,
                   arith::CmpIPredicate ui) {
  if (isFloat(args[0]))
    return cmpf(b, loc, fp, args[0], args[1]);
  return b.create<arith::CmpIOp>(loc, isUnsigned ? ui : si, args[0], args[1]);
}
Value buildBody(graph::EqualOp op, OpBuilder &b, Location loc,
                ValueRange args) {
  return buildCompare(b, loc, args, op.getIsUnsigned(),
                      arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq,
                      arith::CmpIPredicate::eq);
}
Value buildBody(graph::LessOp op, OpBuilder &b, Location loc, ValueRange args) {
  return buildCompare(b, loc, args, op.getIsUnsigned(),
                      arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt,
                      arith::CmpIPredicate::ult);
}
Value buildBody(graph::LessOrEqualOp op, OpBuilder &b, Location loc,
                ValueRange args) {
  return buildCompare(b, loc, args, op.getIsUnsigned(),
                      arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle,
                      arith::CmpIPredicate::ule);
}
Value buildBody(graph::GreaterOp op, OpBuilder &b, Location loc,
                ValueRange args) {
  return buildCompare(b, loc, args, op.getIsUnsigned(),
                      arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt,
                      arith::CmpIPredicate::ugt);
}
Value buildBody(graph::GreaterOrEqualOp op, OpBuilder &b, Location loc,
                ValueRange args) {
  return buildCompare(b, loc, args, op.getIsUnsigned(),
                      arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge,
                      arith::CmpIPredicate::uge);
}

Value buildBody(graph::CastOp op, OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0];
  Type from = x.getType();
  Type to = op.getType().getElementType();
  if (from == to)
    return x;
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  // Booleans are unsigned; a boolean result is x != 0.
  bool fromUnsigned = op.getInputUnsigned() || from.isInteger(1);
  if (to.isInteger(1)) {
    if (fromFloat)
      return cmpf(b, loc, arith::CmpFPredicate::UNE, x,
                  constant(b, loc, x, 0.0));
    return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, x,
                                   constant(b, loc, x, 0));
  }
  if (fromFloat && toFloat) {
    if (fromFloat.getWidth() < toFloat.getWidth())
      return b.create<arith::ExtFOp>(loc, to, x);
    return b.create<arith::TruncFOp>(loc, to, x);
  }
  if (fromFloat) {
    if (op.getOutputUnsigned())
      return b.create<arith::FPToUIOp>(loc, to, x);
    return b.create<arith::FPToSIOp>(loc, to, x);
  }
  if (toFloat) {
    if (fromUnsigned)
      return b.create<arith::UIToFPOp>(loc, to, x);
    return b.create<arith::SIToFPOp>(loc, to, x);
  }
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (fromWidth > toWidth)
    return b.create<arith::TruncIOp>(loc, to, x);
  if (fromUnsigned)
    return b.create<arith::ExtUIOp>(loc, to, x);
  return b.create<arith::ExtSIOp>(loc, to, x);
}

/// Lowers a broadcasting elementwise graph op through its buildBody.
template <typename OpTy> struct MathLowering : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    return lowerBroadcastingOp(
        rewriter, op, [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildBody(op, b, loc, args);
        });
  }
};

} // namespace

void graph_to_linalg::populateElementwiseMathPatterns(
    RewritePatternSet &patterns) {
  patterns.add<
      // Unary math.
      MathLowering<graph::AbsOp>, MathLowering<graph::NegOp>,
      MathLowering<graph::SignOp>, MathLowering<graph::ExpOp>,
      MathLowering<graph::LogOp>, MathLowering<graph::CeilOp>,
      MathLowering<graph::FloorOp>, MathLowering<graph::RoundOp>,
      MathLowering<graph::ReciprocalOp>, MathLowering<graph::SinOp>,
      MathLowering<graph::CosOp>, MathLowering<graph::TanOp>,
      MathLowering<graph::AsinOp>, MathLowering<graph::AcosOp>,
      MathLowering<graph::AtanOp>, MathLowering<graph::SinhOp>,
      MathLowering<graph::CoshOp>, MathLowering<graph::AsinhOp>,
      MathLowering<graph::AcoshOp>, MathLowering<graph::AtanhOp>,
      MathLowering<graph::SoftplusOp>, MathLowering<graph::SoftsignOp>,
      MathLowering<graph::NotOp>,
      // Activations and predicates.
      MathLowering<graph::EluOp>, MathLowering<graph::SeluOp>,
      MathLowering<graph::CeluOp>, MathLowering<graph::LeakyReluOp>,
      MathLowering<graph::HardSigmoidOp>,
      MathLowering<graph::ThresholdedReluOp>, MathLowering<graph::ShrinkOp>,
      MathLowering<graph::IsNaNOp>, MathLowering<graph::IsInfOp>,
      // Binary, select and cast.
      MathLowering<graph::DivOp>, MathLowering<graph::MaxOp>,
      MathLowering<graph::MinOp>, MathLowering<graph::ModOp>,
      MathLowering<graph::BitShiftOp>, MathLowering<graph::AndOp>,
      MathLowering<graph::OrOp>, MathLowering<graph::XorOp>,
      MathLowering<graph::PReluOp>, MathLowering<graph::WhereOp>,
      MathLowering<graph::EqualOp>, MathLowering<graph::LessOp>,
      MathLowering<graph::LessOrEqualOp>, MathLowering<graph::GreaterOp>,
      MathLowering<graph::GreaterOrEqualOp>, MathLowering<graph::CastOp>>(
      patterns.getContext());
}
