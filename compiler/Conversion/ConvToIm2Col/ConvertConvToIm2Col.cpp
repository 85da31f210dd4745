//===- ConvertConvToIm2Col.cpp - convolutions as matrix products -*- C++
//-*-===//
//
// The ingot-convert-conv-to-im2col pass: linalg.conv_2d_nchw_fchw becomes an
// im2col gather and a contraction over flattened output pixels, and its
// elementwise consumers are collapsed to the same N x F x P iteration space.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#define DEBUG_TYPE "ingot-convert-conv-to-im2col"

namespace mlir::ingot {
#define GEN_PASS_DEF_CONVERTCONVTOIM2COLPASS
#include "compiler/Conversion/Passes.h.inc"
} // namespace mlir::ingot

using namespace mlir;
using namespace mlir::ingot;

namespace {

/// Builds the N x K x P im2col of the (already padded) NCHW `input`, where
/// k enumerates (c, kh, kw) and p enumerates (oh, ow): a copy over
/// (n, c, kh, kw, oh, ow) reading the input through the affine window map
/// (n, c, oh * sh + kh * dh, ow * sw + kw * dw), collapsed to N x K x P.
/// Affine reads (no tensor.extract) let CPU codegen copy whole rows of
/// pixels as vectors once the unit loops of a tile are dropped.
Value buildColumns(OpBuilder &b, Location loc, Value input,
                   RankedTensorType colsType, int64_t c, int64_t kh, int64_t kw,
                   int64_t oh, int64_t ow, ArrayRef<int64_t> strides,
                   ArrayRef<int64_t> dilations) {
  MLIRContext *ctx = b.getContext();
  int64_t n = colsType.getDimSize(0);
  SmallVector<int64_t> shape = {n, c, kh, kw, oh, ow};
  Type elementType = colsType.getElementType();
  Value init = b.create<tensor::EmptyOp>(loc, shape, elementType);
  AffineExpr dn, dc, dkh, dkw, doh, dow;
  bindDims(ctx, dn, dc, dkh, dkw, doh, dow);
  SmallVector<AffineMap> maps = {
      AffineMap::get(6, 0,
                     {dn, dc, doh * strides[0] + dkh * dilations[0],
                      dow * strides[1] + dkw * dilations[1]},
                     ctx),
      b.getMultiDimIdentityMap(6)};
  SmallVector<utils::IteratorType> iterators(6, utils::IteratorType::parallel);
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{init.getType()}, ValueRange{input}, ValueRange{init}, maps,
      iterators, [](OpBuilder &nb, Location l, ValueRange args) {
        nb.create<linalg::YieldOp>(l, args[0]);
      });
  return b.create<tensor::CollapseShapeOp>(
      loc, colsType, generic.getResult(0),
      ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}, {4, 5}});
}

/// Rewrites `conv` into im2col + contraction; returns the N x F x P product.
FailureOr<Value> rewriteConv(RewriterBase &rewriter,
                             linalg::Conv2DNchwFchwOp conv) {
  auto inputType = dyn_cast<RankedTensorType>(conv.getInputs()[0].getType());
  auto weightType = dyn_cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto resultType = dyn_cast<RankedTensorType>(conv.getOutputs()[0].getType());
  if (!conv.hasPureTensorSemantics() || !inputType || !weightType ||
      !resultType || !inputType.hasStaticShape() ||
      !weightType.hasStaticShape() || !resultType.hasStaticShape())
    return failure();
  Location loc = conv.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  Type elementType = resultType.getElementType();
  SmallVector<int64_t> strides(conv.getStrides().getValues<int64_t>());
  SmallVector<int64_t> dilations(conv.getDilations().getValues<int64_t>());
  int64_t n = resultType.getDimSize(0), f = resultType.getDimSize(1);
  int64_t oh = resultType.getDimSize(2), ow = resultType.getDimSize(3);
  int64_t c = inputType.getDimSize(1);
  int64_t kh = weightType.getDimSize(2), kw = weightType.getDimSize(3);
  int64_t k = c * kh * kw, p = oh * ow;
  rewriter.setInsertionPoint(conv);

  auto colsType = RankedTensorType::get({n, k, p}, elementType);
  Value cols;
  if (kh == 1 && kw == 1 && strides[0] == 1 && strides[1] == 1 &&
      inputType.getDimSize(2) == oh && inputType.getDimSize(3) == ow)
    cols = rewriter.create<tensor::CollapseShapeOp>(
        loc, colsType, conv.getInputs()[0],
        ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  else
    cols = buildColumns(rewriter, loc, conv.getInputs()[0], colsType, c, kh, kw,
                        oh, ow, strides, dilations);
  Value matrix = rewriter.create<tensor::CollapseShapeOp>(
      loc, RankedTensorType::get({f, k}, elementType), conv.getInputs()[1],
      ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});

  // A fill init is rebuilt in the flat shape (a view of a fill would need a
  // kernel of its own); any other init is collapsed.
  auto productType = RankedTensorType::get({n, f, p}, elementType);
  Value init;
  if (auto fill = conv.getOutputs()[0].getDefiningOp<linalg::FillOp>()) {
    Value empty = rewriter.create<tensor::EmptyOp>(loc, productType.getShape(),
                                                   elementType);
    init = rewriter.create<linalg::FillOp>(loc, fill.getInputs()[0], empty)
               .getResult(0);
  } else {
    init = rewriter.create<tensor::CollapseShapeOp>(
        loc, productType, conv.getOutputs()[0],
        ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  }

  AffineExpr dn, df, dp, dk;
  bindDims(ctx, dn, df, dp, dk);
  // Weights first: matmul order (F x K times K x P), so the contraction
  // lowers to outer products broadcasting weights against vectors along P.
  SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {df, dk}, ctx),
                                 AffineMap::get(4, 0, {dn, dk, dp}, ctx),
                                 AffineMap::get(4, 0, {dn, df, dp}, ctx)};
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  auto product = rewriter.create<linalg::GenericOp>(
      loc, TypeRange{productType}, ValueRange{matrix, cols}, ValueRange{init},
      maps, iterators, [](OpBuilder &nb, Location l, ValueRange args) {
        // Integer convolutions (ConvInteger, QLinearConv) wrap.
        if (isa<FloatType>(args[2].getType())) {
          Value mul = nb.create<arith::MulFOp>(l, args[0], args[1]);
          nb.create<linalg::YieldOp>(
              l, nb.create<arith::AddFOp>(l, args[2], mul).getResult());
          return;
        }
        Value mul = nb.create<arith::MulIOp>(l, args[0], args[1]);
        nb.create<linalg::YieldOp>(
            l, nb.create<arith::AddIOp>(l, args[2], mul).getResult());
      });
  Value expanded = rewriter.create<tensor::ExpandShapeOp>(
      loc, resultType, product.getResult(0),
      ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  rewriter.replaceOp(conv, expanded);
  return product.getResult(0);
}

/// Collapses the OH x OW loops of the all-parallel 4-D generic consumers of
/// `product`'s expanded view.
void collapseConsumers(RewriterBase &rewriter, Value product) {
  SmallVector<linalg::GenericOp> consumers;
  for (Operation *view : product.getUsers()) {
    if (!isa<tensor::ExpandShapeOp>(view))
      continue;
    for (OpOperand &use : view->getResult(0).getUses()) {
      auto generic = dyn_cast<linalg::GenericOp>(use.getOwner());
      if (!generic || !generic.hasPureTensorSemantics() ||
          generic.getNumLoops() != 4 || generic.getNumParallelLoops() != 4 ||
          generic.hasIndexSemantics())
        continue;
      if (!generic.isDpsInput(&use) ||
          !generic.getMatchingIndexingMap(&use).isIdentity())
        continue;
      consumers.push_back(generic);
    }
  }
  SmallVector<ReassociationIndices> folded = {{2, 3}};
  for (linalg::GenericOp generic : consumers) {
    if (!linalg::areDimSequencesPreserved(generic.getIndexingMapsArray(),
                                          folded))
      continue;
    rewriter.setInsertionPoint(generic);
    FailureOr<linalg::CollapseResult> collapsed =
        linalg::collapseOpIterationDims(generic, folded, rewriter);
    if (succeeded(collapsed))
      rewriter.replaceOp(generic, collapsed->results);
  }
}

struct ConvertConvToIm2ColPass
    : public mlir::ingot::impl::ConvertConvToIm2ColPassBase<
          ConvertConvToIm2ColPass> {
  void runOnOperation() override {
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    getOperation().walk(
        [&](linalg::Conv2DNchwFchwOp conv) { convs.push_back(conv); });
    IRRewriter rewriter(&getContext());
    for (linalg::Conv2DNchwFchwOp conv : convs) {
      FailureOr<Value> product = rewriteConv(rewriter, conv);
      if (succeeded(product))
        collapseConsumers(rewriter, *product);
    }
    // Collapsed inits of the consumers become flat tensor.empty ops (a view
    // of an empty tensor cannot stay on the host).
    SmallVector<tensor::CollapseShapeOp> views;
    getOperation().walk([&](tensor::CollapseShapeOp view) {
      if (view.getSrc().getDefiningOp<tensor::EmptyOp>() &&
          view.getResultType().hasStaticShape())
        views.push_back(view);
    });
    // Collapses of the expanded products fold to the products.
    getOperation().walk([&](tensor::CollapseShapeOp view) {
      auto expand = view.getSrc().getDefiningOp<tensor::ExpandShapeOp>();
      if (expand && expand.getSrcType() == view.getResultType() &&
          expand.getReassociationIndices() == view.getReassociationIndices())
        rewriter.replaceAllUsesWith(view.getResult(), expand.getSrc());
    });
    for (tensor::CollapseShapeOp view : views) {
      rewriter.setInsertionPoint(view);
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(
          view, view.getResultType().getShape(),
          view.getResultType().getElementType());
    }
  }
};

} // namespace
