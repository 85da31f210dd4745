//===- ConvertToChannelsLast.cpp - NHWC convolutions and pools --*- C++ -*-===//
//
// The ingot-linalg-convert-to-channels-last pass: 2-D NCHW convolutions,
// depthwise convolutions and max pools become their NHWC forms between
// layout transposes, and the transposes are then moved through the
// elementwise ops between them until they cancel, so that a CNN runs
// channels-last from its first convolution to its last.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/ConstantNames.h"
#include "compiler/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cstring>

#define DEBUG_TYPE "ingot-linalg-convert-to-channels-last"

namespace mlir::ingot {
#define GEN_PASS_DEF_CONVERTTOCHANNELSLASTPASS
#include "compiler/Conversion/Passes.h.inc"
} // namespace mlir::ingot

using namespace mlir;
using namespace mlir::ingot;

namespace {

/// linalg.transpose permutations (result dim i is source dim perm[i]).
constexpr int64_t kToNhwc[] = {0, 2, 3, 1};
constexpr int64_t kToNchw[] = {0, 3, 1, 2};

/// Returns true for the two layout permutations this pass moves around.
bool isLayoutPermutation(ArrayRef<int64_t> perm) {
  return perm == ArrayRef<int64_t>(kToNhwc) ||
         perm == ArrayRef<int64_t>(kToNchw);
}

/// Returns the layout transpose defining `value`, if any.
linalg::TransposeOp layoutTranspose(Value value) {
  auto op = value.getDefiningOp<linalg::TransposeOp>();
  if (op && op.hasPureTensorSemantics() &&
      isLayoutPermutation(op.getPermutation()))
    return op;
  return {};
}

/// Returns `linalg.transpose` of `value` by `perm`.
Value buildTranspose(OpBuilder &b, Location loc, Value value,
                     ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape = applyPermutation(type.getShape(), perm);
  Value init = b.create<tensor::EmptyOp>(loc, shape, type.getElementType());
  return b.create<linalg::TransposeOp>(loc, value, init, perm).getResult()[0];
}

/// Returns the constant `value` transposed by `perm`, or null if its
/// elements cannot be moved as bytes (booleans are bit-packed).
DenseElementsAttr transposeConstant(DenseElementsAttr value,
                                    ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape = applyPermutation(type.getShape(), perm);
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  if (value.isSplat())
    return value.resizeSplat(resultType);
  if (!type.getElementType().isIntOrFloat() ||
      type.getElementTypeBitWidth() % 8 != 0)
    return {};
  size_t bytes = type.getElementTypeBitWidth() / 8;
  ArrayRef<char> raw = value.getRawData();
  int64_t count = type.getNumElements();
  if (raw.size() != static_cast<size_t>(count) * bytes)
    return {};
  SmallVector<int64_t> sourceStrides = computeStrides(type.getShape());
  SmallVector<int64_t> steps = applyPermutation(sourceStrides, perm);
  std::vector<char> result(raw.size());
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t i = 0; i < count; ++i) {
    int64_t offset = 0;
    for (auto [at, step] : llvm::zip(index, steps))
      offset += at * step;
    std::memcpy(&result[i * bytes], &raw[offset * bytes], bytes);
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return DenseElementsAttr::getFromRawBuffer(resultType, result);
}

/// Returns the weight `value` transposed by `perm`: a new constant when it
/// is one, a linalg.transpose otherwise.
Value transposeWeight(OpBuilder &b, Location loc, Value value,
                      ArrayRef<int64_t> perm) {
  if (auto constant = value.getDefiningOp<arith::ConstantOp>())
    if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue()))
      if (DenseElementsAttr transposed = transposeConstant(dense, perm)) {
        auto result =
            b.create<arith::ConstantOp>(constant.getLoc(), transposed);
        copyConstantName(constant, result);
        return result;
      }
  return buildTranspose(b, loc, value, perm);
}

/// Returns the NHWC init of a NCHW op's `init`: a fill is rebuilt in the new
/// shape, anything else is transposed.
Value channelsLastInit(OpBuilder &b, Location loc, Value init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    auto type = cast<RankedTensorType>(init.getType());
    SmallVector<int64_t> shape = applyPermutation(type.getShape(), kToNhwc);
    Value empty = b.create<tensor::EmptyOp>(loc, shape, type.getElementType());
    return b.create<linalg::FillOp>(loc, fill.getInputs()[0], empty)
        .getResult(0);
  }
  return buildTranspose(b, loc, init, kToNhwc);
}

/// Returns true if the op's operands all have static shapes.
bool isStatic(linalg::LinalgOp op) {
  return op.hasPureTensorSemantics() &&
         llvm::all_of(op->getOperandTypes(), [](Type type) {
           auto ranked = dyn_cast<RankedTensorType>(type);
           return ranked && ranked.hasStaticShape();
         });
}

/// Rewrites an NCHW named op into its NHWC counterpart `NhwcOp` between
/// layout transposes, its weight (if any) transposed by `weightPerm`.
template <typename NhwcOp>
void convertToNhwc(RewriterBase &rewriter, linalg::LinalgOp op,
                   ArrayRef<int64_t> weightPerm, DenseIntElementsAttr strides,
                   DenseIntElementsAttr dilations) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value input = buildTranspose(rewriter, loc, op.getDpsInputs()[0], kToNhwc);
  Value second = op.getDpsInputs()[1];
  if (!weightPerm.empty())
    second = transposeWeight(rewriter, loc, second, weightPerm);
  Value init = channelsLastInit(rewriter, loc, op.getDpsInits()[0]);
  auto nhwc = rewriter.create<NhwcOp>(loc, TypeRange{init.getType()},
                                      ValueRange{input, second},
                                      ValueRange{init}, strides, dilations);
  rewriter.replaceOp(op,
                     buildTranspose(rewriter, loc, nhwc.getResult(0), kToNchw));
}

//===----------------------------------------------------------------------===//
// Moving the layout transposes
//===----------------------------------------------------------------------===//

/// Rebuilds the all-parallel `generic` with its iteration space permuted so
/// that each result is its old one transposed by `perm`: input maps are
/// composed with the permutation, results get identity maps on new
/// `tensor.empty` inits, and `linalg.index` ops are renumbered. Returns the
/// new op.
linalg::GenericOp permuteGeneric(RewriterBase &rewriter,
                                 linalg::GenericOp generic,
                                 ArrayRef<int64_t> perm) {
  MLIRContext *ctx = rewriter.getContext();
  Location loc = generic.getLoc();
  int64_t rank = perm.size();
  SmallVector<int64_t> inverse = invertPermutationVector(perm);
  // Old loop d_j is new loop e_inverse[j].
  SmallVector<AffineExpr> oldInNew;
  for (int64_t j = 0; j < rank; ++j)
    oldInNew.push_back(getAffineDimExpr(inverse[j], ctx));
  AffineMap substitution = AffineMap::get(rank, 0, oldInNew, ctx);
  SmallVector<AffineMap> maps;
  for (OpOperand *input : generic.getDpsInputOperands())
    maps.push_back(generic.getMatchingIndexingMap(input).compose(substitution));
  SmallVector<Value> inits;
  SmallVector<Type> resultTypes;
  for (Value init : generic.getDpsInits()) {
    auto type = cast<RankedTensorType>(init.getType());
    SmallVector<int64_t> shape = applyPermutation(type.getShape(), perm);
    inits.push_back(
        rewriter.create<tensor::EmptyOp>(loc, shape, type.getElementType()));
    resultTypes.push_back(inits.back().getType());
    maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
  }
  SmallVector<utils::IteratorType> iterators =
      applyPermutation(generic.getIteratorTypesArray(), perm);
  auto permuted = rewriter.create<linalg::GenericOp>(
      loc, resultTypes, generic.getDpsInputs(), inits, maps, iterators);
  rewriter.inlineRegionBefore(generic.getRegion(), permuted.getRegion(),
                              permuted.getRegion().begin());
  permuted.walk([&](linalg::IndexOp index) {
    rewriter.modifyOpInPlace(index,
                             [&] { index.setDim(inverse[index.getDim()]); });
  });
  return permuted;
}

/// Returns true if `generic` is all-parallel over 4 loops with identity
/// result maps whose inits it never reads (so they can be replaced).
bool isPermutableElementwise(linalg::GenericOp generic) {
  if (!generic.hasPureTensorSemantics() || generic.getNumLoops() != 4 ||
      generic.getNumParallelLoops() != 4)
    return false;
  return llvm::all_of(generic.getDpsInitsMutable(), [&](OpOperand &init) {
    return generic.getMatchingIndexingMap(&init).isIdentity() &&
           generic.getMatchingBlockArgument(&init).use_empty();
  });
}

/// A generic reading a layout transpose reads its source instead, through
/// the composed map.
struct FoldTransposeIntoGeneric : public OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp generic,
                                PatternRewriter &rewriter) const override {
    if (!generic.hasPureTensorSemantics())
      return failure();
    SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
    SmallVector<std::pair<OpOperand *, Value>> folded;
    for (OpOperand *input : generic.getDpsInputOperands()) {
      linalg::TransposeOp transpose = layoutTranspose(input->get());
      if (!transpose)
        continue;
      AffineMap map = maps[input->getOperandNumber()];
      SmallVector<int64_t> inverse =
          invertPermutationVector(transpose.getPermutation());
      SmallVector<AffineExpr> results;
      for (int64_t k : inverse)
        results.push_back(map.getResult(k));
      maps[input->getOperandNumber()] = AffineMap::get(
          map.getNumDims(), map.getNumSymbols(), results, getContext());
      folded.push_back({input, transpose.getInput()});
    }
    if (folded.empty())
      return failure();
    rewriter.modifyOpInPlace(generic, [&] {
      for (auto [operand, source] : folded)
        operand->set(source);
      generic.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
    });
    return success();
  }
};

/// tensor.extract from a layout transpose extracts from its source.
struct FoldTransposeIntoExtract : public OpRewritePattern<tensor::ExtractOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::ExtractOp extract,
                                PatternRewriter &rewriter) const override {
    linalg::TransposeOp transpose = layoutTranspose(extract.getTensor());
    if (!transpose)
      return failure();
    SmallVector<Value> indices =
        applyPermutation(ArrayRef<Value>(llvm::to_vector(extract.getIndices())),
                         invertPermutationVector(transpose.getPermutation()));
    rewriter.replaceOpWithNewOp<tensor::ExtractOp>(
        extract, transpose.getInput(), indices);
    return success();
  }
};

/// An elementwise generic that reads a tensor through a layout permutation
/// and none through the identity runs in the permuted space: that input is
/// read in order, and the transpose moves to its results.
struct PermuteElementwiseGeneric : public OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp generic,
                                PatternRewriter &rewriter) const override {
    if (!isPermutableElementwise(generic))
      return failure();
    std::optional<SmallVector<int64_t>> perm;
    for (OpOperand *input : generic.getDpsInputOperands()) {
      AffineMap map = generic.getMatchingIndexingMap(input);
      if (map.getNumResults() != 4 || !map.isPermutation())
        continue;
      if (map.isIdentity())
        return failure();
      SmallVector<int64_t> dims;
      for (unsigned i = 0; i < 4; ++i)
        dims.push_back(map.getDimPosition(i));
      if (!perm && isLayoutPermutation(dims))
        perm = dims;
    }
    if (!perm)
      return failure();
    rewriter.setInsertionPoint(generic);
    linalg::GenericOp permuted = permuteGeneric(rewriter, generic, *perm);
    SmallVector<int64_t> inverse = invertPermutationVector(*perm);
    SmallVector<Value> results;
    for (Value result : permuted.getResults())
      results.push_back(
          buildTranspose(rewriter, generic.getLoc(), result, inverse));
    rewriter.replaceOp(generic, results);
    return success();
  }
};

/// A layout transpose of an elementwise generic that reads no tensor of its
/// rank (padding, broadcasts) is computed by the generic in the transposed
/// space directly.
struct SinkTransposeIntoProducer
    : public OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::TransposeOp transpose,
                                PatternRewriter &rewriter) const override {
    if (!layoutTranspose(transpose.getResult()[0]))
      return failure();
    auto generic = transpose.getInput().getDefiningOp<linalg::GenericOp>();
    if (!generic || generic->getNumResults() != 1 ||
        !generic->getResult(0).hasOneUse() || !isPermutableElementwise(generic))
      return failure();
    for (OpOperand *input : generic.getDpsInputOperands())
      if (generic.getMatchingIndexingMap(input).getNumResults() == 4)
        return failure();
    rewriter.setInsertionPoint(generic);
    linalg::GenericOp permuted =
        permuteGeneric(rewriter, generic, transpose.getPermutation());
    rewriter.replaceOp(transpose, permuted.getResults());
    rewriter.eraseOp(generic);
    return success();
  }
};

/// Two transposes in a row are one, or none.
struct FoldTransposePair : public OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::TransposeOp transpose,
                                PatternRewriter &rewriter) const override {
    auto inner = transpose.getInput().getDefiningOp<linalg::TransposeOp>();
    if (!inner || !transpose.hasPureTensorSemantics() ||
        !inner.hasPureTensorSemantics())
      return failure();
    SmallVector<int64_t> combined =
        applyPermutation(inner.getPermutation(), transpose.getPermutation());
    if (isIdentityPermutation(combined)) {
      rewriter.replaceOp(transpose, inner.getInput());
      return success();
    }
    rewriter.replaceOp(transpose, buildTranspose(rewriter, transpose.getLoc(),
                                                 inner.getInput(), combined));
    return success();
  }
};

struct ConvertToChannelsLastPass
    : public mlir::ingot::impl::ConvertToChannelsLastPassBase<
          ConvertToChannelsLastPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) {
      if (isa<linalg::Conv2DNchwFchwOp, linalg::DepthwiseConv2DNchwChwOp,
              linalg::PoolingNchwMaxOp>(op) &&
          isStatic(op))
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(*op))
        // F x C x KH x KW -> KH x KW x C x F.
        convertToNhwc<linalg::Conv2DNhwcHwcfOp>(
            rewriter, op, {2, 3, 1, 0}, conv.getStrides(), conv.getDilations());
      else if (auto dw = dyn_cast<linalg::DepthwiseConv2DNchwChwOp>(*op))
        // C x KH x KW -> KH x KW x C.
        convertToNhwc<linalg::DepthwiseConv2DNhwcHwcOp>(
            rewriter, op, {1, 2, 0}, dw.getStrides(), dw.getDilations());
      else if (auto pool = dyn_cast<linalg::PoolingNchwMaxOp>(*op))
        convertToNhwc<linalg::PoolingNhwcMaxOp>(
            rewriter, op, {}, pool.getStrides(), pool.getDilations());
    }
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldTransposeIntoGeneric, FoldTransposeIntoExtract,
                 PermuteElementwiseGeneric, SinkTransposeIntoProducer,
                 FoldTransposePair>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
