//===- OnnxLossOps.cpp - ONNX loss importers --------------------*- C++ -*-===//
//
// Importers of NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss,
// decomposed into graph ops: the log-probability of each target class is
// picked with graph.gather_elements along the class axis, weighted by
// graph.gather of the class weights, masked where the target is
// `ignore_index`, and reduced.
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/Onnx/OnnxImporterImpl.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::onnx_import;

namespace {

/// Checks the operands of a loss: `input` (N, C, d1, ...) of floats, `target`
/// (N, d1, ...) of integers and the optional `weight` (C) of the type of
/// `input`.
LogicalResult verifyLossOperands(NodeContext &ctx, Value input, Value target,
                                 Value weight) {
  RankedTensorType inputType = tensorType(input);
  RankedTensorType targetType = tensorType(target);
  if (!isa<FloatType>(inputType.getElementType()) || inputType.getRank() < 2)
    return ctx.emitError()
           << "expected a floating-point input of rank >= 2 (N, C, ...), got "
           << inputType;
  if (!isa<IntegerType>(targetType.getElementType()) ||
      targetType.getRank() != inputType.getRank() - 1)
    return ctx.emitError() << "expected an integer target of rank "
                           << inputType.getRank() - 1 << " (N, d1, ...), got "
                           << targetType;
  for (int64_t i = 0; i < targetType.getRank(); ++i) {
    int64_t expected = inputType.getDimSize(i == 0 ? 0 : i + 1);
    int64_t actual = targetType.getDimSize(i);
    if (!ShapedType::isDynamic(expected) && !ShapedType::isDynamic(actual) &&
        expected != actual)
      return ctx.emitError() << "target shape " << targetType
                             << " does not match input shape " << inputType;
  }
  if (!weight)
    return success();
  RankedTensorType weightType = tensorType(weight);
  int64_t classes = inputType.getDimSize(1);
  if (weightType.getElementType() != inputType.getElementType() ||
      weightType.getRank() != 1 ||
      (!ShapedType::isDynamic(classes) &&
       !ShapedType::isDynamic(weightType.getDimSize(0)) &&
       weightType.getDimSize(0) != classes))
    return ctx.emitError() << "expected a weight of " << classes << " "
                           << inputType.getElementType()
                           << " (one per class), got " << weightType;
  return success();
}

/// Returns `v` with its dimensions from `first` on collapsed into one when
/// there are more than one and all are static (the kernels of low-rank
/// tensors compile much faster), else `v` itself.
FailureOr<Value> collapseTrailingDims(NodeContext &ctx, Value v,
                                      int64_t first) {
  RankedTensorType type = tensorType(v);
  if (type.getRank() <= first + 1)
    return v;
  ArrayRef<int64_t> shape = type.getShape();
  if (llvm::any_of(shape.drop_front(first), ShapedType::isDynamic) ||
      llvm::count_if(shape.take_front(first), ShapedType::isDynamic) > 1)
    return v;
  SmallVector<int64_t> collapsed(shape.take_front(first));
  int64_t size = 1;
  for (int64_t dim : shape.drop_front(first))
    size *= dim;
  collapsed.push_back(size);
  return buildReshape(ctx, v, collapsed);
}

/// Builds the negative log-likelihood loss of the log-probabilities `input`
/// (N, C, d1, ...) at the classes `target` (N, d1, ...) with the optional
/// class `weight` (checked by verifyLossOperands; `input` may already have
/// its trailing dimensions collapsed), reduced as the node's `reduction`
/// attribute says.
FailureOr<Value> buildNllLoss(NodeContext &ctx, Value input, Value target,
                              Value weight) {
  // Work on (N, C, d1 * d2 * ...) and (N, d1 * d2 * ...).
  SmallVector<int64_t> originalShape(tensorType(target).getShape());
  FailureOr<Value> collapsedInput = collapseTrailingDims(ctx, input, 2);
  if (failed(collapsedInput))
    return failure();
  input = *collapsedInput;
  RankedTensorType collapsedType = tensorType(input);
  if (tensorType(target).getRank() != collapsedType.getRank() - 1) {
    FailureOr<Value> collapsedTarget = buildReshape(
        ctx, target,
        {collapsedType.getDimSize(0), collapsedType.getDimSize(2)});
    if (failed(collapsedTarget))
      return failure();
    target = *collapsedTarget;
  }
  const onnx::AttributeProto *reductionAttr = findAttr(ctx.node, "reduction");
  std::string reduction = reductionAttr ? reductionAttr->s() : "mean";
  if (reduction != "none" && reduction != "sum" && reduction != "mean")
    return ctx.emitError() << "reduction must be 'none', 'sum' or 'mean', got '"
                           << reduction << "'";

  OpBuilder &b = ctx.builder;
  RankedTensorType inputType = tensorType(input);
  RankedTensorType targetType = tensorType(target);
  Type elementType = inputType.getElementType();
  ArrayRef<int64_t> targetShape = targetType.getShape();
  auto lossType = RankedTensorType::get(targetShape, elementType);

  // Ignored targets may lie outside [0, C): gather at class 0 instead and
  // mask the result.
  Value ignored, index = target;
  if (findAttr(ctx.node, "ignore_index")) {
    Value ignoreIndex = buildIntConstant(ctx, {}, targetType.getElementType(),
                                         {getInt(ctx.node, "ignore_index", 0)});
    ignored = b.create<graph::EqualOp>(
        ctx.loc, RankedTensorType::get(targetShape, b.getI1Type()), target,
        ignoreIndex, /*is_unsigned=*/false);
    index = b.create<graph::WhereOp>(
        ctx.loc, targetType, ignored,
        buildIntConstant(ctx, {}, targetType.getElementType(), {0}), target);
  }

  // -input[n][index[n, d...]][d...]: gather along the class axis with the
  // index reshaped to (N, 1, d1, ...).
  SmallVector<int64_t> indexShape(targetShape);
  indexShape.insert(indexShape.begin() + 1, 1);
  FailureOr<Value> index3 = buildReshape(ctx, index, indexShape);
  if (failed(index3))
    return failure();
  Value picked = b.create<graph::GatherElementsOp>(
      ctx.loc, RankedTensorType::get(indexShape, elementType), input, *index3,
      b.getI64IntegerAttr(1));
  FailureOr<Value> flat = buildReshape(ctx, picked, targetShape);
  if (failed(flat))
    return failure();
  Value loss = b.create<graph::NegOp>(ctx.loc, *flat);

  // The weight of each target, 0 where ignored.
  Value weights;
  if (weight) {
    weights = b.create<graph::GatherOp>(ctx.loc, lossType, weight, index,
                                        b.getI64IntegerAttr(0));
    FailureOr<Value> weighted =
        buildBroadcastBinary<graph::MulOp>(ctx, loss, weights);
    if (failed(weighted))
      return failure();
    loss = *weighted;
  }
  if (ignored) {
    Value zero = buildFloatScalar(ctx, elementType, 0.0);
    loss = b.create<graph::WhereOp>(ctx.loc, lossType, ignored, zero, loss);
    weights = b.create<graph::WhereOp>(
        ctx.loc, lossType, ignored, zero,
        weights ? weights : buildFloatScalar(ctx, elementType, 1.0));
  }

  if (reduction == "none")
    return tensorType(loss).getShape() == ArrayRef<int64_t>(originalShape)
               ? FailureOr<Value>(loss)
               : buildReshape(ctx, loss, originalShape);
  SmallVector<int64_t> axes;
  for (int64_t i = 0; i < targetType.getRank(); ++i)
    axes.push_back(i);
  if (reduction == "sum" || !weights)
    return buildReduce(ctx, loss, reduction, axes, /*keepdims=*/false);
  // Weighted mean: divide by the total weight of the non-ignored targets.
  Value total = buildReduce(ctx, loss, "sum", axes, /*keepdims=*/false);
  Value totalWeight = buildReduce(ctx, weights, "sum", axes, false);
  return buildBroadcastBinary<graph::DivOp>(ctx, total, totalWeight);
}

FailureOr<SmallVector<Value>>
importNegativeLogLikelihoodLoss(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  Value weight = ctx.inputs.size() > 2 ? ctx.inputs[2] : Value();
  if (failed(verifyLossOperands(ctx, ctx.inputs[0], ctx.inputs[1], weight)))
    return failure();
  FailureOr<Value> loss =
      buildNllLoss(ctx, ctx.inputs[0], ctx.inputs[1], weight);
  if (failed(loss))
    return failure();
  return SmallVector<Value>{*loss};
}

/// SoftmaxCrossEntropyLoss: the NLL loss of log_softmax(scores) along the
/// class axis; the optional second output is that log-probability.
FailureOr<SmallVector<Value>> importSoftmaxCrossEntropyLoss(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  Value scores = ctx.inputs[0];
  Value weight = ctx.inputs.size() > 2 ? ctx.inputs[2] : Value();
  RankedTensorType type = tensorType(scores);
  if (failed(verifyLossOperands(ctx, scores, ctx.inputs[1], weight)))
    return failure();
  FailureOr<Value> collapsed = collapseTrailingDims(ctx, scores, 2);
  if (failed(collapsed))
    return failure();
  Value logProb = ctx.builder.create<graph::LogSoftmaxOp>(
      ctx.loc, tensorType(*collapsed), *collapsed,
      ctx.builder.getI64IntegerAttr(1));
  FailureOr<Value> loss = buildNllLoss(ctx, logProb, ctx.inputs[1], weight);
  if (failed(loss))
    return failure();
  SmallVector<Value> results{*loss};
  if (ctx.node.output_size() > 1) {
    if (tensorType(logProb) != type) {
      FailureOr<Value> expanded = buildReshape(ctx, logProb, type.getShape());
      if (failed(expanded))
        return failure();
      logProb = *expanded;
    }
    results.push_back(logProb);
  }
  return results;
}

} // namespace

NodeImporter onnx_import::lookupLossImporter(StringRef opType) {
  return llvm::StringSwitch<NodeImporter>(opType)
      .Case("NegativeLogLikelihoodLoss", importNegativeLogLikelihoodLoss)
      .Case("SoftmaxCrossEntropyLoss", importSoftmaxCrossEntropyLoss)
      .Default(nullptr);
}
