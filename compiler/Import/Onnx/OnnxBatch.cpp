//===- OnnxBatch.cpp - Batch separability analysis -------------*- C++ -*-===//
//
// A model whose inputs are dynamic only in dim 0 is imported at a tile of T
// rows (specializeBatch, OnnxBatchSpecialize.cpp) and then checked node by
// node here (analyzeBatch): every
// value is either independent of the batch size N, batched (one axis whose
// extent at batch N is N/T times its extent in the tile, the batch being the
// outermost factor of that axis), or a small integer shape vector some of
// whose elements are N/T times their tile value ("scaled", from Shape or
// Size of a batched value). A whitelist of rules propagates these facts;
// anything else that touches a batched or scaled value is rejected, naming
// the node. What passes computes each row of every output from the same row
// of the inputs, so the tile program run once per tile equals the model.
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/Onnx/OnnxBatch.h"
#include "compiler/Import/Onnx/OnnxImporterImpl.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"

#include <numeric>

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::onnx_import;

//===----------------------------------------------------------------------===//
// Analysis
//===----------------------------------------------------------------------===//

namespace {

/// What the analysis knows about a value that depends on the batch size.
struct Fact {
  /// The batched axis, or -1 for a scaled shape vector.
  int64_t axis = -1;
  /// Shape vectors: per element (row-major), whether it is N/T times its
  /// value in the tile.
  SmallVector<bool> scaled;
  /// The batched graph input the value derives from, for messages.
  std::string origin;
};

/// Ops computed independently per element, with numpy broadcasting.
bool isElementwise(StringRef op) {
  return llvm::StringSwitch<bool>(op)
      .Cases("Add", "Sub", "Mul", "Div", "Pow", "Mod", "BitShift", true)
      .Cases("And", "Or", "Xor", "Not", "Equal", "Less", "LessOrEqual", true)
      .Cases("Greater", "GreaterOrEqual", "Where", "Max", "Min", "Sum", true)
      .Cases("Mean", "PRelu", "Relu", "Sigmoid", "Tanh", "Erf", "Sqrt", true)
      .Cases("Exp", "Log", "Abs", "Neg", "Sign", "Ceil", "Floor", true)
      .Cases("Round", "Reciprocal", "Sin", "Cos", "Tan", "Asin", "Acos", true)
      .Cases("Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", true)
      .Cases("Softplus", "Softsign", "Elu", "Selu", "Celu", "LeakyRelu", true)
      .Cases("HardSigmoid", "HardSwish", "ThresholdedRelu", "Shrink", true)
      .Cases("IsNaN", "IsInf", "Clip", "Cast", "CastLike", "Identity", true)
      .Cases("Dropout", "Gelu", "Mish", true)
      .Default(false);
}

/// Ops that treat axis 0 of their first input as independent samples.
bool isPerSample(StringRef op) {
  return llvm::StringSwitch<bool>(op)
      .Cases("Conv", "ConvTranspose", "MaxPool", "AveragePool", "LpPool", true)
      .Cases("GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool", true)
      .Cases("BatchNormalization", "InstanceNormalization", "LRN", true)
      .Cases("DepthToSpace", "SpaceToDepth", "Resize", "Upsample", true)
      .Default(false);
}

/// Reductions whose reduced axes exclude the batch axis keep it.
bool isReduction(StringRef op) {
  return llvm::StringSwitch<bool>(op)
      .Cases("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", true)
      .Cases("ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum", true)
      .Cases("ReduceLogSumExp", "ReduceSumSquare", true)
      .Default(false);
}

/// Product of `dims`.
int64_t product(ArrayRef<int64_t> dims) {
  return std::accumulate(dims.begin(), dims.end(), int64_t(1),
                         std::multiplies<int64_t>());
}

/// Normalizes `axis` into [0, rank), or returns -1.
int64_t normalize(int64_t axis, int64_t rank) {
  if (axis < 0)
    axis += rank;
  return axis >= 0 && axis < rank ? axis : -1;
}

class BatchAnalyzer {
public:
  BatchAnalyzer(int64_t tile, Location loc,
                llvm::function_ref<Value(const std::string &)> lookup,
                llvm::function_ref<int64_t(const std::string &)> opsetOf)
      : tile(tile), loc(loc), lookup(lookup), opsetOf(opsetOf) {}

  LogicalResult run(const onnx::GraphProto &graph,
                    ArrayRef<std::string> batched);

private:
  LogicalResult visit();
  LogicalResult fail(const Twine &reason);

  // The node being visited.
  size_t numInputs() const { return node->input_size(); }
  bool has(size_t i) const {
    return i < numInputs() && !node->input(i).empty();
  }
  const Fact *factOf(size_t i) const {
    if (!has(i))
      return nullptr;
    auto it = facts.find(node->input(i));
    return it == facts.end() ? nullptr : &it->second;
  }
  bool batched(size_t i) const {
    const Fact *f = factOf(i);
    return f && f->axis >= 0;
  }
  bool scaled(size_t i) const {
    const Fact *f = factOf(i);
    return f && f->axis < 0;
  }
  int64_t axisOf(size_t i) const { return factOf(i)->axis; }
  SmallVector<bool> flagsOf(size_t i) const;
  ArrayRef<int64_t> shapeOf(const std::string &name) const;
  ArrayRef<int64_t> inShape(size_t i) const { return shapeOf(node->input(i)); }
  ArrayRef<int64_t> outShape(size_t j) const {
    return shapeOf(node->output(j));
  }
  std::optional<SmallVector<int64_t>> intsOf(size_t i) const {
    return has(i) ? getConstantInts(lookup(node->input(i))) : std::nullopt;
  }
  std::optional<SmallVector<double>> floatsOf(size_t i) const;
  /// The axes in input `i` (a constant) or attribute `name`.
  std::optional<SmallVector<int64_t>> axesFrom(bool fromInput, size_t i,
                                               StringRef name);

  /// Records output `j` as batched at `axis`, checking its tile extent.
  LogicalResult setBatched(size_t j, int64_t axis, int64_t inner);
  /// Records all outputs as batched at `axis` (extent `inner`).
  LogicalResult setAllBatched(int64_t axis, int64_t inner);
  void setScaled(size_t j, ArrayRef<bool> flags);

  // Rules.
  LogicalResult visitScaled();
  LogicalResult visitScaledArithmetic();
  LogicalResult visitElementwise();
  LogicalResult visitPerSample();
  LogicalResult visitMatMul();
  LogicalResult visitGemm();
  LogicalResult visitReshape();
  LogicalResult visitReshapeTo(int64_t b);
  LogicalResult visitSqueeze(bool unsqueeze);
  LogicalResult visitReduction(bool isArg);
  LogicalResult visitSlice();
  LogicalResult visitGather();
  LogicalResult visitExpand();

  int64_t tile;
  Location loc;
  llvm::function_ref<Value(const std::string &)> lookup;
  llvm::function_ref<int64_t(const std::string &)> opsetOf;
  llvm::StringMap<Fact> facts;

  const onnx::NodeProto *node = nullptr;
  std::string nodeName;
  int64_t opset = 0;
  /// Origin of the node's first batched or scaled input.
  std::string origin;
};

} // namespace

LogicalResult BatchAnalyzer::fail(const Twine &reason) {
  return emitError(loc) << "dynamic batch: node '" << nodeName << "' ("
                        << node->op_type() << ") " << reason
                        << "; export the model with a static batch size";
}

SmallVector<bool> BatchAnalyzer::flagsOf(size_t i) const {
  if (const Fact *f = factOf(i); f && f->axis < 0)
    return f->scaled;
  return SmallVector<bool>(product(inShape(i)), false);
}

ArrayRef<int64_t> BatchAnalyzer::shapeOf(const std::string &name) const {
  Value value = lookup(name);
  auto type = value ? dyn_cast<RankedTensorType>(value.getType()) : nullptr;
  return type ? type.getShape() : ArrayRef<int64_t>();
}

std::optional<SmallVector<double>> BatchAnalyzer::floatsOf(size_t i) const {
  Value value = has(i) ? lookup(node->input(i)) : Value();
  auto constant = value ? value.getDefiningOp<graph::ConstantOp>() : nullptr;
  auto elements =
      constant ? dyn_cast<DenseFPElementsAttr>(constant.getValue()) : nullptr;
  if (!elements)
    return std::nullopt;
  SmallVector<double> result;
  for (const APFloat &v : elements.getValues<APFloat>())
    result.push_back(v.convertToDouble());
  return result;
}

std::optional<SmallVector<int64_t>>
BatchAnalyzer::axesFrom(bool fromInput, size_t i, StringRef name) {
  if (!fromInput)
    return getInts(*node, name);
  if (!has(i))
    return std::nullopt;
  return intsOf(i);
}

LogicalResult BatchAnalyzer::setBatched(size_t j, int64_t axis, int64_t inner) {
  if (j >= size_t(node->output_size()) || node->output(j).empty())
    return success();
  ArrayRef<int64_t> shape = outShape(j);
  if (axis < 0 || axis >= int64_t(shape.size()) || shape[axis] != inner)
    return fail("changes the extent of the batch dimension of '" + origin +
                "'");
  facts[node->output(j)] = Fact{axis, {}, origin};
  return success();
}

LogicalResult BatchAnalyzer::setAllBatched(int64_t axis, int64_t inner) {
  for (int j = 0; j < node->output_size(); ++j)
    if (failed(setBatched(j, axis, inner)))
      return failure();
  return success();
}

void BatchAnalyzer::setScaled(size_t j, ArrayRef<bool> flags) {
  if (j < size_t(node->output_size()) && !node->output(j).empty() &&
      llvm::is_contained(flags, true))
    facts[node->output(j)] =
        Fact{-1, SmallVector<bool>(flags.begin(), flags.end()), origin};
}

LogicalResult BatchAnalyzer::run(const onnx::GraphProto &graph,
                                 ArrayRef<std::string> batchedInputs) {
  for (const std::string &input : batchedInputs)
    facts[input] = Fact{0, {}, input};
  for (auto [index, n] : llvm::enumerate(graph.node())) {
    node = &n;
    nodeName =
        n.name().empty() ? n.op_type() + "_" + std::to_string(index) : n.name();
    opset = opsetOf(n.domain());
    if (failed(visit()))
      return failure();
  }
  for (const onnx::ValueInfoProto &output : graph.output()) {
    auto it = facts.find(output.name());
    auto diag = [&]() {
      return emitError(loc)
             << "dynamic batch: graph output '" << output.name() << "' ";
    };
    if (it == facts.end())
      return diag() << "does not depend on the batched inputs; every output "
                       "of a model with a dynamic batch must have the batch "
                       "as dim 0";
    if (it->second.axis < 0)
      return diag() << "is computed from the batch size of '"
                    << it->second.origin << "'; export the model with a "
                    << "static batch size";
    ArrayRef<int64_t> shape = shapeOf(output.name());
    if (it->second.axis != 0)
      return diag() << "has the batch of '" << it->second.origin << "' in dim "
                    << it->second.axis << ", not dim 0; export the model "
                    << "with a static batch size";
    if (shape.empty() || shape[0] != tile) {
      InFlightDiagnostic d = diag() << "has dim 0 = N";
      if (tile != 1)
        d << "/" << tile;
      return d << "*" << (shape.empty() ? 0 : shape[0])
               << ", not the batch N of '" << it->second.origin
               << "'; export the model with a static batch size";
    }
  }
  return success();
}

LogicalResult BatchAnalyzer::visit() {
  bool anyBatched = false, anyScaled = false;
  origin.clear();
  for (size_t i = 0; i < numInputs(); ++i) {
    const Fact *f = factOf(i);
    if (!f)
      continue;
    anyBatched |= f->axis >= 0;
    anyScaled |= f->axis < 0;
    if (origin.empty())
      origin = f->origin;
  }
  if (!anyBatched && !anyScaled)
    return success();
  // Every value the rules look at has a static shape in the tile.
  for (int i = 0; i < node->input_size() + node->output_size(); ++i) {
    const std::string &name = i < node->input_size()
                                  ? node->input(i)
                                  : node->output(i - node->input_size());
    Value value = name.empty() ? Value() : lookup(name);
    auto type = value ? dyn_cast<RankedTensorType>(value.getType()) : nullptr;
    if (!name.empty() && (!type || !type.hasStaticShape()))
      return fail("has the value '" + name +
                  "' without a static shape in the tile");
  }
  StringRef op = node->op_type();
  if (!node->domain().empty() && node->domain() != "ai.onnx")
    return fail("is not known to keep the rows of the batch of '" + origin +
                "' independent");
  if (!anyBatched)
    return visitScaled();

  if (isElementwise(op))
    return visitElementwise();
  if (isPerSample(op))
    return visitPerSample();
  if (isReduction(op))
    return visitReduction(false);
  if (op == "ArgMax" || op == "ArgMin")
    return visitReduction(true);
  if (op == "MatMul")
    return visitMatMul();
  if (op == "Gemm")
    return visitGemm();
  if (op == "Reshape")
    return visitReshape();
  if (op == "Squeeze" || op == "Unsqueeze")
    return visitSqueeze(op == "Unsqueeze");
  if (op == "Slice")
    return visitSlice();
  if (op == "Gather")
    return visitGather();
  if (op == "Expand" || op == "Tile")
    return visitExpand();

  // The remaining rules take one batched data input and plain others.
  if (op == "Concat" && !batched(0))
    return fail("concatenates values with and without the batch of '" + origin +
                "'");
  if (!batched(0))
    return fail("is not known to keep the rows of the batch of '" + origin +
                "' independent");
  for (size_t i = 1; i < numInputs(); ++i)
    if (factOf(i) && op != "Concat")
      return fail("takes '" + node->input(i) +
                  "', which depends on the batch size of '" + origin +
                  "', as a parameter");
  int64_t a = axisOf(0);
  ArrayRef<int64_t> shape = inShape(0);
  int64_t rank = shape.size(), inner = shape[a];

  if (op == "Shape") {
    SmallVector<bool> flags(rank, false);
    flags[a] = true;
    int64_t start = 0, end = rank;
    if (opset >= 15) {
      start = getInt(*node, "start", 0);
      end = getInt(*node, "end", rank);
      start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
      end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
    }
    setScaled(0,
              ArrayRef<bool>(flags).slice(start, std::max(start, end) - start));
    return success();
  }
  if (op == "Size") {
    setScaled(0, {true});
    return success();
  }
  if (op == "Transpose") {
    SmallVector<int64_t> perm =
        getInts(*node, "perm").value_or(SmallVector<int64_t>());
    if (perm.empty())
      for (int64_t i = rank - 1; i >= 0; --i)
        perm.push_back(i);
    auto it = llvm::find(perm, a);
    if (it == perm.end())
      return fail("has an invalid perm");
    return setBatched(0, it - perm.begin(), inner);
  }
  if (op == "Softmax" || op == "LogSoftmax" || op == "Hardmax") {
    int64_t axis = normalize(getInt(*node, "axis", opset >= 13 ? -1 : 1), rank);
    // Before opset 13 the input is coerced to 2-D at `axis`: the op runs
    // over every dim from `axis` on.
    if (axis < 0 || (opset >= 13 ? axis == a : axis <= a))
      return fail("normalizes over the batch dimension of '" + origin + "'");
    return setBatched(0, a, inner);
  }
  if (op == "LayerNormalization") {
    int64_t axis = normalize(getInt(*node, "axis", -1), rank);
    if (axis < 0 || axis <= a)
      return fail("normalizes over the batch dimension of '" + origin + "'");
    return setAllBatched(a, inner);
  }
  if (op == "Flatten") {
    int64_t axis = getInt(*node, "axis", 1);
    if (axis < 0)
      axis += rank;
    return visitReshapeTo(a < axis ? 0 : 1);
  }
  if (op == "Concat" || op == "Split") {
    int64_t axis = normalize(getInt(*node, "axis", 0), rank);
    if (axis == a)
      return fail(op + " along the batch dimension of '" + origin + "'");
    if (op == "Concat")
      for (size_t i = 1; i < numInputs(); ++i)
        if (!batched(i) || axisOf(i) != a || inShape(i)[a] != inner)
          return fail("concatenates '" + node->input(i) +
                      "', which does not have the batch of '" + origin +
                      "' in dim " + Twine(a));
    return setAllBatched(a, inner);
  }
  if (op == "Pad") {
    std::optional<SmallVector<int64_t>> pads =
        opset < 11 ? getInts(*node, "pads") : intsOf(1);
    if (!pads)
      return fail("has pads that are not constant");
    SmallVector<int64_t> axes;
    if (std::optional<SmallVector<int64_t>> given = intsOf(3))
      axes = *given;
    else
      for (int64_t i = 0; i < rank; ++i)
        axes.push_back(i);
    size_t n = axes.size();
    if (pads->size() != 2 * n)
      return fail("has pads of the wrong length");
    for (size_t i = 0; i < n; ++i)
      if (normalize(axes[i], rank) == a && ((*pads)[i] || (*pads)[i + n]))
        return fail("pads the batch dimension of '" + origin + "'");
    return setBatched(0, a, inner);
  }
  return fail("is not known to keep the rows of the batch of '" + origin +
              "' independent");
}

/// Shape-vector arithmetic: nodes whose inputs are scaled shape vectors
/// (and plain values), none batched.
LogicalResult BatchAnalyzer::visitScaled() {
  StringRef op = node->op_type();
  auto dataUse = [&]() {
    return fail("uses the batch size of '" + origin + "' as data");
  };
  // Ops whose output is a batched value built from a scaled shape.
  if (op == "Expand")
    return visitExpand();
  if (op == "ConstantOfShape") {
    SmallVector<bool> flags = flagsOf(0);
    if (llvm::count(flags, true) != 1)
      return dataUse();
    int64_t b = llvm::find(flags, true) - flags.begin();
    return setBatched(0, b, outShape(0)[b]);
  }
  if (op == "Shape" || op == "Size")
    return success(); // Of the shape vector itself: plain.
  // Element order is kept: the flags follow the data.
  if (op == "Identity" || op == "Cast" || op == "Squeeze" ||
      op == "Unsqueeze" || op == "Flatten" || (op == "Reshape" && !scaled(1)) ||
      (op == "CastLike" && !scaled(1))) {
    if (!scaled(0) || llvm::any_of(llvm::seq<size_t>(1, numInputs()),
                                   [&](size_t i) { return scaled(i); }))
      return dataUse();
    setScaled(0, flagsOf(0));
    return success();
  }
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Neg")
    return visitScaledArithmetic();
  if (op == "Concat") {
    if (inShape(0).size() != 1)
      return dataUse();
    SmallVector<bool> flags;
    for (size_t i = 0; i < numInputs(); ++i)
      llvm::append_range(flags, flagsOf(i));
    setScaled(0, flags);
    return success();
  }
  if (op == "Gather" || op == "Slice") {
    if (!scaled(0) || inShape(0).size() != 1)
      return dataUse();
    for (size_t i = 1; i < numInputs(); ++i)
      if (scaled(i))
        return dataUse();
    SmallVector<bool> flags = flagsOf(0);
    int64_t size = flags.size();
    SmallVector<bool> result;
    if (op == "Gather") {
      std::optional<SmallVector<int64_t>> indices = intsOf(1);
      if (!indices)
        return fail("gathers from the shape of '" + origin +
                    "' with indices that are not constant");
      for (int64_t index : *indices) {
        int64_t i = normalize(index, size);
        if (i < 0)
          return fail("gathers out of bounds");
        result.push_back(flags[i]);
      }
    } else {
      std::optional<SmallVector<int64_t>> starts, ends, steps;
      if (opset < 10) {
        starts = getInts(*node, "starts");
        ends = getInts(*node, "ends");
      } else {
        starts = intsOf(1);
        ends = intsOf(2);
        steps = intsOf(4);
      }
      if (!starts || !ends || starts->size() != 1 || ends->size() != 1)
        return fail("slices the shape of '" + origin +
                    "' with bounds that are not constant");
      int64_t step = steps && steps->size() == 1 ? (*steps)[0] : 1;
      if (step == 0)
        return fail("has a zero step");
      // numpy slicing of a vector of `size` elements.
      auto clampIndex = [&](int64_t v, int64_t lo, int64_t hi) {
        if (v < 0)
          v += size;
        return std::clamp<int64_t>(v, lo, hi);
      };
      int64_t start = step > 0 ? clampIndex((*starts)[0], 0, size)
                               : clampIndex((*starts)[0], -1, size - 1);
      int64_t end = step > 0 ? clampIndex((*ends)[0], 0, size)
                             : clampIndex((*ends)[0], -1, size - 1);
      for (int64_t i = start; step > 0 ? i < end : i > end; i += step)
        result.push_back(flags[i]);
    }
    setScaled(0, result);
    return success();
  }
  return dataUse();
}

/// Add, Sub, Mul, Div, Neg of shape vectors: the results stay proportional
/// to N/T where they can be proven to.
LogicalResult BatchAnalyzer::visitScaledArithmetic() {
  StringRef op = node->op_type();
  if (op == "Neg") {
    setScaled(0, flagsOf(0));
    return success();
  }
  std::optional<SmallVector<int64_t>> lhs = intsOf(0), rhs = intsOf(1);
  if (!lhs || !rhs || inShape(0).size() > 1 || inShape(1).size() > 1)
    return fail("computes with the batch size of '" + origin +
                "' beyond constant shape arithmetic");
  SmallVector<bool> lf = flagsOf(0), rf = flagsOf(1);
  size_t n = std::max(lhs->size(), rhs->size());
  SmallVector<bool> result;
  for (size_t i = 0; i < n; ++i) {
    size_t li = lhs->size() == 1 ? 0 : i, ri = rhs->size() == 1 ? 0 : i;
    if (li >= lhs->size() || ri >= rhs->size())
      return fail("has mismatched operands");
    bool ls = lf[li], rs = rf[ri];
    int64_t lv = (*lhs)[li], rv = (*rhs)[ri];
    if (op == "Mul") {
      if (ls && rs)
        return fail("multiplies the batch size of '" + origin + "' by itself");
    } else if (op == "Div") {
      if (rs)
        return fail("divides by the batch size of '" + origin + "'");
      if (ls && (rv == 0 || lv % rv != 0))
        return fail("divides the batch size of '" + origin +
                    "' by a number that does not divide it");
    } else if (ls != rs && (ls ? rv : lv) != 0) {
      return fail("adds a constant to the batch size of '" + origin + "'");
    }
    result.push_back(ls || rs);
  }
  setScaled(0, result);
  return success();
}

LogicalResult BatchAnalyzer::visitElementwise() {
  if (const onnx::AttributeProto *attr = findAttr(*node, "broadcast");
      attr && attr->i() != 0)
    return fail("uses legacy (opset < 7) broadcasting with the batch of '" +
                origin + "'");
  for (size_t i = 0; i < numInputs(); ++i)
    if (scaled(i))
      return fail("uses the batch size of '" + origin + "' as data");
  int64_t rank = outShape(0).size();
  int64_t b = -1, inner = 0;
  for (size_t i = 0; i < numInputs(); ++i) {
    if (!batched(i))
      continue;
    int64_t bi = axisOf(i) + rank - int64_t(inShape(i).size());
    int64_t ii = inShape(i)[axisOf(i)];
    if (b >= 0 && (bi != b || ii != inner))
      return fail("combines values batched in different dims");
    b = bi;
    inner = ii;
  }
  for (size_t i = 0; i < numInputs(); ++i) {
    if (!has(i) || batched(i))
      continue;
    ArrayRef<int64_t> shape = inShape(i);
    int64_t j = b - (rank - int64_t(shape.size()));
    if (j >= 0 && shape[j] != 1)
      return fail("broadcasts '" + node->input(i) + "' (extent " +
                  Twine(shape[j]) + ") along the batch dimension of '" +
                  origin + "'");
  }
  return setAllBatched(b, inner);
}

LogicalResult BatchAnalyzer::visitPerSample() {
  StringRef op = node->op_type();
  if (!batched(0) || axisOf(0) != 0)
    return fail("needs the batch of '" + origin + "' in dim 0 of its input");
  bool isResize = op == "Resize" || op == "Upsample";
  for (size_t i = 1; i < numInputs(); ++i) {
    if (!factOf(i))
      continue;
    // Resize sizes computed from the input's shape keep the batch.
    bool sizes = isResize && i == 3 && scaled(i);
    SmallVector<bool> flags = sizes ? flagsOf(i) : SmallVector<bool>();
    if (!sizes || flags.empty() || !flags[0] || llvm::count(flags, true) != 1)
      return fail("takes '" + node->input(i) +
                  "', which depends on the batch size of '" + origin +
                  "', as a parameter");
  }
  if (op == "MaxPool" && node->output_size() > 1 && !node->output(1).empty())
    return fail("returns indices that count across the batch");
  if (op == "BatchNormalization" &&
      (getInt(*node, "training_mode", 0) != 0 ||
       llvm::any_of(llvm::drop_begin(node->output()),
                    [](const std::string &s) { return !s.empty(); })))
    return fail("computes statistics over the batch (training mode)");
  if (isResize) {
    std::optional<SmallVector<double>> scales;
    if (op == "Upsample" && opset < 9) {
      if (const onnx::AttributeProto *attr = findAttr(*node, "scales"))
        scales =
            SmallVector<double>(attr->floats().begin(), attr->floats().end());
    } else {
      scales = floatsOf(op == "Upsample" || opset < 11 ? 1 : 2);
    }
    bool sizesScaled = scaled(3);
    if (!sizesScaled && (!scales || scales->empty() || (*scales)[0] != 1.0))
      return fail("resizes the batch dimension of '" + origin + "'");
  }
  return setAllBatched(0, inShape(0)[0]);
}

LogicalResult BatchAnalyzer::visitMatMul() {
  for (size_t i = 0; i < 2; ++i)
    if (scaled(i))
      return fail("uses the batch size of '" + origin + "' as data");
  ArrayRef<int64_t> sa = inShape(0), sb = inShape(1);
  int64_t ra = sa.size(), rb = sb.size();
  // Promote 1-d operands as numpy does: [K] -> [1, K] and [K] -> [K, 1].
  int64_t ra2 = std::max<int64_t>(ra, 2), rb2 = std::max<int64_t>(rb, 2);
  int64_t r2 = std::max(ra2, rb2);
  auto dimA = [&](int64_t j) { return ra == 1 ? (j == 0 ? 1 : sa[0]) : sa[j]; };
  auto dimB = [&](int64_t j) { return rb == 1 ? (j == 0 ? sb[0] : 1) : sb[j]; };
  int64_t res2, inner;
  if (batched(0)) {
    int64_t a2 = ra == 1 ? 1 : axisOf(0);
    inner = dimA(a2);
    if (a2 == ra2 - 1)
      return fail("contracts over the batch dimension of '" + origin + "'");
    if (a2 == ra2 - 2) {
      if (batched(1))
        return fail("multiplies two batched values row by column");
      res2 = r2 - 2;
    } else {
      res2 = a2 + r2 - ra2;
      int64_t bj = res2 - (r2 - rb2);
      if (batched(1)) {
        if (axisOf(1) + r2 - rb2 != res2 || sb[axisOf(1)] != inner)
          return fail("combines values batched in different dims");
      } else if (bj >= 0 && dimB(bj) != 1) {
        return fail("broadcasts '" + node->input(1) +
                    "' along the batch dimension of '" + origin + "'");
      }
    }
  } else {
    int64_t b2 = rb == 1 ? 0 : axisOf(1);
    inner = dimB(b2);
    if (b2 == rb2 - 2)
      return fail("contracts over the batch dimension of '" + origin + "'");
    if (b2 == rb2 - 1) {
      res2 = r2 - 1;
    } else {
      res2 = b2 + r2 - rb2;
      int64_t aj = res2 - (r2 - ra2);
      if (aj >= 0 && dimA(aj) != 1)
        return fail("broadcasts '" + node->input(0) +
                    "' along the batch dimension of '" + origin + "'");
    }
  }
  // The promoted dims are dropped from the result.
  int64_t res = res2;
  if (ra == 1 && res2 > r2 - 2)
    --res;
  return setBatched(0, res, inner);
}

LogicalResult BatchAnalyzer::visitGemm() {
  for (size_t i = 1; i < numInputs(); ++i)
    if (factOf(i))
      return fail("takes '" + node->input(i) +
                  "', which depends on the batch size of '" + origin +
                  "', as B or C");
  if (!batched(0))
    return fail("uses the batch size of '" + origin + "' as data");
  int64_t m = getInt(*node, "transA", 0) ? 1 : 0;
  if (axisOf(0) != m)
    return fail("contracts over the batch dimension of '" + origin + "'");
  if (has(2)) {
    ArrayRef<int64_t> c = inShape(2);
    if (c.size() == 2 && c[0] != 1)
      return fail("adds '" + node->input(2) + "' (extent " + Twine(c[0]) +
                  ") along the batch dimension of '" + origin + "'");
  }
  return setBatched(0, 0, inShape(0)[m]);
}

LogicalResult BatchAnalyzer::visitReshape() {
  if (!batched(0))
    return fail("reshapes to a shape computed from the batch size of '" +
                origin + "'");
  std::optional<SmallVector<int64_t>> values = intsOf(1);
  if (!values)
    return fail("has a shape that is not constant in the tile");
  SmallVector<bool> flags = flagsOf(1);
  int64_t a = axisOf(0);
  bool allowZero = opset >= 14 && getInt(*node, "allowzero", 0) != 0;
  SmallVector<int64_t> carriers;
  int64_t minusOne = -1;
  for (auto [i, v] : llvm::enumerate(*values)) {
    if (flags[i] || (v == 0 && !allowZero && int64_t(i) == a))
      carriers.push_back(i);
    if (v == -1)
      minusOne = i;
  }
  if (carriers.size() > 1)
    return fail("keeps the batch size of '" + origin +
                "' in more than one dim");
  if (carriers.empty() && minusOne < 0)
    return fail("reshapes the batch dimension of '" + origin +
                "' to a fixed size (the shape does not follow the batch)");
  return visitReshapeTo(carriers.empty() ? minusOne : carriers[0]);
}

/// Reshapes (Reshape, Flatten) move the batch from dim a to dim b when the
/// dims before both hold the same number of elements: the batch is then the
/// outermost factor of dim b.
LogicalResult BatchAnalyzer::visitReshapeTo(int64_t b) {
  ArrayRef<int64_t> src = inShape(0), dst = outShape(0);
  int64_t a = axisOf(0);
  if (b < 0 || b >= int64_t(dst.size()) ||
      product(src.take_front(a)) != product(dst.take_front(b)))
    return fail("mixes the batch dimension of '" + origin +
                "' with the dims before it");
  return setBatched(0, b, dst[b]);
}

LogicalResult BatchAnalyzer::visitSqueeze(bool unsqueeze) {
  for (size_t i = 1; i < numInputs(); ++i)
    if (factOf(i))
      return fail("uses the batch size of '" + origin + "' as axes");
  ArrayRef<int64_t> shape = inShape(0);
  int64_t rank = shape.size(), a = axisOf(0);
  std::optional<SmallVector<int64_t>> axes = axesFrom(opset >= 13, 1, "axes");
  if (unsqueeze) {
    int64_t outRank = outShape(0).size();
    SmallVector<bool> inserted(outRank, false);
    for (int64_t axis : axes.value_or(SmallVector<int64_t>())) {
      int64_t n = normalize(axis, outRank);
      if (n < 0)
        return fail("has an invalid axis");
      inserted[n] = true;
    }
    for (int64_t j = 0, kept = 0; j < outRank; ++j)
      if (!inserted[j] && kept++ == a)
        return setBatched(0, j, shape[a]);
    return fail("has invalid axes");
  }
  SmallVector<bool> squeezed(rank, false);
  if (!axes || axes->empty()) {
    for (int64_t i = 0; i < rank; ++i)
      squeezed[i] = shape[i] == 1;
  } else {
    for (int64_t axis : *axes) {
      int64_t n = normalize(axis, rank);
      if (n < 0)
        return fail("has an invalid axis");
      squeezed[n] = true;
    }
  }
  if (squeezed[a])
    return fail("squeezes the batch dimension of '" + origin +
                "' (extent 1 in the tile)");
  return setBatched(0, a - llvm::count(ArrayRef(squeezed).take_front(a), true),
                    shape[a]);
}

LogicalResult BatchAnalyzer::visitReduction(bool isArg) {
  for (size_t i = 1; i < numInputs(); ++i)
    if (factOf(i))
      return fail("uses the batch size of '" + origin + "' as axes");
  if (!batched(0))
    return fail("uses the batch size of '" + origin + "' as data");
  ArrayRef<int64_t> shape = inShape(0);
  int64_t rank = shape.size(), a = axisOf(0);
  bool keepDims = getInt(*node, "keepdims", 1) != 0;
  SmallVector<int64_t> axes;
  if (isArg) {
    axes.push_back(getInt(*node, "axis", 0));
  } else {
    bool fromInput =
        opset >= 18 || (node->op_type() == "ReduceSum" && opset >= 13);
    std::optional<SmallVector<int64_t>> given = axesFrom(fromInput, 1, "axes");
    if (fromInput && has(1) && !given)
      return fail("has axes that are not constant");
    if (given)
      axes = *given;
    if (axes.empty()) {
      if (getInt(*node, "noop_with_empty_axes", 0))
        return setBatched(0, a, shape[a]);
      for (int64_t i = 0; i < rank; ++i)
        axes.push_back(i);
    }
  }
  int64_t before = 0;
  for (int64_t axis : axes) {
    int64_t n = normalize(axis, rank);
    if (n == a)
      return fail("reduces over the batch dimension of '" + origin + "'");
    before += n >= 0 && n < a;
  }
  return setBatched(0, keepDims ? a : a - before, shape[a]);
}

LogicalResult BatchAnalyzer::visitSlice() {
  if (!batched(0))
    return fail("uses the batch size of '" + origin + "' as data");
  ArrayRef<int64_t> shape = inShape(0);
  int64_t rank = shape.size(), a = axisOf(0);
  std::optional<SmallVector<int64_t>> starts, ends, axes, steps;
  SmallVector<bool> endFlags;
  if (opset < 10) {
    starts = getInts(*node, "starts");
    ends = getInts(*node, "ends");
    axes = getInts(*node, "axes");
  } else {
    for (size_t i : {size_t(1), size_t(3), size_t(4)})
      if (factOf(i))
        return fail("uses the batch size of '" + origin +
                    "' as a start, axis or step");
    starts = intsOf(1);
    ends = intsOf(2);
    axes = intsOf(3);
    steps = intsOf(4);
    endFlags = flagsOf(2);
  }
  if (!starts || !ends || starts->size() != ends->size())
    return fail("has bounds that are not constant");
  for (size_t i = 0; i < starts->size(); ++i) {
    int64_t axis =
        axes && i < axes->size() ? normalize((*axes)[i], rank) : int64_t(i);
    bool endScaled = i < endFlags.size() && endFlags[i];
    if (axis != a && endScaled)
      return fail("slices dim " + Twine(axis) + " up to the batch size of '" +
                  origin + "'");
    if (axis != a)
      continue;
    int64_t step = steps && i < steps->size() ? (*steps)[i] : 1;
    bool wholeEnd = endScaled || (*ends)[i] >= int64_t(INT32_MAX);
    if (step != 1 || (*starts)[i] != 0 || !wholeEnd)
      return fail("slices the batch dimension of '" + origin + "'");
  }
  return setBatched(0, a, shape[a]);
}

LogicalResult BatchAnalyzer::visitGather() {
  if (scaled(1) || (batched(0) && batched(1)) || scaled(0))
    return fail("uses the batch size of '" + origin + "' as data");
  int64_t dataRank = inShape(0).size();
  int64_t axis = normalize(getInt(*node, "axis", 0), dataRank);
  if (axis < 0)
    return fail("has an invalid axis");
  if (batched(1)) {
    // Plain data indexed by batched indices (an embedding lookup).
    return setBatched(0, axis + axisOf(1), inShape(1)[axisOf(1)]);
  }
  int64_t a = axisOf(0);
  if (axis == a)
    return fail("gathers along the batch dimension of '" + origin + "'");
  int64_t indexRank = inShape(1).size();
  return setBatched(0, a < axis ? a : a - 1 + indexRank, inShape(0)[a]);
}

/// Expand and Tile: batched data must not grow along the batch; plain data
/// expanded to a shape with one scaled element becomes batched there.
LogicalResult BatchAnalyzer::visitExpand() {
  if (scaled(0))
    return fail("uses the batch size of '" + origin + "' as data");
  StringRef op = node->op_type();
  std::optional<SmallVector<int64_t>> values = intsOf(1);
  if (!values)
    return fail("has a shape that is not constant in the tile");
  SmallVector<bool> flags = flagsOf(1);
  ArrayRef<int64_t> shape = inShape(0);
  int64_t rank = shape.size();
  if (op == "Tile") {
    if (scaled(1) || !batched(0))
      return fail("uses the batch size of '" + origin + "' as data");
    int64_t a = axisOf(0);
    if (a >= int64_t(values->size()) || (*values)[a] != 1)
      return fail("repeats the batch dimension of '" + origin + "'");
    return setBatched(0, a, shape[a]);
  }
  int64_t length = values->size();
  int64_t outRank = std::max(rank, length);
  if (batched(0)) {
    int64_t a = axisOf(0), b = a + outRank - rank;
    int64_t j = b - (outRank - length);
    if (j >= 0 && !flags[j] && (*values)[j] != 1)
      return fail("expands the batch dimension of '" + origin + "'");
    if (llvm::count(flags, true) > (j >= 0 && flags[j] ? 1 : 0))
      return fail("expands a dim other than the batch to the batch size of '" +
                  origin + "'");
    return setBatched(0, b, shape[a]);
  }
  if (llvm::count(flags, true) != 1)
    return fail("uses the batch size of '" + origin + "' as data");
  int64_t j = llvm::find(flags, true) - flags.begin();
  int64_t b = j + outRank - length, k = b - (outRank - rank);
  if (k >= 0 && shape[k] != 1)
    return fail("expands a dim of extent " + Twine(shape[k]) +
                " to the batch size of '" + origin + "'");
  return setBatched(0, b, outShape(0)[b]);
}

LogicalResult onnx_import::analyzeBatch(
    const onnx::GraphProto &graph, ArrayRef<std::string> batched, int64_t tile,
    Location loc, llvm::function_ref<Value(const std::string &)> lookup,
    llvm::function_ref<int64_t(const std::string &)> opsetOf) {
  return BatchAnalyzer(tile, loc, lookup, opsetOf).run(graph, batched);
}
