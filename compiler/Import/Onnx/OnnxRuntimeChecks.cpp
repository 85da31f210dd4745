//===- OnnxRuntimeChecks.cpp - Checks of run-time shape operands -*- C++
//-*-===//
//
// When a shape-determining operand (Reshape's shape, Expand's shape, Tile's
// repeats, axes inputs, ...) is only known at run time, the importer takes
// the result shape from the static type ONNX declares and emits, with
// ordinary graph ops, a rank-0 i32 condition that holds iff the run-time
// value resolves to that shape. The condition becomes a function result
// marked `ingot.check`; the runtime fails the invocation with its message
// when it is 0 (docs/design/module-format.md).
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/Onnx/OnnxImporterImpl.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "llvm/ADT/SmallBitVector.h"

#include <functional>

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::onnx_import;

/// Combinations of axes enumerated at most for one axes check.
static constexpr int64_t kMaxAxisSets = 4096;

std::string onnx_import::formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "a scalar";
  std::string text;
  for (auto [i, size] : llvm::enumerate(shape))
    text += (i ? "x" : "") + std::to_string(size);
  return text;
}

std::string onnx_import::formatList(ArrayRef<int64_t> values) {
  std::string text = "[";
  for (auto [i, value] : llvm::enumerate(values))
    text += (i ? ", " : "") + std::to_string(value);
  return text + "]";
}

void onnx_import::addRuntimeCheck(NodeContext &ctx, Value condition,
                                  size_t inputIndex, const Twine &requirement) {
  if (!condition)
    return; // Nothing to check.
  std::string message =
      ("node '" + ctx.name + "' (" + ctx.node.op_type() + "): input '" +
       ctx.node.input(inputIndex) + "' " + requirement +
       " for this module (it was compiled for that shape)")
          .str();
  ctx.checks.push_back({condition, std::move(message)});
}

/// Returns `v` (i1) as i32 0/1.
static Value toI32(NodeContext &ctx, Value v) {
  RankedTensorType type = tensorType(v);
  return ctx.builder.create<graph::CastOp>(
      ctx.loc, type.clone(ctx.builder.getI32Type()), v);
}

/// Reduces all axes of the i32 tensor `v` with `kind` to a rank-0 tensor.
static Value reduceAll(NodeContext &ctx, Value v, StringRef kind) {
  SmallVector<int64_t> axes =
      llvm::to_vector(llvm::seq<int64_t>(0, tensorType(v).getRank()));
  if (axes.empty())
    return v;
  return buildReduce(ctx, v, kind, axes, /*keepdims=*/false);
}

Value onnx_import::buildAllTrue(NodeContext &ctx, Value condition) {
  return reduceAll(ctx, toI32(ctx, condition), "min");
}

/// Builds `values` as a constant of `type`'s shape and element type.
static Value buildLike(NodeContext &ctx, RankedTensorType type,
                       ArrayRef<int64_t> values) {
  return buildIntConstant(ctx, type.getShape(), type.getElementType(), values);
}

FailureOr<Value>
onnx_import::buildEntriesMatch(NodeContext &ctx, size_t inputIndex,
                               ArrayRef<SmallVector<int64_t>> allowed) {
  return buildEntriesMatch(ctx, ctx.inputs[inputIndex], inputIndex, allowed);
}

FailureOr<Value>
onnx_import::buildEntriesMatch(NodeContext &ctx, Value operand,
                               size_t inputIndex,
                               ArrayRef<SmallVector<int64_t>> allowed) {
  RankedTensorType type = tensorType(operand);
  if (!type.hasStaticShape() || !isa<IntegerType>(type.getElementType()))
    return ctx.emitError() << "the run-time input '"
                           << ctx.node.input(inputIndex)
                           << "' must be an integer tensor of static shape, "
                              "got "
                           << type;
  if (type.getNumElements() != static_cast<int64_t>(allowed.size()))
    return ctx.emitError() << "the input '" << ctx.node.input(inputIndex)
                           << "' has " << type.getNumElements()
                           << " entries but the static output type needs "
                           << allowed.size();
  if (allowed.empty())
    return Value(); // An empty input has no value to check.
  OpBuilder &b = ctx.builder;
  // One constant per alternative; an entry with fewer alternatives repeats
  // its first one, an entry with none is free (`free` holds).
  size_t alternatives = 1;
  for (const SmallVector<int64_t> &values : allowed)
    alternatives = std::max(alternatives, values.size());
  Value ok;
  for (size_t k = 0; k < alternatives; ++k) {
    SmallVector<int64_t> column;
    for (const SmallVector<int64_t> &values : allowed)
      column.push_back(values.empty() ? 0
                                      : values[std::min(k, values.size() - 1)]);
    Value eq = b.create<graph::EqualOp>(ctx.loc, type.clone(b.getI1Type()),
                                        operand, buildLike(ctx, type, column));
    ok = ok ? *buildBroadcastBinary<graph::OrOp>(ctx, ok, eq) : eq;
  }
  if (llvm::any_of(allowed, [](const auto &v) { return v.empty(); })) {
    SmallVector<int64_t> free;
    for (const SmallVector<int64_t> &values : allowed)
      free.push_back(values.empty());
    Value freeMask =
        buildIntConstant(ctx, type.getShape(), b.getI1Type(), free);
    ok = *buildBroadcastBinary<graph::OrOp>(ctx, ok, freeMask);
  }
  return ok;
}

FailureOr<Value>
onnx_import::buildEntriesCheck(NodeContext &ctx, size_t inputIndex,
                               ArrayRef<SmallVector<int64_t>> allowed) {
  return buildEntriesCheck(ctx, ctx.inputs[inputIndex], inputIndex, allowed);
}

FailureOr<Value>
onnx_import::buildEntriesCheck(NodeContext &ctx, Value operand,
                               size_t inputIndex,
                               ArrayRef<SmallVector<int64_t>> allowed) {
  FailureOr<Value> ok = buildEntriesMatch(ctx, operand, inputIndex, allowed);
  if (failed(ok) || !*ok)
    return ok;
  return buildAllTrue(ctx, *ok);
}

Value onnx_import::buildMatchWithSingleWildcard(NodeContext &ctx, Value ok,
                                                Value operand,
                                                int64_t wildcard) {
  // score = 2 * !ok + (entry == wildcard) per entry; the entries match with
  // at most one wildcard iff the scores add up to at most 1. One reduction.
  OpBuilder &b = ctx.builder;
  RankedTensorType type = tensorType(operand);
  auto i32Type = type.clone(b.getI32Type());
  SmallVector<int64_t> splat(type.getNumElements(), wildcard);
  Value wild = toI32(
      ctx, b.create<graph::EqualOp>(ctx.loc, type.clone(b.getI1Type()), operand,
                                    buildLike(ctx, type, splat)));
  Value one = buildIntConstant(ctx, {}, b.getI32Type(), {1});
  Value two = buildIntConstant(ctx, {}, b.getI32Type(), {2});
  Value notOk = b.create<graph::SubOp>(ctx.loc, i32Type, one, toI32(ctx, ok));
  Value score = b.create<graph::AddOp>(
      ctx.loc, i32Type, b.create<graph::MulOp>(ctx.loc, i32Type, notOk, two),
      wild);
  Value total = reduceAll(ctx, score, "sum");
  int64_t limit = 1;
  Value bound = buildIntConstant(ctx, {}, b.getI32Type(), {limit});
  return toI32(ctx, b.create<graph::LessOrEqualOp>(
                        ctx.loc, RankedTensorType::get({}, b.getI1Type()),
                        total, bound));
}

FailureOr<Value> onnx_import::buildAxesCheck(
    NodeContext &ctx, size_t inputIndex, int64_t rank,
    llvm::function_ref<bool(const llvm::SmallBitVector &)> isValid) {
  Value axes = ctx.inputs[inputIndex];
  RankedTensorType type = tensorType(axes);
  if (!type.hasStaticShape() || type.getRank() > 1 ||
      !isa<IntegerType>(type.getElementType()))
    return ctx.emitError() << "the run-time input '"
                           << ctx.node.input(inputIndex)
                           << "' must be a 1-D integer tensor of static "
                              "length, got "
                           << type;
  int64_t count = type.getNumElements();
  if (count == 0)
    return Value(); // No axes: the importer knows what that means.
  if (count > rank)
    return ctx.emitError() << "the run-time input '"
                           << ctx.node.input(inputIndex) << "' has " << count
                           << " axes for rank " << rank;
  // The sets of `count` distinct axes the static types allow.
  SmallVector<int64_t> masks;
  int64_t sets = 0;
  llvm::SmallBitVector set(rank);
  std::function<bool(int64_t, int64_t)> visit = [&](int64_t next,
                                                    int64_t left) {
    if (left == 0) {
      if (isValid(set)) {
        for (int64_t i = 0; i < rank; ++i)
          masks.push_back(set.test(i));
        ++sets;
      }
      return sets <= kMaxAxisSets;
    }
    for (int64_t i = next; i + left <= rank; ++i) {
      set.set(i);
      if (!visit(i + 1, left - 1))
        return false;
      set.reset(i);
    }
    return true;
  };
  if (!visit(0, count))
    return ctx.emitError() << "too many axis combinations to check the "
                              "run-time input '"
                           << ctx.node.input(inputIndex) << "'";
  if (sets == 0)
    return ctx.emitError() << "no " << count << " axes of rank " << rank
                           << " give the static output type";
  OpBuilder &b = ctx.builder;
  Type elementType = type.getElementType();
  // hit[i][j]: entry i names axis j (as j or j - rank).
  FailureOr<Value> entries = buildReshape(ctx, axes, {count, 1});
  if (failed(entries))
    return failure();
  SmallVector<int64_t> positive, negative;
  for (int64_t j = 0; j < rank; ++j) {
    positive.push_back(j);
    negative.push_back(j - rank);
  }
  auto hitType = RankedTensorType::get({count, rank}, b.getI1Type());
  Value hit = *buildBroadcastBinary<graph::OrOp>(
      ctx,
      b.create<graph::EqualOp>(
          ctx.loc, hitType, *entries,
          buildIntConstant(ctx, {1, rank}, elementType, positive)),
      b.create<graph::EqualOp>(
          ctx.loc, hitType, *entries,
          buildIntConstant(ctx, {1, rank}, elementType, negative)));
  // The axis set as a 0/1 mask; out-of-range or repeated entries leave it
  // with fewer than `count` bits, which no allowed set has.
  Value mask = buildReduce(ctx, toI32(ctx, hit), "max", {0}, /*keepdims=*/true);
  Value allowed = buildIntConstant(ctx, {sets, rank}, b.getI32Type(), masks);
  Value same = b.create<graph::EqualOp>(
      ctx.loc, RankedTensorType::get({sets, rank}, b.getI1Type()), mask,
      allowed);
  Value matches = buildReduce(ctx, toI32(ctx, same), "min", {1},
                              /*keepdims=*/false);
  return reduceAll(ctx, matches, "max");
}

/// Builds `OpTy` on operands and a result of `type`.
template <typename OpTy>
static Value build(NodeContext &ctx, Type type, Value lhs, Value rhs) {
  return ctx.builder.create<OpTy>(ctx.loc, type, lhs, rhs);
}

LogicalResult onnx_import::checkRuntimeSlice(NodeContext &ctx,
                                             RankedTensorType type,
                                             ArrayRef<int64_t> outShape,
                                             Value axes, Value steps) {
  OpBuilder &b = ctx.builder;
  Location loc = ctx.loc;
  Value starts = ctx.inputs[1], ends = ctx.inputs[2];
  RankedTensorType vecType = tensorType(starts);
  if (tensorType(ends) != vecType)
    return ctx.emitError() << "starts and ends differ in type: " << vecType
                           << " and " << tensorType(ends);
  int64_t rank = type.getRank(), count = vecType.getDimSize(0);
  if (count == 0)
    return success(); // Nothing is sliced: the types must agree statically.
  Type elementType = vecType.getElementType();
  auto boolType = vecType.clone(b.getI1Type());
  auto splat = [&](int64_t value) {
    return buildLike(ctx, vecType, SmallVector<int64_t>(count, value));
  };
  // Dims that change must be sliced: by constant axes, checked here; by
  // run-time ones, at run time along with their being distinct and in range.
  auto unslicedKept = [&](const llvm::SmallBitVector &set) {
    for (int64_t d = 0; d < rank; ++d)
      if (!set.test(d) && type.getDimSize(d) != outShape[d])
        return false;
    return true;
  };
  Value condition;
  if (std::optional<SmallVector<int64_t>> constant = getConstantInts(axes)) {
    llvm::SmallBitVector set(rank);
    for (int64_t axis : *constant) {
      FailureOr<int64_t> n = normalizeAxis(ctx, axis, rank);
      if (failed(n))
        return failure();
      if (set.test(*n))
        return ctx.emitError() << "axis " << axis << " is repeated";
      set.set(*n);
    }
    if (!unslicedKept(set))
      return ctx.emitError() << "the axes do not slice " << type << " to "
                             << formatShape(outShape);
  } else {
    FailureOr<Value> axesOk = buildAxesCheck(ctx, 3, rank, unslicedKept);
    if (failed(axesOk))
      return failure();
    condition = *axesOk;
  }
  // ONNX's element count per sliced axis, from the run-time values: bounds
  // made non-negative, clamped to [0, dim] ([0, dim - 1] and [-1, dim - 1]
  // for negative steps), then ceil(span / |step|), at least 0.
  auto gatherDims = [&](ArrayRef<int64_t> dims) -> Value {
    return b.create<graph::GatherOp>(
        loc, vecType, buildIntConstant(ctx, {rank}, elementType, dims), axes,
        b.getI64IntegerAttr(0));
  };
  Value dim = gatherDims(type.getShape());
  Value expected = gatherDims(outShape);
  Value zero = splat(0), one = splat(1);
  auto less = [&](Value lhs, Value rhs) -> Value {
    return b.create<graph::LessOp>(loc, boolType, lhs, rhs);
  };
  auto select = [&](Value c, Value lhs, Value rhs) -> Value {
    return b.create<graph::WhereOp>(loc, vecType, c, lhs, rhs);
  };
  auto clamp = [&](Value v, Value low, Value high) -> Value {
    return build<graph::MinOp>(ctx, vecType,
                               build<graph::MaxOp>(ctx, vecType, v, low), high);
  };
  Value zeroStep =
      b.create<graph::EqualOp>(loc, boolType, steps, zero).getResult();
  Value step = select(zeroStep, one, steps);
  Value forward = less(zero, step);
  Value dimMinusOne = build<graph::SubOp>(ctx, vecType, dim, one);
  auto bound = [&](Value v, Value lowBackward) {
    Value n =
        select(less(v, zero), build<graph::AddOp>(ctx, vecType, v, dim), v);
    return clamp(n, select(forward, zero, lowBackward),
                 select(forward, dim, dimMinusOne));
  };
  Value start = bound(starts, zero), end = bound(ends, splat(-1));
  Value span = select(forward, build<graph::SubOp>(ctx, vecType, end, start),
                      build<graph::SubOp>(ctx, vecType, start, end));
  Value magnitude =
      select(forward, step, build<graph::SubOp>(ctx, vecType, zero, step));
  Value quotient = build<graph::DivOp>(ctx, vecType, span, magnitude);
  Value rest = build<graph::SubOp>(
      ctx, vecType, span,
      build<graph::MulOp>(ctx, vecType, quotient, magnitude));
  Value roundUp = b.create<graph::CastOp>(loc, vecType, less(zero, rest));
  Value elements = build<graph::MaxOp>(
      ctx, vecType, build<graph::AddOp>(ctx, vecType, quotient, roundUp), zero);
  Value ok = build<graph::AndOp>(
      ctx, boolType,
      b.create<graph::EqualOp>(loc, boolType, elements, expected),
      b.create<graph::NotOp>(loc, zeroStep));
  Value counts = buildAllTrue(ctx, ok);
  condition =
      condition ? build<graph::MinOp>(ctx, counts.getType(), condition, counts)
                : counts;
  addRuntimeCheck(ctx, condition, 1,
                  "(with ends '" + ctx.node.input(2) +
                      "' and the axes and steps) must slice " +
                      formatShape(type.getShape()) + " to " +
                      formatShape(outShape));
  return success();
}
