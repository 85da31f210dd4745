//===- PackWeights.cpp - constant matmul operands in panel layout -*- C++
//-*-===//
//
// The ingot-linalg-pack-weights pass: a linalg.matmul whose right-hand side
// is a constant K x N weight becomes a contraction over a weight packed at
// compile time into N/NR panels of K x NR contiguous elements, and its
// elementwise consumers run in the same M x N/NR x NR iteration space.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/ConstantNames.h"
#include "compiler/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SmallSet.h"

#define DEBUG_TYPE "ingot-linalg-pack-weights"

namespace mlir::ingot {
#define GEN_PASS_DEF_PACKWEIGHTSPASS
#include "compiler/Conversion/Passes.h.inc"
} // namespace mlir::ingot

using namespace mlir;
using namespace mlir::ingot;

namespace {

/// Returns the K x N weight `value` as N/NR x K x NR panels
/// (`packed[j][k][l] = value[k][j * NR + l]`), or null if it cannot be read.
DenseElementsAttr packPanels(DenseElementsAttr value, int64_t panel) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t k = type.getDimSize(0), n = type.getDimSize(1);
  auto packedType =
      RankedTensorType::get({n / panel, k, panel}, type.getElementType());
  if (value.isSplat())
    return value.resizeSplat(packedType);
  unsigned bits = type.getElementTypeBitWidth();
  if (bits % 8 != 0)
    return {};
  size_t bytes = bits / 8;
  ArrayRef<char> raw = value.getRawData();
  if (raw.size() != static_cast<size_t>(k * n) * bytes)
    return {};
  std::vector<char> packed(raw.size());
  size_t rowBytes = panel * bytes;
  for (int64_t j = 0; j < n / panel; ++j)
    for (int64_t r = 0; r < k; ++r)
      std::memcpy(&packed[((j * k) + r) * rowBytes],
                  &raw[(r * n + j * panel) * bytes], rowBytes);
  return DenseElementsAttr::getFromRawBuffer(packedType, packed);
}

/// Returns the width of the panels of an N-column weight: `panel` when it
/// divides N, else the widest whole vector that does (16 or 8 lanes: 144 or
/// 24 channels), else 0 (not packed). A panel of 24 would make 24-lane
/// vectors, which LLVM legalizes badly (3x slower than three 8-lane panels).
int64_t panelWidth(int64_t n, int64_t panel) {
  for (int64_t width : {panel, int64_t{16}, int64_t{8}})
    if (width <= panel && n >= width && n % width == 0)
      return width;
  return 0;
}

/// Rewrites `matmul` (static, floating point, constant right-hand side with
/// N a multiple of a panel width, see panelWidth) into a contraction over
/// packed panels followed by a collapse back to M x N. Returns the collapse, or
/// null if not rewritten.
tensor::CollapseShapeOp packMatmul(RewriterBase &rewriter,
                                   linalg::MatmulOp matmul, int64_t panel) {
  if (!matmul.hasPureTensorSemantics())
    return {};
  Value lhs = matmul.getInputs()[0], rhs = matmul.getInputs()[1];
  Value init = matmul.getOutputs()[0];
  auto lhsType = dyn_cast<RankedTensorType>(lhs.getType());
  auto rhsType = dyn_cast<RankedTensorType>(rhs.getType());
  auto initType = dyn_cast<RankedTensorType>(init.getType());
  if (!lhsType || !rhsType || !initType || !lhsType.hasStaticShape() ||
      !rhsType.hasStaticShape() || !initType.hasStaticShape())
    return {};
  Type elementType = initType.getElementType();
  // Mixed-type products (the integer ones of the quantized ops) keep their
  // casts in linalg.matmul's body: only same-type float products are packed.
  if (!isa<FloatType>(elementType) || lhsType.getElementType() != elementType ||
      rhsType.getElementType() != elementType)
    return {};
  int64_t m = initType.getDimSize(0), n = rhsType.getDimSize(1);
  panel = panelWidth(n, panel);
  if (panel == 0)
    return {};
  auto constant = rhs.getDefiningOp<arith::ConstantOp>();
  auto weight =
      constant ? dyn_cast<DenseElementsAttr>(constant.getValue()) : nullptr;
  if (!weight)
    return {};
  DenseElementsAttr packedWeight = packPanels(weight, panel);
  if (!packedWeight)
    return {};

  Location loc = matmul.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  rewriter.setInsertionPoint(matmul);
  Value packed =
      rewriter.create<arith::ConstantOp>(constant.getLoc(), packedWeight);
  copyConstantName(constant, packed.getDefiningOp());
  auto productType = RankedTensorType::get({m, n / panel, panel}, elementType);
  SmallVector<ReassociationIndices> groups = {{0}, {1, 2}};
  // A fill init is rebuilt in the panel shape (fills are recomputed in every
  // kernel); any other init is a view.
  Value productInit;
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    Value empty = rewriter.create<tensor::EmptyOp>(loc, productType.getShape(),
                                                   elementType);
    productInit =
        rewriter.create<linalg::FillOp>(loc, fill.getInputs()[0], empty)
            .getResult(0);
  } else {
    productInit =
        rewriter.create<tensor::ExpandShapeOp>(loc, productType, init, groups);
  }
  AffineExpr dm, dj, dl, dk;
  bindDims(ctx, dm, dj, dl, dk);
  SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {dm, dk}, ctx),
                                 AffineMap::get(4, 0, {dj, dk, dl}, ctx),
                                 AffineMap::get(4, 0, {dm, dj, dl}, ctx)};
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  auto product = rewriter.create<linalg::GenericOp>(
      loc, TypeRange{productType}, ValueRange{lhs, packed},
      ValueRange{productInit}, maps, iterators,
      [](OpBuilder &nb, Location l, ValueRange args) {
        Value mul = nb.create<arith::MulFOp>(l, args[0], args[1]);
        nb.create<linalg::YieldOp>(
            l, nb.create<arith::AddFOp>(l, args[2], mul).getResult());
      });
  auto flat = rewriter.create<tensor::CollapseShapeOp>(
      loc, initType, product.getResult(0), groups);
  rewriter.replaceOp(matmul, flat.getResult());
  if (constant->use_empty())
    rewriter.eraseOp(constant);
  return flat;
}

/// Returns true if `collapse` merges only the last two dims of its source and
/// the innermost one is a panel of `panel` elements: the view this pass puts
/// behind a packed product (and behind each consumer it expands).
bool isPanelCollapse(tensor::CollapseShapeOp collapse,
                     const llvm::SmallSet<int64_t, 4> &panels) {
  SmallVector<ReassociationIndices> groups = collapse.getReassociationIndices();
  RankedTensorType source = collapse.getSrcType();
  if (groups.empty() || !source.hasStaticShape() ||
      !panels.contains(source.getShape().back()) || groups.back().size() != 2)
    return false;
  return llvm::all_of(
      ArrayRef(groups).drop_back(),
      [](const ReassociationIndices &g) { return g.size() == 1; });
}

struct PackWeightsPass
    : public mlir::ingot::impl::PackWeightsPassBase<PackWeightsPass> {
  using PackWeightsPassBase::PackWeightsPassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (panelSize < 1) {
      func.emitError("ingot-linalg-pack-weights: panel-size must be positive");
      return signalPassFailure();
    }
    SmallVector<linalg::MatmulOp> matmuls;
    func.walk([&](linalg::MatmulOp op) { matmuls.push_back(op); });
    IRRewriter rewriter(&getContext());
    // The panel widths used (the innermost dim of the packed products).
    llvm::SmallSet<int64_t, 4> panels;
    for (linalg::MatmulOp matmul : matmuls)
      if (tensor::CollapseShapeOp flat =
              packMatmul(rewriter, matmul, panelSize))
        panels.insert(flat.getSrcType().getShape().back());
    if (panels.empty())
      return;

    // Elementwise consumers of a packed product (bias, activation, residual
    // add) run over the panels too: the collapse moves past them, so
    // dispatch formation fuses them with the product and the kernel writes
    // panels that the host views as M x N.
    linalg::ControlFusionFn control = [&panels](OpOperand *fused) {
      auto consumer = dyn_cast<linalg::GenericOp>(fused->getOwner());
      auto collapse = fused->get().getDefiningOp<tensor::CollapseShapeOp>();
      return consumer && collapse &&
             consumer.getNumLoops() == consumer.getNumParallelLoops() &&
             isPanelCollapse(collapse, panels);
    };
    RewritePatternSet patterns(&getContext());
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, control);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns,
                                                         &getContext());
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, &getContext());
    tensor::populateFoldTensorEmptyPatterns(patterns);
    if (failed(applyPatternsAndFoldGreedily(func, std::move(patterns))))
      return signalPassFailure();
    // Expanded inits of the consumers become tensor.empty ops in the panel
    // shape (a view of an empty tensor cannot stay on the host).
    SmallVector<tensor::ExpandShapeOp> views;
    func.walk([&](tensor::ExpandShapeOp view) {
      if (view.getSrc().getDefiningOp<tensor::EmptyOp>() &&
          view.getResultType().hasStaticShape())
        views.push_back(view);
    });
    for (tensor::ExpandShapeOp view : views) {
      rewriter.setInsertionPoint(view);
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(
          view, view.getResultType().getShape(),
          view.getResultType().getElementType());
    }
  }
};

} // namespace
