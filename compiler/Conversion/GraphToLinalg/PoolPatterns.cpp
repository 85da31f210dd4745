//===- PoolPatterns.cpp - N-D pooling lowering ------------------*- C++ -*-===//
//
// Lowers graph.pool to a linalg.generic over (N, C, output positions...,
// window positions...) that reads the input with bounds-checked
// tensor.extract; averages divide by a constant tensor of per-position
// element counts computed at compile time.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::graph_to_linalg;

namespace {

/// Returns the number of window positions of output position `out` along
/// one dim that fall in [lower, upper).
int64_t countInRange(int64_t out, int64_t kernel, int64_t stride,
                     int64_t padBegin, int64_t dilation, int64_t lower,
                     int64_t upper) {
  int64_t count = 0;
  for (int64_t k = 0; k < kernel; ++k) {
    int64_t position = out * stride - padBegin + k * dilation;
    count += position >= lower && position < upper;
  }
  return count;
}

/// graph.pool -> one reduction generic (+ a division for averages, a root
/// for lp).
struct PoolLowering : public OpRewritePattern<graph::PoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::PoolOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!inputType.hasStaticShape() || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    if (inputType.getNumElements() == 0 || resultType.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "empty tensors");
    Type elementType = resultType.getElementType();
    int64_t rank = resultType.getRank();
    int64_t spatial = rank - 2;
    ArrayRef<int64_t> kernel = op.getKernelShape();
    ArrayRef<int64_t> strides = op.getStrides();
    ArrayRef<int64_t> dilations = op.getDilations();
    ArrayRef<int64_t> pads = op.getPads();
    StringRef kind = op.getKind();
    bool isMax = kind == "max";
    int64_t p = op.getP();

    Value init = rewriter.create<tensor::EmptyOp>(loc, resultType.getShape(),
                                                  elementType);
    double initValue = 0.0;
    if (isMax)
      initValue =
          isa<FloatType>(elementType)
              ? -std::numeric_limits<double>::infinity()
              : static_cast<double>(APInt::getSignedMinValue(
                                        elementType.getIntOrFloatBitWidth())
                                        .getSExtValue());
    init =
        rewriter
            .create<linalg::FillOp>(
                loc, buildScalarConstant(rewriter, loc, elementType, initValue),
                init)
            .getResult(0);
    // The (unread) window operand gives the window dims their sizes.
    Value window = rewriter.create<tensor::EmptyOp>(loc, kernel, elementType);
    AffineMap all =
        AffineMap::getMultiDimIdentityMap(rank + spatial, getContext());
    SmallVector<AffineMap> maps = {all.getMinorSubMap(spatial),
                                   all.getMajorSubMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.append(spatial, utils::IteratorType::reduction);
    Value pooled =
        rewriter
            .create<linalg::GenericOp>(
                loc, TypeRange{resultType}, ValueRange{window},
                ValueRange{init}, maps, iterators,
                [&](OpBuilder &b, Location l, ValueRange args) {
                  SmallVector<Value> coordinates = {
                      b.create<linalg::IndexOp>(l, 0),
                      b.create<linalg::IndexOp>(l, 1)};
                  Value inBounds;
                  Value zero = b.create<arith::ConstantIndexOp>(l, 0);
                  for (int64_t d = 0; d < spatial; ++d) {
                    // out * stride - padBegin + k * dilation, unsigned
                    // compared to the size (negative is out of bounds).
                    Value out = b.create<linalg::IndexOp>(l, 2 + d);
                    Value k = b.create<linalg::IndexOp>(l, rank + d);
                    Value position = b.create<arith::AddIOp>(
                        l,
                        b.create<arith::MulIOp>(
                            l, out,
                            b.create<arith::ConstantIndexOp>(l, strides[d])),
                        b.create<arith::MulIOp>(
                            l, k,
                            b.create<arith::ConstantIndexOp>(l, dilations[d])));
                    position = b.create<arith::SubIOp>(
                        l, position,
                        b.create<arith::ConstantIndexOp>(l, pads[d]));
                    Value valid = b.create<arith::CmpIOp>(
                        l, arith::CmpIPredicate::ult, position,
                        b.create<arith::ConstantIndexOp>(
                            l, inputType.getDimSize(2 + d)));
                    coordinates.push_back(
                        b.create<arith::SelectOp>(l, valid, position, zero));
                    inBounds = inBounds
                                   ? b.create<arith::AndIOp>(l, inBounds, valid)
                                         .getResult()
                                   : valid;
                  }
                  Value x = b.create<tensor::ExtractOp>(l, input, coordinates);
                  Value acc = args[1];
                  Value next;
                  if (isMax) {
                    next =
                        isa<FloatType>(elementType)
                            ? b.create<arith::MaximumFOp>(l, x, acc).getResult()
                            : b.create<arith::MaxSIOp>(l, x, acc).getResult();
                  } else {
                    Value term = x;
                    if (kind == "lp") {
                      term = b.create<math::AbsFOp>(l, x);
                      if (p == 2)
                        term = b.create<arith::MulFOp>(l, term, term);
                      else if (p != 1)
                        term = b.create<math::PowFOp>(
                            l, term,
                            buildScalarConstant(b, l, elementType,
                                                static_cast<double>(p)));
                    }
                    next = b.create<arith::AddFOp>(l, acc, term);
                  }
                  b.create<linalg::YieldOp>(
                      l, b.create<arith::SelectOp>(l, inBounds, next, acc)
                             .getResult());
                })
            .getResult(0);

    if (kind == "lp" && p != 1) {
      pooled = buildElementwise(
          rewriter, loc, resultType,
          getAsIndexOpFoldResult(getContext(), resultType.getShape()), pooled,
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            if (p == 2)
              return b.create<math::SqrtOp>(l, args[0]);
            return b.create<math::PowFOp>(
                l, args[0], buildScalarConstant(b, l, elementType, 1.0 / p));
          });
    } else if (kind == "avg") {
      // Element counts per output position (N and C do not matter).
      ArrayRef<int64_t> outShape = resultType.getShape().drop_front(2);
      int64_t positions = 1;
      for (int64_t size : outShape)
        positions *= size;
      SmallVector<double> counts;
      for (int64_t linear = 0; linear < positions; ++linear) {
        int64_t remainder = linear, count = 1;
        for (int64_t d = spatial - 1; d >= 0; --d) {
          int64_t out = remainder % outShape[d];
          remainder /= outShape[d];
          int64_t size = inputType.getDimSize(2 + d);
          int64_t lower = op.getCountIncludePad() ? -pads[d] : 0;
          int64_t upper =
              op.getCountIncludePad() ? size + pads[spatial + d] : size;
          count *= countInRange(out, kernel[d], strides[d], pads[d],
                                dilations[d], lower, upper);
        }
        counts.push_back(static_cast<double>(std::max<int64_t>(count, 1)));
      }
      SmallVector<int64_t> countShape = {1, 1};
      llvm::append_range(countShape, outShape);
      auto countType = RankedTensorType::get(countShape, elementType);
      SmallVector<APFloat> values;
      auto floatType = cast<FloatType>(elementType);
      for (double c : counts) {
        APFloat value(c);
        bool lost;
        value.convert(floatType.getFloatSemantics(),
                      APFloat::rmNearestTiesToEven, &lost);
        values.push_back(value);
      }
      Value countTensor = rewriter.create<arith::ConstantOp>(
          loc, DenseElementsAttr::get(countType, values));
      pooled = buildElementwise(
          rewriter, loc, resultType,
          getAsIndexOpFoldResult(getContext(), resultType.getShape()),
          ValueRange{pooled, countTensor},
          [](OpBuilder &b, Location l, ValueRange args) -> Value {
            return b.create<arith::DivFOp>(l, args[0], args[1]);
          });
    }
    rewriter.replaceOp(op, pooled);
    return success();
  }
};

} // namespace

void graph_to_linalg::populatePoolPatterns(RewritePatternSet &patterns) {
  patterns.add<PoolLowering>(patterns.getContext());
}
