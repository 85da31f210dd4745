//===- TensorPatterns.cpp - data movement lowering --------------*- C++ -*-===//
//
// Lowers graph.concat, graph.pad, graph.tile, graph.expand, graph.trilu,
// graph.gather_elements, graph.resize, graph.dynamic_slice, graph.range and
// graph.one_hot to all-parallel linalg.generic ops over the result that read
// their sources with tensor.extract at computed coordinates.
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

Value graph_to_linalg::buildIndexGeneric(OpBuilder &b, Location loc,
                                         RankedTensorType resultType,
                                         ValueRange inputs,
                                         IndexBodyBuilder body) {
  int64_t rank = resultType.getRank();
  Value init = b.create<tensor::EmptyOp>(loc, resultType.getShape(),
                                         resultType.getElementType());
  SmallVector<AffineMap> maps(inputs.size() + 1,
                              b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return b
      .create<linalg::GenericOp>(
          loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
          [&](OpBuilder &nb, Location l, ValueRange args) {
            SmallVector<Value> indices;
            for (int64_t i = 0; i < rank; ++i)
              indices.push_back(nb.create<linalg::IndexOp>(l, i));
            nb.create<linalg::YieldOp>(l,
                                       body(nb, l, indices, args.drop_back()));
          })
      .getResult(0);
}

namespace {

/// Returns the index constant `value`.
Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return b.create<arith::ConstantIndexOp>(loc, value);
}

/// Clamps the index `v` to [0, size - 1].
Value clampIndex(OpBuilder &b, Location loc, Value v, int64_t size) {
  v = b.create<arith::MaxSIOp>(loc, v, indexConstant(b, loc, 0));
  return b.create<arith::MinSIOp>(loc, v, indexConstant(b, loc, size - 1));
}

/// Checks that `op`'s operand and result types are static.
LogicalResult requireStatic(Operation *op, PatternRewriter &rewriter) {
  auto isStatic = [](Type type) {
    return cast<RankedTensorType>(type).hasStaticShape();
  };
  if (!llvm::all_of(op->getOperandTypes(), isStatic) ||
      !llvm::all_of(op->getResultTypes(), isStatic))
    return rewriter.notifyMatchFailure(op, "needs static shapes");
  return success();
}

/// Any graph op whose single static result has no elements -> an empty
/// constant: there is nothing to compute (and no kernel can have an empty
/// iteration space).
struct EmptyResultLowering : public RewritePattern {
  EmptyResultLowering(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/2, context) {}
  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa_and_nonnull<graph::GraphDialect>(op->getDialect()) ||
        op->getNumResults() != 1 || isa<graph::ConstantOp>(op))
      return failure();
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type || !type.hasStaticShape() || type.getNumElements() != 0)
      return failure();
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, DenseElementsAttr::get(type, ArrayRef<Attribute>()));
    return success();
  }
};

/// graph.concat -> each result element is read from the last input whose
/// offset along the axis is at or before it.
struct ConcatLowering : public OpRewritePattern<graph::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::ConcatOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStatic(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t axis = op.getAxis();
    // Inputs that contribute elements, with their offsets.
    SmallVector<std::pair<Value, int64_t>> parts;
    int64_t offset = 0;
    for (Value input : op.getInputs()) {
      int64_t size = cast<RankedTensorType>(input.getType()).getDimSize(axis);
      if (size > 0)
        parts.push_back({input, offset});
      offset += size;
    }
    if (parts.size() == 1 || resultType.getNumElements() == 0) {
      rewriter.replaceOp(op, parts.empty() ? op.getInputs()[0]
                                           : parts.front().first);
      return success();
    }
    Value result = buildIndexGeneric(
        rewriter, op.getLoc(), resultType, {},
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange) {
          Value value;
          for (auto [input, start] : parts) {
            int64_t size =
                cast<RankedTensorType>(input.getType()).getDimSize(axis);
            SmallVector<Value> coordinates(indices);
            Value local = b.create<arith::SubIOp>(l, indices[axis],
                                                  indexConstant(b, l, start));
            coordinates[axis] = clampIndex(b, l, local, size);
            Value element = b.create<tensor::ExtractOp>(l, input, coordinates);
            if (!value) {
              value = element;
              continue;
            }
            Value inside = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::sge,
                                                   indices[axis],
                                                   indexConstant(b, l, start));
            value = b.create<arith::SelectOp>(l, inside, element, value);
          }
          return value;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.pad -> each result element reads the input at its coordinates
/// minus the leading pads, reflected or clamped into range (reflect, edge)
/// or replaced by the value when out of range (constant).
struct PadLowering : public OpRewritePattern<graph::PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::PadOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStatic(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    int64_t rank = inputType.getRank();
    ArrayRef<int64_t> pads = op.getPads();
    StringRef mode = op.getMode();
    if (mode == "constant") {
      FailureOr<Value> padded =
          buildPad(rewriter, op.getLoc(), op.getInput(), pads.take_front(rank),
                   pads.drop_front(rank), op.getValue().convertToDouble());
      if (failed(padded))
        return failure();
      rewriter.replaceOp(op, *padded);
      return success();
    }
    if (inputType.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "cannot pad an empty input");
    Value input = op.getInput();
    Value result = buildIndexGeneric(
        rewriter, op.getLoc(), resultType, {},
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange) {
          SmallVector<Value> coordinates;
          for (int64_t i = 0; i < rank; ++i) {
            int64_t size = inputType.getDimSize(i);
            Value v = b.create<arith::SubIOp>(l, indices[i],
                                              indexConstant(b, l, pads[i]));
            if (mode == "reflect" && size > 1) {
              // -v before the start, 2 * (size - 1) - v after the end.
              Value zero = indexConstant(b, l, 0);
              Value negated = b.create<arith::SubIOp>(l, zero, v);
              v = b.create<arith::MaxSIOp>(l, v, negated);
              Value mirrored = b.create<arith::SubIOp>(
                  l, indexConstant(b, l, 2 * (size - 1)), v);
              v = b.create<arith::MinSIOp>(l, v, mirrored);
            }
            coordinates.push_back(clampIndex(b, l, v, size));
          }
          return b.create<tensor::ExtractOp>(l, input, coordinates).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.tile -> result element i reads input element i mod size.
struct TileLowering : public OpRewritePattern<graph::TileOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::TileOp op,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    Value input = op.getInput();
    if (resultType.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, resultType.getShape(),
                                                   resultType.getElementType());
      return success();
    }
    Value result = buildIndexGeneric(
        rewriter, op.getLoc(), resultType, {},
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange) {
          SmallVector<Value> coordinates;
          for (auto [i, index] : llvm::enumerate(indices))
            coordinates.push_back(b.create<arith::RemUIOp>(
                l, index, indexConstant(b, l, inputType.getDimSize(i))));
          return b.create<tensor::ExtractOp>(l, input, coordinates).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.expand -> an elementwise copy that broadcasts the input.
struct ExpandLowering : public OpRewritePattern<graph::ExpandOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::ExpandOp op,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), resultType,
        getAsIndexOpFoldResult(rewriter.getContext(), resultType.getShape()),
        op.getInput(),
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.trilu -> keeps the element where j - i >= k (upper) or <= k.
struct TriluLowering : public OpRewritePattern<graph::TriluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::TriluOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStatic(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    Value k = op.getK();
    bool upper = op.getUpper();
    Value result = buildIndexGeneric(
        rewriter, op.getLoc(), resultType, op.getInput(),
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange args) {
          // Compare in the index type: k is clamped to [-rows, columns],
          // which keeps every result (j - i lies in (-rows, columns)) and
          // makes the cast to index lossless. (64-bit arithmetic on the
          // loop indices here miscompiled on Mesa 22.3's lavapipe.)
          int64_t rows = resultType.getDimSize(rank - 2);
          int64_t columns = resultType.getDimSize(rank - 1);
          Value offset64 = b.create<tensor::ExtractOp>(l, k, ValueRange{});
          offset64 = b.create<arith::MinSIOp>(
              l, offset64,
              b.create<arith::ConstantOp>(l, b.getI64IntegerAttr(columns)));
          offset64 = b.create<arith::MaxSIOp>(
              l, offset64,
              b.create<arith::ConstantOp>(l, b.getI64IntegerAttr(-rows)));
          Value offset =
              b.create<arith::IndexCastOp>(l, b.getIndexType(), offset64);
          Value diagonal =
              b.create<arith::SubIOp>(l, indices[rank - 1], indices[rank - 2]);
          Value keep = b.create<arith::CmpIOp>(
              l, upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle,
              diagonal, offset);
          return b
              .create<arith::SelectOp>(
                  l, keep, args[0],
                  buildScalarConstant(b, l, args[0].getType(), 0.0))
              .getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.gather_elements -> result element p reads data at p with the
/// coordinate along the axis taken from indices[p] (wrapped, clamped).
struct GatherElementsLowering
    : public OpRewritePattern<graph::GatherElementsOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::GatherElementsOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStatic(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    int64_t axis = op.getAxis();
    int64_t axisSize = dataType.getDimSize(axis);
    Value data = op.getData();
    if (resultType.getNumElements() == 0 || dataType.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, resultType.getShape(),
                                                   resultType.getElementType());
      return success();
    }
    Value result = buildIndexGeneric(
        rewriter, op.getLoc(), resultType, op.getIndices(),
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange args) {
          Value index =
              b.create<arith::IndexCastOp>(l, b.getIndexType(), args[0]);
          Value negative = b.create<arith::CmpIOp>(
              l, arith::CmpIPredicate::slt, index, indexConstant(b, l, 0));
          index = b.create<arith::SelectOp>(
              l, negative,
              b.create<arith::AddIOp>(l, index, indexConstant(b, l, axisSize)),
              index);
          SmallVector<Value> coordinates(indices);
          coordinates[axis] = clampIndex(b, l, index, axisSize);
          return b.create<tensor::ExtractOp>(l, data, coordinates).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.dynamic_slice -> per dim, the start and step picked from the
/// entries whose axis is that dim (read at run time), normalized like ONNX;
/// the result element i reads start + i * step.
struct DynamicSliceLowering : public OpRewritePattern<graph::DynamicSliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::DynamicSliceOp op,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    if (resultType.getNumElements() == 0 || inputType.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, resultType.getShape(),
                                                   resultType.getElementType());
      return success();
    }
    int64_t rank = resultType.getRank();
    int64_t count =
        cast<RankedTensorType>(op.getStarts().getType()).getDimSize(0);
    Value input = op.getInput();
    Value result = buildIndexGeneric(
        rewriter, op.getLoc(), resultType, {},
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange) {
          Type i64 = b.getI64Type();
          auto constant = [&](int64_t v) -> Value {
            return b.create<arith::ConstantOp>(l, b.getI64IntegerAttr(v));
          };
          auto read = [&](Value tensor, int64_t j) -> Value {
            Value v = b.create<tensor::ExtractOp>(
                l, tensor, ValueRange{indexConstant(b, l, j)});
            if (v.getType() != i64)
              v = b.create<arith::ExtSIOp>(l, i64, v);
            return v;
          };
          SmallVector<Value> starts(rank, constant(0)),
              steps(rank, constant(1));
          for (int64_t j = 0; j < count; ++j) {
            Value axis = read(op.getAxes(), j);
            Value negative = b.create<arith::CmpIOp>(
                l, arith::CmpIPredicate::slt, axis, constant(0));
            axis = b.create<arith::SelectOp>(
                l, negative, b.create<arith::AddIOp>(l, axis, constant(rank)),
                axis);
            Value start = read(op.getStarts(), j);
            Value step = read(op.getSteps(), j);
            for (int64_t d = 0; d < rank; ++d) {
              Value match = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq,
                                                    axis, constant(d));
              starts[d] = b.create<arith::SelectOp>(l, match, start, starts[d]);
              steps[d] = b.create<arith::SelectOp>(l, match, step, steps[d]);
            }
          }
          SmallVector<Value> coordinates;
          for (int64_t d = 0; d < rank; ++d) {
            int64_t size = inputType.getDimSize(d);
            Value start = starts[d];
            Value negative = b.create<arith::CmpIOp>(
                l, arith::CmpIPredicate::slt, start, constant(0));
            start = b.create<arith::SelectOp>(
                l, negative, b.create<arith::AddIOp>(l, start, constant(size)),
                start);
            Value backwards = b.create<arith::CmpIOp>(
                l, arith::CmpIPredicate::slt, steps[d], constant(0));
            Value upper = b.create<arith::SelectOp>(
                l, backwards, constant(size - 1), constant(size));
            start = b.create<arith::MaxSIOp>(l, start, constant(0));
            start = b.create<arith::MinSIOp>(l, start, upper);
            Value i = b.create<arith::IndexCastOp>(l, i64, indices[d]);
            Value position = b.create<arith::AddIOp>(
                l, start, b.create<arith::MulIOp>(l, i, steps[d]));
            coordinates.push_back(clampIndex(
                b, l,
                b.create<arith::IndexCastOp>(l, b.getIndexType(), position),
                size));
          }
          return b.create<tensor::ExtractOp>(l, input, coordinates).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.range -> start + i * delta.
struct RangeLowering : public OpRewritePattern<graph::RangeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::RangeOp op,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    Value result = buildIndexGeneric(
        rewriter, op.getLoc(), resultType, {},
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange) {
          Value start = b.create<tensor::ExtractOp>(l, op.getStart());
          Value delta = b.create<tensor::ExtractOp>(l, op.getDelta());
          Value i = b.create<arith::IndexCastOp>(l, b.getI64Type(), indices[0]);
          if (isa<FloatType>(elementType)) {
            i = b.create<arith::SIToFPOp>(l, elementType, i);
            return b
                .create<arith::AddFOp>(l, start,
                                       b.create<arith::MulFOp>(l, i, delta))
                .getResult();
          }
          if (elementType != i.getType())
            i = b.create<arith::TruncIOp>(l, elementType, i);
          return b
              .create<arith::AddIOp>(l, start,
                                     b.create<arith::MulIOp>(l, i, delta))
              .getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.one_hot -> values[1] where the coordinate along the axis equals
/// the (wrapped) index read at the other coordinates, else values[0].
struct OneHotLowering : public OpRewritePattern<graph::OneHotOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::OneHotOp op,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    if (resultType.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, resultType.getShape(),
                                                   resultType.getElementType());
      return success();
    }
    int64_t axis = op.getAxis();
    int64_t depth = resultType.getDimSize(axis);
    Value result = buildIndexGeneric(
        rewriter, op.getLoc(), resultType, {},
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange) {
          Type i64 = b.getI64Type();
          SmallVector<Value> coordinates(indices);
          coordinates.erase(coordinates.begin() + axis);
          Value index =
              b.create<tensor::ExtractOp>(l, op.getIndices(), coordinates);
          if (isa<FloatType>(index.getType()))
            index = b.create<arith::FPToSIOp>(l, i64, index);
          else if (index.getType() != i64)
            index = b.create<arith::ExtSIOp>(l, i64, index);
          Value zero = b.create<arith::ConstantOp>(l, b.getI64IntegerAttr(0));
          Value negative = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt,
                                                   index, zero);
          index = b.create<arith::SelectOp>(
              l, negative,
              b.create<arith::AddIOp>(
                  l, index,
                  b.create<arith::ConstantOp>(l, b.getI64IntegerAttr(depth))),
              index);
          Value own = b.create<arith::IndexCastOp>(l, i64, indices[axis]);
          Value hit =
              b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, own, index);
          Value on = b.create<tensor::ExtractOp>(
              l, op.getValues(), ValueRange{indexConstant(b, l, 1)});
          Value off = b.create<tensor::ExtractOp>(
              l, op.getValues(), ValueRange{indexConstant(b, l, 0)});
          return b.create<arith::SelectOp>(l, hit, on, off).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// One source position of a resampled dim: the clamped index and its
/// weight (null for weight 1).
struct Tap {
  Value index, weight;
};

/// graph.resize -> per resized dim, the source coordinate in f32 from the
/// run-time scale and its taps (1 for nearest, 2 for linear, 4 for cubic);
/// the result blends the product of the taps of all dims.
struct ResizeLowering : public OpRewritePattern<graph::ResizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(graph::ResizeOp op,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    if (resultType.getNumElements() == 0 || inputType.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "empty tensors");
    int64_t rank = resultType.getRank();
    Value input = op.getInput(), scales = op.getScales();
    StringRef transform = op.getCoordinateTransformationMode();
    StringRef nearestMode = op.getNearestMode();
    StringRef mode = op.getMode();
    double a = op.getCubicCoeffA().convertToDouble();
    bool excludeOutside = op.getExcludeOutside();
    Type elementType = resultType.getElementType();
    Value result = buildIndexGeneric(
        rewriter, op.getLoc(), resultType, {},
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange) {
          Type f32 = b.getF32Type();
          auto f32Constant = [&](double v) -> Value {
            return b.create<arith::ConstantOp>(l, b.getF32FloatAttr(v));
          };
          auto add = [&](Value x, Value y) -> Value {
            return b.create<arith::AddFOp>(l, x, y);
          };
          auto sub = [&](Value x, Value y) -> Value {
            return b.create<arith::SubFOp>(l, x, y);
          };
          auto mul = [&](Value x, Value y) -> Value {
            return b.create<arith::MulFOp>(l, x, y);
          };
          auto toI64 = [&](Value v) -> Value {
            return b.create<arith::FPToSIOp>(l, b.getI64Type(), v);
          };
          auto toIndex = [&](Value i64, int64_t in) -> Value {
            return clampIndex(
                b, l, b.create<arith::IndexCastOp>(l, b.getIndexType(), i64),
                in);
          };
          SmallVector<SmallVector<Tap>> taps;
          for (int64_t d = 0; d < rank; ++d) {
            int64_t in = inputType.getDimSize(d);
            int64_t out = resultType.getDimSize(d);
            if (in == out) {
              taps.push_back({{indices[d], Value()}});
              continue;
            }
            Value scale = b.create<tensor::ExtractOp>(
                l, scales, ValueRange{indexConstant(b, l, d)});
            Value x = b.create<arith::UIToFPOp>(
                l, f32,
                b.create<arith::IndexCastUIOp>(l, b.getI64Type(), indices[d]));
            Value half = f32Constant(0.5);
            Value source;
            if (transform == "asymmetric") {
              source = b.create<arith::DivFOp>(l, x, scale);
            } else if (transform == "align_corners") {
              // x * (in - 1) / (in * scale - 1), 0 when the divisor is 0.
              Value extent = sub(mul(f32Constant(in), scale), f32Constant(1.0));
              Value ratio = b.create<arith::DivFOp>(
                  l, f32Constant(static_cast<double>(in - 1)), extent);
              Value degenerate = b.create<arith::CmpFOp>(
                  l, arith::CmpFPredicate::OEQ, extent, f32Constant(0.0));
              source = b.create<arith::SelectOp>(
                  l, degenerate, f32Constant(0.0), mul(x, ratio));
            } else if (transform == "tf_half_pixel_for_nn") {
              source = b.create<arith::DivFOp>(l, add(x, half), scale);
            } else if (transform == "pytorch_half_pixel" && out == 1) {
              source = f32Constant(0.0);
            } else {
              source =
                  sub(b.create<arith::DivFOp>(l, add(x, half), scale), half);
            }
            if (mode == "nearest") {
              Value rounded;
              if (nearestMode == "floor")
                rounded = b.create<math::FloorOp>(l, source);
              else if (nearestMode == "ceil")
                rounded = b.create<math::CeilOp>(l, source);
              else if (nearestMode == "round_prefer_ceil")
                rounded = b.create<math::FloorOp>(l, add(source, half));
              else
                rounded = b.create<math::CeilOp>(l, sub(source, half));
              taps.push_back({{toIndex(toI64(rounded), in), Value()}});
              continue;
            }
            if (mode == "linear") {
              Value clamped =
                  b.create<arith::MaximumFOp>(l, source, f32Constant(0.0));
              clamped = b.create<arith::MinimumFOp>(
                  l, clamped, f32Constant(static_cast<double>(in - 1)));
              Value floor = b.create<math::FloorOp>(l, clamped);
              Value low = toI64(floor);
              Value high = b.create<arith::AddIOp>(
                  l, low,
                  b.create<arith::ConstantOp>(l, b.getI64IntegerAttr(1)));
              Value weight = sub(clamped, floor);
              taps.push_back({{toIndex(low, in), sub(f32Constant(1.0), weight)},
                              {toIndex(high, in), weight}});
              continue;
            }
            // Cubic: base = the largest integer below the source, t in (0, 1]
            // its distance; taps base - 1 .. base + 2 (edge-clamped).
            Value base =
                sub(b.create<math::CeilOp>(l, source), f32Constant(1.0));
            Value t = sub(source, base);
            Value s = sub(f32Constant(1.0), t);
            Value ca = f32Constant(a);
            auto outer = [&](Value u) { // For u in [1, 2].
              Value v = sub(mul(ca, u), f32Constant(5 * a));
              v = add(mul(v, u), f32Constant(8 * a));
              return sub(mul(v, u), f32Constant(4 * a));
            };
            auto inner = [&](Value u) { // For u in [0, 1].
              Value v = sub(mul(f32Constant(a + 2), u), f32Constant(a + 3));
              return add(mul(mul(v, u), u), f32Constant(1.0));
            };
            Value weights[4] = {outer(add(t, f32Constant(1.0))), inner(t),
                                inner(s), outer(add(s, f32Constant(1.0)))};
            Value baseIndex = toI64(base);
            Value positions[4];
            Value total;
            for (int k = 0; k < 4; ++k) {
              positions[k] = b.create<arith::AddIOp>(
                  l, baseIndex,
                  b.create<arith::ConstantOp>(l, b.getI64IntegerAttr(k - 1)));
              if (excludeOutside) {
                Value inside = b.create<arith::CmpIOp>(
                    l, arith::CmpIPredicate::ult, positions[k],
                    b.create<arith::ConstantOp>(l, b.getI64IntegerAttr(in)));
                weights[k] = b.create<arith::SelectOp>(l, inside, weights[k],
                                                       f32Constant(0.0));
                total = total ? add(total, weights[k]) : weights[k];
              }
            }
            SmallVector<Tap> dimTaps;
            for (int k = 0; k < 4; ++k)
              dimTaps.push_back({toIndex(positions[k], in),
                                 excludeOutside ? b.create<arith::DivFOp>(
                                                       l, weights[k], total)
                                                      .getResult()
                                                : weights[k]});
            taps.push_back(dimTaps);
          }
          // Sum over every combination of taps.
          Value sum;
          SmallVector<size_t> choice(rank, 0);
          while (true) {
            SmallVector<Value> coordinates;
            Value w;
            for (int64_t d = 0; d < rank; ++d) {
              const Tap &tap = taps[d][choice[d]];
              coordinates.push_back(tap.index);
              if (tap.weight)
                w = w ? mul(w, tap.weight) : tap.weight;
            }
            Value term = b.create<tensor::ExtractOp>(l, input, coordinates);
            if (w) {
              if (elementType.getIntOrFloatBitWidth() > 32)
                w = b.create<arith::ExtFOp>(l, elementType, w);
              else if (elementType != f32)
                w = b.create<arith::TruncFOp>(l, elementType, w);
              term = b.create<arith::MulFOp>(l, term, w);
            }
            sum =
                sum ? b.create<arith::AddFOp>(l, sum, term).getResult() : term;
            int64_t d = rank - 1;
            while (d >= 0 && ++choice[d] == taps[d].size())
              choice[d--] = 0;
            if (d < 0)
              break;
          }
          return sum;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void graph_to_linalg::populateTensorPatterns(RewritePatternSet &patterns) {
  patterns
      .add<EmptyResultLowering, ConcatLowering, PadLowering, TileLowering,
           ExpandLowering, TriluLowering, GatherElementsLowering,
           ResizeLowering, DynamicSliceLowering, RangeLowering, OneHotLowering>(
          patterns.getContext());
}
