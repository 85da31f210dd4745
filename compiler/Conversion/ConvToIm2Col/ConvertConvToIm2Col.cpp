//===- ConvertConvToIm2Col.cpp - convolutions as matmuls -------*- C++ -*-===//
//
// The ingot-convert-conv-to-im2col pass: linalg.conv_2d_nhwc_hwcf becomes an
// im2col gather and a matmul over flattened output pixels, and its
// elementwise consumers are collapsed to the same M x F iteration space.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/ConstantNames.h"
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

/// Builds the (N*OH*OW) x (KH*KW*C) im2col of the (already padded) NHWC
/// `input`: a copy over (n, oh, ow, kh, kw, c) reading the input through the
/// affine window map (n, oh * sh + kh * dh, ow * sw + kw * dw, c), collapsed
/// to M x K. Each (pixel, kh, kw) copies C contiguous channels.
Value buildColumns(OpBuilder &b, Location loc, Value input,
                   RankedTensorType colsType, int64_t n, int64_t oh, int64_t ow,
                   int64_t kh, int64_t kw, int64_t c, ArrayRef<int64_t> strides,
                   ArrayRef<int64_t> dilations) {
  MLIRContext *ctx = b.getContext();
  SmallVector<int64_t> shape = {n, oh, ow, kh, kw, c};
  Type elementType = colsType.getElementType();
  Value init = b.create<tensor::EmptyOp>(loc, shape, elementType);
  AffineExpr dn, doh, dow, dkh, dkw, dc;
  bindDims(ctx, dn, doh, dow, dkh, dkw, dc);
  SmallVector<AffineMap> maps = {
      AffineMap::get(6, 0,
                     {dn, doh * strides[0] + dkh * dilations[0],
                      dow * strides[1] + dkw * dilations[1], dc},
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
      ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});
}

/// Returns the KH x KW x C x F `filter` as a K x F matrix: a new constant when
/// it is one (so that weight packing sees a constant), a view otherwise.
Value filterMatrix(OpBuilder &b, Location loc, Value filter,
                   RankedTensorType matrixType) {
  if (auto constant = filter.getDefiningOp<arith::ConstantOp>())
    if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue())) {
      auto matrix = b.create<arith::ConstantOp>(constant.getLoc(),
                                                dense.reshape(matrixType));
      copyConstantName(constant, matrix);
      return matrix;
    }
  return b.create<tensor::CollapseShapeOp>(
      loc, matrixType, filter, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
}

/// Rewrites `conv` into im2col + matmul; returns the M x F product.
FailureOr<Value> rewriteConv(RewriterBase &rewriter,
                             linalg::Conv2DNhwcHwcfOp conv) {
  auto inputType = dyn_cast<RankedTensorType>(conv.getInputs()[0].getType());
  auto filterType = dyn_cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto resultType = dyn_cast<RankedTensorType>(conv.getOutputs()[0].getType());
  if (!conv.hasPureTensorSemantics() || !inputType || !filterType ||
      !resultType || !inputType.hasStaticShape() ||
      !filterType.hasStaticShape() || !resultType.hasStaticShape())
    return failure();
  Location loc = conv.getLoc();
  Type elementType = resultType.getElementType();
  SmallVector<int64_t> strides(conv.getStrides().getValues<int64_t>());
  SmallVector<int64_t> dilations(conv.getDilations().getValues<int64_t>());
  int64_t n = resultType.getDimSize(0), oh = resultType.getDimSize(1);
  int64_t ow = resultType.getDimSize(2), f = resultType.getDimSize(3);
  int64_t c = inputType.getDimSize(3);
  int64_t kh = filterType.getDimSize(0), kw = filterType.getDimSize(1);
  int64_t k = kh * kw * c, m = n * oh * ow;
  rewriter.setInsertionPoint(conv);

  SmallVector<ReassociationIndices> pixels = {{0, 1, 2}, {3}};
  auto colsType = RankedTensorType::get({m, k}, elementType);
  Value cols;
  if (kh == 1 && kw == 1 && strides[0] == 1 && strides[1] == 1 &&
      inputType.getDimSize(1) == oh && inputType.getDimSize(2) == ow)
    cols = rewriter.create<tensor::CollapseShapeOp>(
        loc, colsType, conv.getInputs()[0], pixels);
  else
    cols = buildColumns(rewriter, loc, conv.getInputs()[0], colsType, n, oh, ow,
                        kh, kw, c, strides, dilations);
  Value matrix =
      filterMatrix(rewriter, loc, conv.getInputs()[1],
                   RankedTensorType::get({k, f}, filterType.getElementType()));

  // A fill init is rebuilt in the flat shape (a view of a fill would need a
  // kernel of its own); any other init is collapsed.
  auto productType = RankedTensorType::get({m, f}, elementType);
  Value init;
  if (auto fill = conv.getOutputs()[0].getDefiningOp<linalg::FillOp>()) {
    Value empty = rewriter.create<tensor::EmptyOp>(loc, productType.getShape(),
                                                   elementType);
    init = rewriter.create<linalg::FillOp>(loc, fill.getInputs()[0], empty)
               .getResult(0);
  } else {
    init = rewriter.create<tensor::CollapseShapeOp>(
        loc, productType, conv.getOutputs()[0], pixels);
  }
  // linalg.matmul casts its operands to the result type, as the convolution
  // does (ConvInteger, QLinearConv).
  auto product = rewriter.create<linalg::MatmulOp>(
      loc, TypeRange{productType}, ValueRange{cols, matrix}, ValueRange{init});
  Value expanded = rewriter.create<tensor::ExpandShapeOp>(
      loc, resultType, product.getResult(0), pixels);
  rewriter.replaceOp(conv, expanded);
  return product.getResult(0);
}

/// Collapses the N x OH x OW loops of the all-parallel 4-D generic consumers
/// of `product`'s expanded view.
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
  SmallVector<ReassociationIndices> folded = {{0, 1, 2}};
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
    SmallVector<linalg::Conv2DNhwcHwcfOp> convs;
    getOperation().walk(
        [&](linalg::Conv2DNhwcHwcfOp conv) { convs.push_back(conv); });
    IRRewriter rewriter(&getContext());
    for (linalg::Conv2DNhwcHwcfOp conv : convs) {
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
