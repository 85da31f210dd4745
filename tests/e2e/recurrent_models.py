"""Recurrent models (RNN, GRU, LSTM) for Ingot's end-to-end tests.

make_models.py imports this module. The numpy reference follows the formulas
of the ONNX specification (onnx/defs/rnn/defs.cc) step by step, in float64:
every direction, layout, clip, activation (with activation_alpha/beta),
GRU linear_before_reset, LSTM peepholes and input_forget, and sequence_lens
(rows whose sequence has ended keep their state and output zeros, as in
ONNX Runtime).
"""
import numpy as np
from onnx import TensorProto, helper, numpy_helper
import onnx

# Activation functions by lower-case name: (function, default alpha, beta).
ACTIVATIONS = {
    "relu": (lambda x, a, b: np.maximum(x, 0), None, None),
    "tanh": (lambda x, a, b: np.tanh(x), None, None),
    "sigmoid": (lambda x, a, b: 1 / (1 + np.exp(-x)), None, None),
    "softsign": (lambda x, a, b: x / (1 + np.abs(x)), None, None),
    "softplus": (lambda x, a, b: np.log1p(np.exp(x)), None, None),
    "leakyrelu": (lambda x, a, b: np.where(x >= 0, x, a * x), 0.01, None),
    "thresholdedrelu": (lambda x, a, b: np.where(x > a, x, 0), 1.0, None),
    "elu": (lambda x, a, b: np.where(x > 0, x, a * (np.exp(x) - 1)), 1.0,
            None),
    "hardsigmoid": (lambda x, a, b: np.clip(a * x + b, 0, 1), 0.2, 0.5),
    "affine": (lambda x, a, b: a * x + b, 1.0, 0.0),
    "scaledtanh": (lambda x, a, b: a * np.tanh(b * x), 1.0, 1.0),
}

DEFAULTS = {"RNN": ["Tanh"], "GRU": ["Sigmoid", "Tanh"],
            "LSTM": ["Sigmoid", "Tanh", "Tanh"]}
GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}


def activation_functions(op, directions, names=None, alphas=(), betas=()):
    """The activation functions of each direction, parameters bound."""
    names = [n.lower() for n in (names or DEFAULTS[op] * directions)]
    if directions == 2 and len(names) == len(DEFAULTS[op]):
        names = names * 2
    alphas, betas = list(alphas), list(betas)
    fns = []
    for name in names:
        fn, alpha, beta = ACTIVATIONS[name]
        if alpha is not None and alphas:
            alpha = alphas.pop(0)
        if beta is not None and betas:
            beta = betas.pop(0)
        fns.append(lambda x, fn=fn, a=alpha, b=beta: fn(x, a, b))
    per = len(DEFAULTS[op])
    return [fns[d * per:(d + 1) * per] for d in range(directions)]


def np_recurrent(op, x, w, r, b=None, seq_lens=None, h0=None, c0=None,
                 p=None, direction="forward", layout=0, clip=None,
                 activations=None, alphas=(), betas=(),
                 linear_before_reset=0, input_forget=0):
    """Y, Y_h and Y_c (LSTM) of RNN, GRU or LSTM, as float32."""
    x, w, r = (np.asarray(a, np.float64) for a in (x, w, r))
    if layout:
        x = x.swapaxes(0, 1)
        h0 = None if h0 is None else np.asarray(h0).swapaxes(0, 1)
        c0 = None if c0 is None else np.asarray(c0).swapaxes(0, 1)
    steps, batch, _ = x.shape
    dirs, _, hidden = r.shape
    g = GATES[op]
    b = np.zeros((dirs, 2 * g * hidden)) if b is None else np.asarray(
        b, np.float64)
    zeros = np.zeros((dirs, batch, hidden))
    h0 = zeros if h0 is None else np.asarray(h0, np.float64)
    c0 = zeros if c0 is None else np.asarray(c0, np.float64)
    p = np.zeros((dirs, 3 * hidden)) if p is None else np.asarray(
        p, np.float64)
    lens = np.full(batch, steps) if seq_lens is None else np.asarray(seq_lens)
    fns = activation_functions(op, dirs, activations, alphas, betas)
    cl = (lambda v: v) if clip is None else (
        lambda v: np.clip(v, -clip, clip))

    y = np.zeros((steps, dirs, batch, hidden))
    y_h = np.zeros((dirs, batch, hidden))
    y_c = np.zeros((dirs, batch, hidden))
    for d in range(dirs):
        reverse = direction == "reverse" or (direction == "bidirectional" and
                                             d == 1)
        wd, rd, fd = w[d], r[d], fns[d]
        wb, rb = b[d][:g * hidden], b[d][g * hidden:]
        h, c = h0[d], c0[d]
        order = range(steps - 1, -1, -1) if reverse else range(steps)
        for t in order:
            xt = x[t]
            if op == "RNN":
                h_new = fd[0](cl(xt @ wd.T + h @ rd.T + wb + rb))
                c_new = c
            elif op == "GRU":
                wz, wr, wh = np.split(wd, 3)
                rz, rr, rh = np.split(rd, 3)
                wbz, wbr, wbh = np.split(wb, 3)
                rbz, rbr, rbh = np.split(rb, 3)
                z = fd[0](cl(xt @ wz.T + h @ rz.T + wbz + rbz))
                rt = fd[0](cl(xt @ wr.T + h @ rr.T + wbr + rbr))
                if linear_before_reset:
                    ht = fd[1](cl(xt @ wh.T + rt * (h @ rh.T + rbh) + wbh))
                else:
                    ht = fd[1](cl(xt @ wh.T + (rt * h) @ rh.T + rbh + wbh))
                h_new = (1 - z) * ht + z * h
                c_new = c
            else:
                gates = xt @ wd.T + h @ rd.T + wb + rb
                i, o, f, cc = np.split(gates, 4, axis=-1)
                pi, po, pf = np.split(p[d], 3)
                i = fd[0](cl(i + pi * c))
                f = 1 - i if input_forget else fd[0](cl(f + pf * c))
                cc = fd[1](cl(cc))
                c_new = f * c + i * cc
                o = fd[0](cl(o + po * c_new))
                h_new = o * fd[2](c_new)
            valid = (t < lens)[:, None]
            y[t, d] = np.where(valid, h_new, 0)
            h = np.where(valid, h_new, h)
            c = np.where(valid, c_new, c)
        y_h[d], y_c[d] = h, c
    if layout:
        y = y.transpose(2, 0, 1, 3)
        y_h, y_c = y_h.swapaxes(0, 1), y_c.swapaxes(0, 1)
    out = [y.astype(np.float32), y_h.astype(np.float32)]
    if op == "LSTM":
        out.append(y_c.astype(np.float32))
    return out


def recurrent_model(name, node, inputs, outputs, initializers, opset):
    """A one-node model: `inputs` and `outputs` are (name, array) pairs."""
    def info(n, a):
        dtype = TensorProto.INT32 if a.dtype == np.int32 else TensorProto.FLOAT
        return helper.make_tensor_value_info(n, dtype, list(a.shape))
    graph = helper.make_graph(
        [node], name, [info(n, a) for n, a in inputs],
        [info(n, a) for n, a in outputs],
        initializer=[numpy_helper.from_array(a, n) for n, a in initializers])
    model = helper.make_model(graph, producer_name="ingot-e2e",
                              opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def build_lstm_bidirectional():
    """Bidirectional LSTM with biases, peepholes, initial states and run-time
    sequence lengths (one row shorter than the sequence); Y, Y_h, Y_c."""
    rng = np.random.default_rng(11)
    steps, batch, inp, hidden = 5, 3, 4, 6
    u = lambda *s: rng.uniform(-0.5, 0.5, size=s).astype(np.float32)
    x, w, r = u(steps, batch, inp), u(2, 4 * hidden, inp), u(2, 4 * hidden,
                                                             hidden)
    b, p = u(2, 8 * hidden), u(2, 3 * hidden)
    h0, c0 = u(2, batch, hidden), u(2, batch, hidden)
    lens = np.array([5, 3, 5], np.int32)
    node = helper.make_node(
        "LSTM", ["x", "w", "r", "b", "lens", "h0", "c0", "p"],
        ["y", "y_h", "y_c"], hidden_size=hidden, direction="bidirectional")
    outs = np_recurrent("LSTM", x, w, r, b, lens, h0, c0, p,
                        direction="bidirectional")
    model = recurrent_model(
        "lstm_bidirectional", node, [("x", x), ("lens", lens), ("h0", h0),
                                     ("c0", c0)],
        list(zip(["y", "y_h", "y_c"], outs)),
        [("w", w), ("r", r), ("b", b), ("p", p)], opset=13)
    return model, [x, lens, h0, c0], outs


def build_gru_batch_major():
    """Reverse GRU, opset 14 layout 1 (batch-major), linear_before_reset,
    clip and HardSigmoid/Tanh activations with explicit alpha/beta; 18
    steps, so that Y is concatenated in chunks of 16 steps."""
    rng = np.random.default_rng(12)
    steps, batch, inp, hidden = 18, 2, 3, 5
    u = lambda *s: rng.uniform(-1, 1, size=s).astype(np.float32)
    x, w, r = u(batch, steps, inp), u(1, 3 * hidden, inp), u(1, 3 * hidden,
                                                              hidden)
    b, h0 = u(1, 6 * hidden), u(batch, 1, hidden)
    attrs = dict(direction="reverse", layout=1, linear_before_reset=1,
                 clip=1.5, activations=["HardSigmoid", "Tanh"],
                 activation_alpha=[0.3], activation_beta=[0.4])
    node = helper.make_node("GRU", ["x", "w", "r", "b", "", "h0"],
                            ["y", "y_h"], hidden_size=hidden, **attrs)
    outs = np_recurrent("GRU", x, w, r, b, None, h0, direction="reverse",
                        layout=1, clip=1.5, activations=["HardSigmoid", "Tanh"],
                        alphas=[0.3], betas=[0.4], linear_before_reset=1)
    model = recurrent_model("gru_batch_major", node, [("x", x), ("h0", h0)],
                            list(zip(["y", "y_h"], outs)),
                            [("w", w), ("r", r), ("b", b)], opset=14)
    return model, [x, h0], outs


MODELS = {
    "lstm_bidirectional": build_lstm_bidirectional,
    "gru_batch_major": build_gru_batch_major,
}
