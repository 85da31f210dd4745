//===- OnnxRecurrentOps.cpp - ONNX RNN, GRU and LSTM importers --*- C++ -*-===//
//
// Importers of RNN, GRU and LSTM, unrolled over the sequence length (which
// is static) into graph ops. For each direction:
//
// - the input projection X * W^T + bias of every step is one matmul of the
//   (seq_length * batch) x input_size rows of X;
// - each step slices its rows of the projection, adds H(t-1) * R^T and
//   evaluates the formulas of the ONNX specification (onnx/defs/rnn/defs.cc)
//   as written, e.g. for LSTM
//     it = f(Xt*(Wi^T) + Ht-1*(Ri^T) + Pi (.) Ct-1 + Wbi + Rbi)
//     ft = f(Xt*(Wf^T) + Ht-1*(Rf^T) + Pf (.) Ct-1 + Wbf + Rbf)
//     ct = g(Xt*(Wc^T) + Ht-1*(Rc^T) + Wbc + Rbc)
//     Ct = ft (.) Ct-1 + it (.) ct
//     ot = f(Xt*(Wo^T) + Ht-1*(Ro^T) + Po (.) Ct + Wbo + Rbo)
//     Ht = ot (.) h(Ct)
//   with `clip` clamping the input of every gate activation (not Ct before
//   h), and input_forget coupling the gates as ft = 1 - it (as ONNX Runtime
//   does);
// - the reverse direction runs the steps from the last to the first.
//
// Y stacks the hidden states of the steps, Y_h (and Y_c) are the last ones;
// layout 1 transposes X, initial_h, initial_c and the outputs to batch-major.
//
// sequence_lens: a constant equal to seq_length everywhere changes nothing.
// Otherwise (shorter constant lengths, or run-time values) every step is
// masked per batch row: a row whose sequence has ended keeps its state and
// gets zeros in Y, as in ONNX Runtime. Y_h and Y_c then hold the state after
// the last valid step, and the reverse direction starts at each row's last
// valid step (it keeps the initial state through the steps past the end).
//
// activations: the names are matched case-insensitively (as ONNX Runtime
// does); activation_alpha and activation_beta are consumed in order by the
// functions that take them, and default to the attributes of the ONNX
// operators of the same names (Affine: 1 and 0; ScaledTanh: 1 and 1). A
// bidirectional node may list the functions of one direction for both.
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/Onnx/OnnxImporterImpl.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

#include <cassert>

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::onnx_import;

namespace {

/// The recurrent operators.
enum class CellKind { Rnn, Gru, Lstm };

/// What distinguishes RNN, GRU and LSTM for the unrolling.
struct CellInfo {
  CellKind kind;
  /// Gates per direction (blocks of hidden_size rows of W and R).
  int64_t gates;
  /// Activation functions per direction.
  int64_t activations;
  /// The default activation functions of one direction.
  ArrayRef<StringRef> defaults;
};

/// Returns what the unrolling needs to know about `node`'s op, or nullopt
/// when it is not RNN, GRU or LSTM.
std::optional<CellInfo> getCellInfo(const onnx::NodeProto &node) {
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return std::nullopt;
  static const StringRef rnn[] = {"Tanh"};
  static const StringRef gru[] = {"Sigmoid", "Tanh"};
  static const StringRef lstm[] = {"Sigmoid", "Tanh", "Tanh"};
  StringRef opType = node.op_type();
  if (opType == "RNN")
    return CellInfo{CellKind::Rnn, 1, 1, rnn};
  if (opType == "GRU")
    return CellInfo{CellKind::Gru, 3, 2, gru};
  if (opType == "LSTM")
    return CellInfo{CellKind::Lstm, 4, 3, lstm};
  return std::nullopt;
}

/// An activation function Ingot imports, with the parameters it takes and
/// their defaults.
struct ActivationKind {
  /// The lower-case name.
  StringRef name;
  bool takesAlpha, takesBeta;
  double defaultAlpha, defaultBeta;
};

const ActivationKind kActivationKinds[] = {
    {"relu", false, false, 0.0, 0.0},
    {"tanh", false, false, 0.0, 0.0},
    {"sigmoid", false, false, 0.0, 0.0},
    {"softsign", false, false, 0.0, 0.0},
    {"softplus", false, false, 0.0, 0.0},
    {"leakyrelu", true, false, 0.01, 0.0},
    {"thresholdedrelu", true, false, 1.0, 0.0},
    {"elu", true, false, 1.0, 0.0},
    {"hardsigmoid", true, true, 0.2, 0.5},
    {"affine", true, true, 1.0, 0.0},
    {"scaledtanh", true, true, 1.0, 1.0},
};

/// One activation function of the recurrence with its parameters.
struct Activation {
  /// The lower-case name (a kActivationKinds entry).
  std::string name;
  double alpha = 0.0;
  double beta = 0.0;
};

/// The attributes of a recurrent node, checked.
struct RecurrentAttrs {
  int64_t numDirections = 1;
  /// direction = "reverse".
  bool reverse = false;
  /// layout = 1: X, initial_h, initial_c and the outputs are batch-major.
  bool batchMajor = false;
  /// The cell clip threshold, when given.
  std::optional<double> clip;
  /// The hidden_size attribute, when given.
  std::optional<int64_t> hiddenSize;
  /// GRU's linear_before_reset.
  bool linearBeforeReset = false;
  /// LSTM's input_forget.
  bool inputForget = false;
  /// `activations` functions per direction, forward direction first.
  SmallVector<Activation> activations;
};

/// Reads and checks the attributes of `node` (`info` describes its op):
/// returns them, or sets `error` to why the node cannot be imported.
std::optional<RecurrentAttrs> readAttrs(const onnx::NodeProto &node,
                                        int64_t opset, const CellInfo &info,
                                        std::string &error) {
  RecurrentAttrs attrs;
  if (const onnx::AttributeProto *direction = findAttr(node, "direction")) {
    StringRef value = direction->s();
    if (value == "bidirectional") {
      attrs.numDirections = 2;
    } else if (value == "reverse") {
      attrs.reverse = true;
    } else if (value != "forward") {
      error = "unsupported attribute value: direction '" + value.str() +
              "' (expected forward, reverse or bidirectional)";
      return std::nullopt;
    }
  }
  int64_t layout = getInt(node, "layout", 0);
  if (layout != 0 && layout != 1) {
    error = "unsupported attribute value: layout " + std::to_string(layout) +
            " (expected 0 or 1)";
    return std::nullopt;
  }
  if (layout == 1 && opset < 14) {
    error = "attribute layout is new in opset 14, the model imports opset " +
            std::to_string(opset);
    return std::nullopt;
  }
  attrs.batchMajor = layout == 1;
  if (findAttr(node, "clip")) {
    float clip = getFloat(node, "clip", 0.0f);
    if (!(clip > 0.0f)) {
      error = "unsupported attribute value: clip must be positive, got " +
              std::to_string(clip);
      return std::nullopt;
    }
    attrs.clip = clip;
  }
  if (findAttr(node, "hidden_size")) {
    attrs.hiddenSize = getInt(node, "hidden_size", 0);
    if (*attrs.hiddenSize <= 0) {
      error = "attribute hidden_size must be positive, got " +
              std::to_string(*attrs.hiddenSize);
      return std::nullopt;
    }
  }
  attrs.linearBeforeReset =
      info.kind == CellKind::Gru && getInt(node, "linear_before_reset", 0) != 0;
  attrs.inputForget =
      info.kind == CellKind::Lstm && getInt(node, "input_forget", 0) != 0;

  // The activation function names, then their parameters in order.
  SmallVector<std::string> names;
  if (const onnx::AttributeProto *list = findAttr(node, "activations")) {
    for (const std::string &name : list->strings())
      names.push_back(StringRef(name).lower());
  } else {
    for (int64_t d = 0; d < attrs.numDirections; ++d)
      for (StringRef name : info.defaults)
        names.push_back(name.lower());
  }
  int64_t perDirection = info.activations;
  if (attrs.numDirections == 2 &&
      static_cast<int64_t>(names.size()) == perDirection)
    names.append(SmallVector<std::string>(names));
  if (static_cast<int64_t>(names.size()) !=
      perDirection * attrs.numDirections) {
    error = "attribute activations lists " + std::to_string(names.size()) +
            " functions, expected " +
            std::to_string(perDirection * attrs.numDirections);
    return std::nullopt;
  }
  const onnx::AttributeProto *alphas = findAttr(node, "activation_alpha");
  const onnx::AttributeProto *betas = findAttr(node, "activation_beta");
  int nextAlpha = 0, nextBeta = 0;
  for (const std::string &name : names) {
    const ActivationKind *kind =
        llvm::find_if(kActivationKinds,
                      [&](const ActivationKind &k) { return k.name == name; });
    if (kind == std::end(kActivationKinds)) {
      error = "unsupported activation '" + name +
              "' in attribute activations (Ingot imports Relu, Tanh, "
              "Sigmoid, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, "
              "HardSigmoid, Elu, Softsign and Softplus)";
      return std::nullopt;
    }
    Activation activation{name, kind->defaultAlpha, kind->defaultBeta};
    if (kind->takesAlpha && alphas && nextAlpha < alphas->floats_size())
      activation.alpha = alphas->floats(nextAlpha++);
    if (kind->takesBeta && betas && nextBeta < betas->floats_size())
      activation.beta = betas->floats(nextBeta++);
    attrs.activations.push_back(activation);
  }
  return attrs;
}

/// Builds the unrolled recurrence of one node.
class Unroller {
public:
  Unroller(NodeContext &ctx, const CellInfo &info, const RecurrentAttrs &attrs)
      : ctx(ctx), b(ctx.builder), loc(ctx.loc), info(info), attrs(attrs) {}

  /// Imports the node: Y, Y_h and, for LSTM, Y_c (null where the node does
  /// not name the output).
  FailureOr<SmallVector<Value>> run();

private:
  /// The state of one direction after a step.
  struct State {
    Value h, c;
  };
  /// The recurrence weights of one direction, built once.
  struct Weights {
    /// R^T (hidden x gates*hidden); for GRU without linear_before_reset,
    /// its z and r columns and its h columns instead.
    Value rT, rTzr, rTh;
    /// LSTM's peepholes (null when P is omitted).
    Value pI, pO, pF;
    /// GRU's Rbh under linear_before_reset (null when B is omitted).
    Value rbh;
    /// The activation functions.
    ArrayRef<Activation> fns;
  };
  /// What one direction computes.
  struct DirectionResult {
    /// The hidden state of each step (batch x hidden), in time order.
    SmallVector<Value> ys;
    State last;
  };

  /// Checks the shapes and element types of the inputs and reads the sizes.
  LogicalResult checkInputs();
  /// Checks that the present input `index` has `shape` and the element type
  /// of X.
  LogicalResult checkInput(unsigned index, ArrayRef<int64_t> shape);
  /// Reads sequence_lens: leaves `seqLens` null when it is absent or a
  /// constant equal to seq_length everywhere.
  LogicalResult readSequenceLengths();

  /// Unrolls direction `d` (0 or 1 of W), forward or `reverse`.
  DirectionResult runDirection(int64_t d, bool reverse);
  /// Returns the recurrence weights of direction `d`.
  Weights getWeights(int64_t d);
  /// Builds one step from `state` given the step's rows `xw` of the input
  /// projection (batch x gates*hidden).
  State step(const Weights &w, Value xw, State state);

  /// Returns `v` (a direction-major tensor: D x ...) at direction `d`, with
  /// that dimension dropped.
  Value direction(Value v, int64_t d);
  /// Returns the slice of `size` elements of `v` from `start` along `axis`.
  Value slice(Value v, int64_t axis, int64_t start, int64_t size);
  /// Returns `v` reshaped to `shape` (static sizes).
  Value reshape(Value v, ArrayRef<int64_t> shape);
  /// Returns `v` with its dimensions permuted by `perm`.
  Value transpose(Value v, ArrayRef<int64_t> perm);
  /// Returns the matrix product of the 2-D `lhs` and `rhs`.
  Value matmul(Value lhs, Value rhs);
  /// Returns the broadcasting binary op `OpTy` of `lhs` and `rhs`.
  template <typename OpTy> Value binary(Value lhs, Value rhs) {
    FailureOr<Value> v = buildBroadcastBinary<OpTy>(ctx, lhs, rhs);
    assert(succeeded(v) && "shapes are checked on entry");
    return *v;
  }
  /// Returns the concatenation of the steps' `values` along dim 0, built
  /// as a tree of concatenations of at most kConcatChunk values: a kernel
  /// concatenating hundreds of operands compiles slowly, while the chunks
  /// have one type and compile once (ingot-exec-dedup-executables).
  Value concatSteps(ArrayRef<Value> values);
  /// Returns a float constant of `shape` filled with `value`.
  Value splat(ArrayRef<int64_t> shape, double value);
  /// Returns activation `fn` applied to `x`.
  Value activate(const Activation &fn, Value x);
  /// Returns activation `fn` applied to `x` clipped by `clip`.
  Value gate(const Activation &fn, Value x);

  NodeContext &ctx;
  OpBuilder &b;
  Location loc;
  const CellInfo &info;
  const RecurrentAttrs &attrs;

  Type elementType;
  int64_t seqLength = 0, batch = 0, inputSize = 0, hidden = 0;
  /// X as seq_length x batch x input_size; initial_h and initial_c as
  /// directions x batch x hidden (null when omitted).
  Value x, initialH, initialC;
  /// sequence_lens when steps are masked, else null.
  Value seqLens;
  /// 1 and zeros (batch x hidden), built once.
  Value one, zeros;
};

Value Unroller::slice(Value v, int64_t axis, int64_t start, int64_t size) {
  RankedTensorType type = tensorType(v);
  if (start == 0 && size == type.getDimSize(axis))
    return v;
  SmallVector<int64_t> starts(type.getRank(), 0), steps(type.getRank(), 1);
  SmallVector<int64_t> shape(type.getShape());
  starts[axis] = start;
  shape[axis] = size;
  return b.create<graph::SliceOp>(
      loc, RankedTensorType::get(shape, type.getElementType()), v,
      b.getDenseI64ArrayAttr(starts), b.getDenseI64ArrayAttr(steps));
}

Value Unroller::reshape(Value v, ArrayRef<int64_t> shape) {
  if (tensorType(v).getShape() == shape)
    return v;
  FailureOr<Value> reshaped = buildReshape(ctx, v, shape);
  assert(succeeded(reshaped) && "static shapes reshape");
  return *reshaped;
}

Value Unroller::transpose(Value v, ArrayRef<int64_t> perm) {
  RankedTensorType type = tensorType(v);
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  return b.create<graph::TransposeOp>(
      loc, RankedTensorType::get(shape, type.getElementType()), v, perm);
}

Value Unroller::matmul(Value lhs, Value rhs) {
  auto type = RankedTensorType::get(
      {tensorType(lhs).getDimSize(0), tensorType(rhs).getDimSize(1)},
      elementType);
  return b.create<graph::MatMulOp>(loc, type, lhs, rhs);
}

Value Unroller::direction(Value v, int64_t d) {
  ArrayRef<int64_t> shape = tensorType(v).getShape();
  if (shape.front() != 1)
    v = slice(v, 0, d, 1);
  return reshape(v, shape.drop_front());
}

Value Unroller::concatSteps(ArrayRef<Value> values) {
  constexpr size_t kConcatChunk = 16;
  if (values.size() <= kConcatChunk)
    return buildConcat(ctx, values, 0);
  SmallVector<Value> chunks;
  for (size_t i = 0; i < values.size(); i += kConcatChunk)
    chunks.push_back(buildConcat(
        ctx, values.slice(i, std::min(kConcatChunk, values.size() - i)), 0));
  return concatSteps(chunks);
}

Value Unroller::splat(ArrayRef<int64_t> shape, double value) {
  return buildFloatScalar(ctx, elementType, value, shape);
}

Value Unroller::activate(const Activation &fn, Value x) {
  StringRef name = fn.name;
  if (name == "relu")
    return b.create<graph::ReluOp>(loc, x);
  if (name == "tanh")
    return b.create<graph::TanhOp>(loc, x);
  if (name == "sigmoid")
    return b.create<graph::SigmoidOp>(loc, x);
  if (name == "softsign")
    return b.create<graph::SoftsignOp>(loc, x);
  if (name == "softplus")
    return b.create<graph::SoftplusOp>(loc, x);
  if (name == "leakyrelu")
    return b.create<graph::LeakyReluOp>(loc, x, b.getF64FloatAttr(fn.alpha));
  if (name == "thresholdedrelu")
    return b.create<graph::ThresholdedReluOp>(loc, x,
                                              b.getF64FloatAttr(fn.alpha));
  if (name == "elu")
    return b.create<graph::EluOp>(loc, x, b.getF64FloatAttr(fn.alpha));
  if (name == "hardsigmoid")
    return b.create<graph::HardSigmoidOp>(loc, x, b.getF64FloatAttr(fn.alpha),
                                          b.getF64FloatAttr(fn.beta));
  // alpha * x + beta
  if (name == "affine")
    return binary<graph::AddOp>(binary<graph::MulOp>(x, splat({}, fn.alpha)),
                                splat({}, fn.beta));
  // alpha * tanh(beta * x)
  assert(name == "scaledtanh" && "activations are checked by readAttrs");
  Value scaled = binary<graph::MulOp>(x, splat({}, fn.beta));
  return binary<graph::MulOp>(b.create<graph::TanhOp>(loc, scaled),
                              splat({}, fn.alpha));
}

Value Unroller::gate(const Activation &fn, Value x) {
  if (attrs.clip)
    x = b.create<graph::ClipOp>(loc, x, b.getF64FloatAttr(-*attrs.clip),
                                b.getF64FloatAttr(*attrs.clip));
  return activate(fn, x);
}

LogicalResult Unroller::checkInput(unsigned index, ArrayRef<int64_t> shape) {
  RankedTensorType type = tensorType(ctx.inputs[index]);
  auto expected = RankedTensorType::get(shape, elementType);
  if (type != expected)
    return ctx.emitError() << "the input '" << ctx.node.input(index)
                           << "' must be a " << expected << ", got " << type;
  return success();
}

LogicalResult Unroller::checkInputs() {
  if (failed(requireInputs(ctx, 3)))
    return failure();
  x = ctx.inputs[0];
  RankedTensorType xType = tensorType(x);
  elementType = xType.getElementType();
  if (!isa<FloatType>(elementType))
    return ctx.emitError() << "expected a floating-point input X, got "
                           << xType;
  if (xType.getRank() != 3)
    return ctx.emitError() << "expected a 3-D input X, got " << xType;
  if (!xType.hasStaticShape())
    return ctx.emitError() << "the input X has a dynamic shape " << xType
                           << "; the unrolled recurrence needs static sizes";
  if (attrs.batchMajor)
    x = transpose(x, {1, 0, 2});
  seqLength = tensorType(x).getDimSize(0);
  batch = tensorType(x).getDimSize(1);
  inputSize = tensorType(x).getDimSize(2);
  if (seqLength == 0 || batch == 0)
    return ctx.emitError() << "expected a non-empty input X, got " << xType;

  RankedTensorType rType = tensorType(ctx.inputs[2]);
  if (rType.getRank() != 3 || ShapedType::isDynamic(rType.getDimSize(2)))
    return ctx.emitError() << "expected a 3-D input R with a static hidden "
                              "size, got "
                           << rType;
  hidden = attrs.hiddenSize ? *attrs.hiddenSize : rType.getDimSize(2);
  int64_t d = attrs.numDirections, g = info.gates;
  if (failed(checkInput(1, {d, g * hidden, inputSize})) ||
      failed(checkInput(2, {d, g * hidden, hidden})))
    return failure();
  if (getOptionalInput(ctx, 3) && failed(checkInput(3, {d, 2 * g * hidden})))
    return failure();
  SmallVector<int64_t> stateShape = {d, batch, hidden};
  if (attrs.batchMajor)
    stateShape = {batch, d, hidden};
  if (getOptionalInput(ctx, 5) && failed(checkInput(5, stateShape)))
    return failure();
  if (info.kind == CellKind::Lstm) {
    if (getOptionalInput(ctx, 6) && failed(checkInput(6, stateShape)))
      return failure();
    if (getOptionalInput(ctx, 7) && failed(checkInput(7, {d, 3 * hidden})))
      return failure();
  }
  if (getOptionalInput(ctx, 5))
    initialH =
        attrs.batchMajor ? transpose(ctx.inputs[5], {1, 0, 2}) : ctx.inputs[5];
  if (info.kind == CellKind::Lstm && getOptionalInput(ctx, 6))
    initialC =
        attrs.batchMajor ? transpose(ctx.inputs[6], {1, 0, 2}) : ctx.inputs[6];
  return readSequenceLengths();
}

LogicalResult Unroller::readSequenceLengths() {
  if (!getOptionalInput(ctx, 4))
    return success();
  Value lens = ctx.inputs[4];
  RankedTensorType type = tensorType(lens);
  if (!isa<IntegerType>(type.getElementType()) || type.getRank() != 1 ||
      type.getDimSize(0) != batch)
    return ctx.emitError()
           << "the input '" << ctx.node.input(4)
           << "' (sequence_lens) must be a 1-D integer tensor of " << batch
           << " elements, got " << type;
  if (std::optional<SmallVector<int64_t>> values = getConstantInts(lens)) {
    for (int64_t length : *values)
      if (length < 0 || length > seqLength)
        return ctx.emitError()
               << "sequence_lens holds " << length
               << ", outside [0, seq_length = " << seqLength << "]";
    if (llvm::all_of(*values,
                     [&](int64_t length) { return length == seqLength; }))
      return success();
  }
  // Masks compare the step index with the lengths, per batch row.
  seqLens = lens;
  return success();
}

Unroller::Weights Unroller::getWeights(int64_t d) {
  Weights w;
  w.fns =
      ArrayRef(attrs.activations).slice(d * info.activations, info.activations);
  w.rT = transpose(direction(ctx.inputs[2], d), {1, 0});
  if (info.kind == CellKind::Gru && !attrs.linearBeforeReset) {
    w.rTzr = slice(w.rT, 1, 0, 2 * hidden);
    w.rTh = slice(w.rT, 1, 2 * hidden, hidden);
  }
  if (info.kind == CellKind::Gru && attrs.linearBeforeReset &&
      getOptionalInput(ctx, 3))
    w.rbh = slice(direction(ctx.inputs[3], d), 0, 5 * hidden, hidden);
  if (info.kind == CellKind::Lstm && getOptionalInput(ctx, 7)) {
    Value p = direction(ctx.inputs[7], d);
    w.pI = slice(p, 0, 0, hidden);
    w.pO = slice(p, 0, hidden, hidden);
    w.pF = slice(p, 0, 2 * hidden, hidden);
  }
  return w;
}

Unroller::State Unroller::step(const Weights &w, Value xw, State state) {
  ArrayRef<Activation> fns = w.fns;
  Value h = state.h;
  switch (info.kind) {
  case CellKind::Rnn:
    // Ht = f(Xt*(Wi^T) + Ht-1*(Ri^T) + Wbi + Rbi)
    return {gate(fns[0], binary<graph::AddOp>(xw, matmul(h, w.rT))), Value()};
  case CellKind::Lstm: {
    Value gates = binary<graph::AddOp>(xw, matmul(h, w.rT));
    Value i = slice(gates, 1, 0, hidden);
    Value o = slice(gates, 1, hidden, hidden);
    Value f = slice(gates, 1, 2 * hidden, hidden);
    Value c = slice(gates, 1, 3 * hidden, hidden);
    if (w.pI)
      i = binary<graph::AddOp>(i, binary<graph::MulOp>(state.c, w.pI));
    i = gate(fns[0], i);
    if (attrs.inputForget) {
      f = binary<graph::SubOp>(one, i);
    } else {
      if (w.pF)
        f = binary<graph::AddOp>(f, binary<graph::MulOp>(state.c, w.pF));
      f = gate(fns[0], f);
    }
    c = gate(fns[1], c);
    Value cell = binary<graph::AddOp>(binary<graph::MulOp>(f, state.c),
                                      binary<graph::MulOp>(i, c));
    if (w.pO)
      o = binary<graph::AddOp>(o, binary<graph::MulOp>(cell, w.pO));
    o = gate(fns[0], o);
    return {binary<graph::MulOp>(o, activate(fns[2], cell)), cell};
  }
  case CellKind::Gru: {
    Value xwZr = slice(xw, 1, 0, 2 * hidden);
    Value xwH = slice(xw, 1, 2 * hidden, hidden);
    Value zr, hPre;
    if (attrs.linearBeforeReset) {
      // ht = g(Xt*(Wh^T) + (rt (.) (Ht-1*(Rh^T) + Rbh)) + Wbh)
      Value hr = matmul(h, w.rT);
      zr = binary<graph::AddOp>(xwZr, slice(hr, 1, 0, 2 * hidden));
      Value hh = slice(hr, 1, 2 * hidden, hidden);
      if (w.rbh)
        hh = binary<graph::AddOp>(hh, w.rbh);
      Value r = gate(fns[0], slice(zr, 1, hidden, hidden));
      hPre = binary<graph::AddOp>(xwH, binary<graph::MulOp>(r, hh));
    } else {
      // ht = g(Xt*(Wh^T) + (rt (.) Ht-1)*(Rh^T) + Rbh + Wbh)
      zr = binary<graph::AddOp>(xwZr, matmul(h, w.rTzr));
      Value r = gate(fns[0], slice(zr, 1, hidden, hidden));
      hPre =
          binary<graph::AddOp>(xwH, matmul(binary<graph::MulOp>(r, h), w.rTh));
    }
    Value z = gate(fns[0], slice(zr, 1, 0, hidden));
    Value hNew = gate(fns[1], hPre);
    // Ht = (1 - zt) (.) ht + zt (.) Ht-1
    return {binary<graph::AddOp>(
                binary<graph::MulOp>(binary<graph::SubOp>(one, z), hNew),
                binary<graph::MulOp>(z, h)),
            Value()};
  }
  }
  llvm_unreachable("unknown cell kind");
}

Unroller::DirectionResult Unroller::runDirection(int64_t d, bool reverse) {
  int64_t g = info.gates;
  // The input projection of every step, with the biases that add to it:
  // all of them, except GRU's Rbh under linear_before_reset.
  Value wT = transpose(direction(ctx.inputs[1], d), {1, 0});
  Value xw = matmul(reshape(x, {seqLength * batch, inputSize}), wT);
  if (getOptionalInput(ctx, 3)) {
    Value bias = direction(ctx.inputs[3], d);
    Value wb = slice(bias, 0, 0, g * hidden);
    Value rb = slice(bias, 0, g * hidden, g * hidden);
    Value sum;
    if (attrs.linearBeforeReset) {
      Value zr = binary<graph::AddOp>(slice(wb, 0, 0, 2 * hidden),
                                      slice(rb, 0, 0, 2 * hidden));
      sum = buildConcat(ctx, {zr, slice(wb, 0, 2 * hidden, hidden)}, 0);
    } else {
      sum = binary<graph::AddOp>(wb, rb);
    }
    xw = binary<graph::AddOp>(xw, sum);
  }

  Weights weights = getWeights(d);
  State state;
  state.h = initialH ? direction(initialH, d) : zeros;
  if (info.kind == CellKind::Lstm)
    state.c = initialC ? direction(initialC, d) : zeros;
  DirectionResult result;
  result.ys.resize(seqLength);
  Type lensElement = seqLens ? tensorType(seqLens).getElementType() : Type();
  for (int64_t s = 0; s < seqLength; ++s) {
    int64_t t = reverse ? seqLength - 1 - s : s;
    State next = step(weights, slice(xw, 0, t * batch, batch), state);
    if (!seqLens) {
      result.ys[t] = next.h;
      state = next;
      continue;
    }
    // Rows whose sequence ended (t >= sequence_lens) keep their state and
    // output zeros.
    Value index = buildIntConstant(ctx, {}, lensElement, {t});
    Value valid = b.create<graph::LessOp>(
        loc, RankedTensorType::get({batch}, b.getI1Type()), index, seqLens,
        /*is_unsigned=*/false);
    valid = reshape(valid, {batch, 1});
    auto select = [&](Value lhs, Value rhs) -> Value {
      return b.create<graph::WhereOp>(loc, lhs.getType(), valid, lhs, rhs);
    };
    result.ys[t] = select(next.h, zeros);
    state.h = select(next.h, state.h);
    if (state.c)
      state.c = select(next.c, state.c);
  }
  result.last = state;
  return result;
}

FailureOr<SmallVector<Value>> Unroller::run() {
  if (failed(checkInputs()))
    return failure();
  one = splat({}, 1.0);
  zeros = splat({batch, hidden}, 0.0);
  SmallVector<DirectionResult> results;
  if (attrs.numDirections == 2) {
    results.push_back(runDirection(0, /*reverse=*/false));
    results.push_back(runDirection(1, /*reverse=*/true));
  } else {
    results.push_back(runDirection(0, attrs.reverse));
  }
  int64_t numDirections = attrs.numDirections;
  auto wanted = [&](int index) {
    return ctx.node.output_size() > index && !ctx.node.output(index).empty();
  };
  SmallVector<Value> outputs(ctx.node.output_size());
  if (wanted(0)) {
    // seq_length x directions x batch x hidden.
    SmallVector<Value> perDirection;
    for (DirectionResult &result : results)
      perDirection.push_back(
          reshape(concatSteps(result.ys), {seqLength, 1, batch, hidden}));
    Value y = buildConcat(ctx, perDirection, 1);
    outputs[0] = attrs.batchMajor ? transpose(y, {2, 0, 1, 3}) : y;
  }
  // directions x batch x hidden.
  auto lastStates = [&](Value State::*member) {
    SmallVector<Value> states;
    for (DirectionResult &result : results)
      states.push_back(result.last.*member);
    Value stacked =
        reshape(buildConcat(ctx, states, 0), {numDirections, batch, hidden});
    return attrs.batchMajor ? transpose(stacked, {1, 0, 2}) : stacked;
  };
  if (wanted(1))
    outputs[1] = lastStates(&State::h);
  if (wanted(2)) {
    if (info.kind != CellKind::Lstm)
      return ctx.emitError()
             << "expected at most 2 outputs, got " << ctx.node.output_size();
    outputs[2] = lastStates(&State::c);
  }
  return outputs;
}

FailureOr<SmallVector<Value>> importRecurrent(NodeContext &ctx) {
  std::optional<CellInfo> info = getCellInfo(ctx.node);
  assert(info && "looked up for RNN, GRU and LSTM only");
  std::string error;
  std::optional<RecurrentAttrs> attrs =
      readAttrs(ctx.node, ctx.opset, *info, error);
  if (!attrs)
    return ctx.emitError() << error;
  return Unroller(ctx, *info, *attrs).run();
}

} // namespace

std::optional<std::string> onnx_import::checkRecurrentSupport(
    const onnx::NodeProto &node, int64_t opset,
    llvm::function_ref<int32_t(const std::string &)> dataTypeOf) {
  std::optional<CellInfo> info = getCellInfo(node);
  if (!info)
    return std::nullopt;
  if (opset < 1 || opset > 17)
    return std::string("unsupported opset (Ingot imports opsets 1 to 17)");
  for (auto [index, name] : llvm::enumerate(node.input())) {
    int32_t dataType = name.empty() ? 0 : dataTypeOf(name);
    if (dataType == 0)
      continue;
    // sequence_lens is an integer tensor, the rest floating point.
    bool ok = index == 4 ? dataType == onnx::TensorProto::INT32 ||
                               dataType == onnx::TensorProto::INT64
                         : isFloatDataType(dataType);
    if (!ok)
      return "unsupported dtype " + getDataTypeName(dataType) + " of '" + name +
             "' (expected " +
             (index == 4 ? "INT32 or INT64" : "a floating-point type") + ")";
  }
  std::string error;
  if (!readAttrs(node, opset, *info, error))
    return error;
  return std::string();
}

NodeImporter onnx_import::lookupRecurrentImporter(StringRef opType) {
  return llvm::StringSwitch<NodeImporter>(opType)
      .Cases("RNN", "GRU", "LSTM", importRecurrent)
      .Default(nullptr);
}
