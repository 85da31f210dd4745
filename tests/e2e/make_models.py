#!/usr/bin/env python3
"""Builds small ONNX models for Ingot's end-to-end tests.

For each model NAME this writes, into --out:
  NAME.onnx        the model (opset 13, static shapes, f32)
  NAME.in<K>.npy   input K
  NAME.out<K>.npy  reference output K, computed independently with numpy

Every model uses a fixed numpy seed, so the files are reproducible. Values
are kept in a modest range so that a 1e-4 relative tolerance holds.

Models with a dynamic batch (dim_param 'N', the batch_* models) are written
once and their inputs and references at several batch sizes B:
  NAME.b<B>.in<K>.npy, NAME.b<B>.out<K>.npy   for B in BATCH_SIZES

Models with symbolic sizes (dim_params 'N' and 'S', the variant_* models of
variant_models.py) likewise, at every (N, S) of VARIANT_SIZES:
  NAME.n<N>.s<S>.in<K>.npy, NAME.n<N>.s<S>.out<K>.npy

Usage: make_models.py --out DIR NAME...   (NAME may be 'all')
"""
import argparse
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import recurrent_models

OPSET = 13
F32 = TensorProto.FLOAT


# --------------------------------------------------------------------------- #
# numpy references
# --------------------------------------------------------------------------- #
def np_relu(x):
    return np.maximum(x, 0).astype(np.float32)


def np_sigmoid(x):
    x = x.astype(np.float64)
    return (1.0 / (1.0 + np.exp(-x))).astype(np.float32)


def np_softmax(x, axis=-1):
    x = x.astype(np.float64)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return (e / np.sum(e, axis=axis, keepdims=True)).astype(np.float32)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def rand(rng, shape, scale=1.0):
    return f32(rng.uniform(-scale, scale, size=shape))


def f64(a):
    return np.asarray(a, dtype=np.float64)


# --------------------------------------------------------------------------- #
# Model building helpers
# --------------------------------------------------------------------------- #
def value_info(name, shape):
    return helper.make_tensor_value_info(name, F32, list(shape))


def make_model(name, nodes, inputs, outputs, initializers=()):
    graph = helper.make_graph(
        nodes, name,
        [value_info(n, a.shape) for n, a in inputs],
        [value_info(n, a.shape) for n, a in outputs],
        initializer=[numpy_helper.from_array(a, n) for n, a in initializers])
    model = helper.make_model(
        graph, producer_name="ingot-e2e",
        opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 7  # onnx 1.12 default is 8; 7 is enough for opset 13.
    onnx.checker.check_model(model)
    return model


def const_node(output, array):
    return helper.make_node(
        "Constant", [], [output],
        value=numpy_helper.from_array(np.asarray(array), output))


# --------------------------------------------------------------------------- #
# Models. Each returns (model, [inputs], [expected outputs]).
# --------------------------------------------------------------------------- #
def mlp_graph(rng, x):
    """MatMul + Add + Relu + MatMul + Add + Softmax on x [rows, 64] with
    weights drawn from rng: (nodes, initializers, numpy reference)."""
    w1 = rand(rng, (64, 32), 0.25)
    b1 = rand(rng, (32,), 0.1)
    w2 = rand(rng, (32, 10), 0.5)
    b2 = rand(rng, (10,), 0.1)
    nodes = [
        helper.make_node("MatMul", ["x", "w1"], ["h0"], name="fc1"),
        helper.make_node("Add", ["h0", "b1"], ["h1"], name="fc1_bias"),
        helper.make_node("Relu", ["h1"], ["h2"], name="relu1"),
        helper.make_node("MatMul", ["h2", "w2"], ["h3"], name="fc2"),
        helper.make_node("Add", ["h3", "b2"], ["logits"], name="fc2_bias"),
        helper.make_node("Softmax", ["logits"], ["y"], axis=-1, name="softmax"),
    ]
    h = np.maximum(f64(x) @ f64(w1) + f64(b1), 0)
    y = np_softmax(h @ f64(w2) + f64(b2), axis=-1)
    return nodes, [("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2)], y


def build_mlp():
    rng = np.random.default_rng(1)
    x = rand(rng, (2, 64))
    nodes, initializers, y = mlp_graph(rng, x)
    model = make_model("mlp", nodes, [("x", x)], [("y", y)], initializers)
    return model, [x], [y]


def build_gemm():
    rng = np.random.default_rng(2)
    a = rand(rng, (3, 8))
    b = rand(rng, (5, 8))          # transB=1: used as b^T (8x5)
    c = rand(rng, (5,))            # broadcast along rows
    alpha, beta = 0.5, 2.0
    nodes = [helper.make_node("Gemm", ["a", "b", "c"], ["y"], name="gemm",
                              alpha=alpha, beta=beta, transB=1)]
    y = f32(alpha * (f64(a) @ f64(b).T) + beta * f64(c))
    model = make_model("gemm", nodes, [("a", a)], [("y", y)],
                       [("b", b), ("c", c)])
    return model, [a], [y]


def build_elementwise():
    rng = np.random.default_rng(3)
    x = rand(rng, (3, 1, 4))
    # Second input, shape [4]: kept away from 0 because it is a divisor.
    z = f32(rng.uniform(0.5, 2.0, size=(4,)) * rng.choice([-1, 1], size=(4,)))
    k = f32(rng.uniform(-1, 1, size=(2, 4)))   # [2,4] initializer: -> [3,2,4]
    s = np.float32(1.5)                         # scalar Constant
    nodes = [
        const_node("s", f32(s)),                                     # shape []
        helper.make_node("Sub", ["x", "z"], ["t0"], name="sub"),     # [3,1,4]
        helper.make_node("Mul", ["t0", "k"], ["t1"], name="mul"),    # [3,2,4]
        helper.make_node("Div", ["t1", "z"], ["t2"], name="div"),    # [3,2,4]
        helper.make_node("Mul", ["t2", "s"], ["t3"], name="scale"),  # scalar
        helper.make_node("Sigmoid", ["t3"], ["t4"], name="sigmoid"),
        helper.make_node("Tanh", ["t3"], ["t5"], name="tanh"),
        helper.make_node("Add", ["t4", "t5"], ["y"], name="add"),
    ]
    t3 = (f64(x) - f64(z)) * f64(k) / f64(z) * float(s)
    y = f32(1.0 / (1.0 + np.exp(-t3)) + np.tanh(t3))
    model = make_model("elementwise", nodes, [("x", x), ("z", z)], [("y", y)],
                       [("k", k)])
    return model, [x, z], [y]


def build_shapes():
    rng = np.random.default_rng(4)
    x = rand(rng, (2, 3, 4))
    w = rand(rng, (12, 6), 0.5)
    nodes = [
        helper.make_node("Transpose", ["x"], ["t"], perm=[0, 2, 1],
                         name="transpose"),                             # [2,4,3]
        const_node("shape", np.array([2, -1, 6], dtype=np.int64)),
        helper.make_node("Reshape", ["t", "shape"], ["r"], name="reshape"),  # [2,2,6]
        helper.make_node("Flatten", ["r"], ["f"], axis=1, name="flatten"),   # [2,12]
        helper.make_node("MatMul", ["f", "w"], ["y"], name="matmul"),        # [2,6]
    ]
    f = np.transpose(x, (0, 2, 1)).reshape(2, -1, 6).reshape(2, -1)
    y = f32(f64(f) @ f64(w))
    model = make_model("shapes", nodes, [("x", x)], [("y", y)], [("w", w)])
    return model, [x], [y]


def build_softmax_axis():
    rng = np.random.default_rng(5)
    x = rand(rng, (2, 5, 3), 2.0)
    nodes = [helper.make_node("Softmax", ["x"], ["y"], axis=1, name="softmax")]
    y = np_softmax(x, axis=1)
    model = make_model("softmax_axis", nodes, [("x", x)], [("y", y)])
    return model, [x], [y]


def build_identity():
    rng = np.random.default_rng(6)
    x = rand(rng, (4, 6))
    nodes = [
        helper.make_node("Identity", ["x"], ["y"], name="identity"),
        helper.make_node("Relu", ["x"], ["r"], name="relu"),
    ]
    y = x.copy()
    r = np_relu(x)
    model = make_model("identity", nodes, [("x", x)], [("y", y), ("r", r)])
    return model, [x], [y, r]


def build_batched_matmul():
    rng = np.random.default_rng(7)
    a = rand(rng, (2, 3, 4))
    b = rand(rng, (4, 5))
    nodes = [helper.make_node("MatMul", ["a", "b"], ["y"], name="bmm")]
    y = f32(np.matmul(f64(a), f64(b)))
    model = make_model("batched_matmul", nodes, [("a", a)], [("y", y)],
                       [("b", b)])
    return model, [a], [y]


def build_unsupported():
    """Error-path model: two nodes Ingot does not support (RandomUniformLike,
    LRN)."""
    x = np.zeros((2, 4), dtype=np.float32)
    nodes = [
        helper.make_node("RandomUniformLike", ["x"], ["c"], name="my_random"),
        helper.make_node("Relu", ["c"], ["r"], name="fine_relu"),
        helper.make_node("LRN", ["r"], ["y"], name="my_lrn", size=3),
    ]
    model = make_model("unsupported", nodes, [("x", x)], [("y", x)])
    return model, [x], []


# --------------------------------------------------------------------------- #
# CNN and transformer building blocks (numpy references in float64)
# --------------------------------------------------------------------------- #
def np_pad_spatial(x, pads, value=0.0):
    top, left, bottom, right = pads
    return np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)),
                  constant_values=value)


def np_conv2d(x, w, b=None, strides=(1, 1), pads=(0, 0, 0, 0),
              dilations=(1, 1), group=1):
    """NCHW grouped convolution, as ONNX Conv defines it."""
    x = np_pad_spatial(f64(x), pads)
    w = f64(w)
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    oh = (h - ((kh - 1) * dilations[0] + 1)) // strides[0] + 1
    ow = (wd - ((kw - 1) * dilations[1] + 1)) // strides[1] + 1
    y = np.zeros((n, f, oh, ow))
    fg = f // group
    for g in range(group):
        xs = x[:, g * cg:(g + 1) * cg]
        ws = w[g * fg:(g + 1) * fg]
        for i in range(kh):
            for j in range(kw):
                r0, c0 = i * dilations[0], j * dilations[1]
                patch = xs[:, :, r0:r0 + strides[0] * (oh - 1) + 1:strides[0],
                           c0:c0 + strides[1] * (ow - 1) + 1:strides[1]]
                y[:, g * fg:(g + 1) * fg] += np.einsum(
                    "nchw,fc->nfhw", patch, ws[:, :, i, j])
    if b is not None:
        y += f64(b).reshape(1, -1, 1, 1)
    return y


def np_batch_norm(x, gamma, beta, mean, var, epsilon):
    """Inference BatchNormalization of NCHW x, per channel."""
    def c(v):
        return f64(v).reshape(1, -1, 1, 1)
    return (x - c(mean)) * (c(gamma) / np.sqrt(c(var) + epsilon)) + c(beta)


def np_maxpool(x, k, strides, pads):
    x = np_pad_spatial(f64(x), pads, -np.inf)
    n, c, h, w = x.shape
    oh = (h - k[0]) // strides[0] + 1
    ow = (w - k[1]) // strides[1] + 1
    y = np.full((n, c, oh, ow), -np.inf)
    for i in range(k[0]):
        for j in range(k[1]):
            y = np.maximum(y, x[:, :, i:i + strides[0] * (oh - 1) + 1:strides[0],
                                j:j + strides[1] * (ow - 1) + 1:strides[1]])
    return y


def np_erf(x):
    return np.vectorize(math.erf)(x)


def build_tiny_cnn():
    """Conv + BatchNormalization + Relu + MaxPool + strided Conv +
    GlobalAveragePool + Flatten + Gemm."""
    rng = np.random.default_rng(11)
    x = rand(rng, (1, 3, 16, 16))
    w1 = rand(rng, (8, 3, 3, 3), 0.4)
    b1 = rand(rng, (8,), 0.1)
    gamma = f32(rng.uniform(0.5, 1.5, 8))
    beta = rand(rng, (8,), 0.2)
    mean = rand(rng, (8,), 0.2)
    var = f32(rng.uniform(0.5, 2.0, 8))
    w2 = rand(rng, (16, 8, 3, 3), 0.2)
    wf = rand(rng, (10, 16), 0.5)
    bf = rand(rng, (10,), 0.1)
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization",
                         ["c1", "gamma", "beta", "mean", "var"], ["bn"],
                         epsilon=1e-3),
        helper.make_node("Relu", ["bn"], ["r1"]),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[3, 3],
                         strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["p1", "w2"], ["c2"], strides=[2, 2],
                         pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("GlobalAveragePool", ["r2"], ["gap"]),
        helper.make_node("Flatten", ["gap"], ["flat"]),
        helper.make_node("Gemm", ["flat", "wf", "bf"], ["y"], transB=1),
    ]
    h = np_conv2d(x, w1, b1, pads=(1, 1, 1, 1))
    h = np_batch_norm(h, gamma, beta, mean, var, 1e-3)
    h = np_maxpool(np.maximum(h, 0), (3, 3), (2, 2), (1, 1, 1, 1))
    h = np.maximum(np_conv2d(h, w2, strides=(2, 2), pads=(1, 1, 1, 1)), 0)
    y = h.mean(axis=(2, 3)) @ f64(wf).T + f64(bf)
    model = make_model("tiny_cnn", nodes, [("x", x)], [("y", y)],
                       [("w1", w1), ("b1", b1), ("gamma", gamma),
                        ("beta", beta), ("mean", mean), ("var", var),
                        ("w2", w2), ("wf", wf), ("bf", bf)])
    return model, [x], [y]


def build_depthwise_block():
    """MobileNet-style block: 1x1 expand + Clip(0, 6), depthwise 3x3 +
    Clip, grouped (group 2) 3x3 projection, residual Add, then a strided
    depthwise conv with auto_pad SAME_UPPER and dilation 2."""
    rng = np.random.default_rng(12)
    x = rand(rng, (1, 8, 12, 12))
    we = rand(rng, (16, 8, 1, 1), 0.5)
    be = rand(rng, (16,), 0.2)
    wd = rand(rng, (16, 1, 3, 3), 0.5)
    bd = rand(rng, (16,), 0.2)
    wp = rand(rng, (8, 8, 3, 3), 0.2)
    ws = rand(rng, (8, 1, 3, 3), 0.5)
    nodes = [
        const_node("lo", np.float32(0.0)),
        const_node("hi", np.float32(6.0)),
        helper.make_node("Conv", ["x", "we", "be"], ["e"]),
        helper.make_node("Clip", ["e", "lo", "hi"], ["e6"]),
        helper.make_node("Conv", ["e6", "wd", "bd"], ["d"], group=16,
                         pads=[1, 1, 1, 1]),
        helper.make_node("Clip", ["d", "lo", "hi"], ["d6"]),
        helper.make_node("Conv", ["d6", "wp"], ["p"], group=2,
                         pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["p", "x"], ["res"]),
        helper.make_node("Conv", ["res", "ws"], ["y"], group=8,
                         strides=[2, 2], dilations=[2, 2],
                         auto_pad="SAME_UPPER"),
    ]
    h = np.clip(np_conv2d(x, we, be), 0, 6)
    h = np.clip(np_conv2d(h, wd, bd, pads=(1, 1, 1, 1), group=16), 0, 6)
    h = np_conv2d(h, wp, pads=(1, 1, 1, 1), group=2) + f64(x)
    # SAME_UPPER, stride 2, extent 5 on 12: output 6, total pad 3 -> (1, 2).
    y = np_conv2d(h, ws, strides=(2, 2), dilations=(2, 2), pads=(1, 1, 2, 2),
                  group=8)
    model = make_model("depthwise_block", nodes, [("x", x)], [("y", y)],
                       [("we", we), ("be", be), ("wd", wd), ("bd", bd),
                        ("wp", wp), ("ws", ws)])
    return model, [x], [y]


def build_odd_pixels():
    """Convolutions over pixel counts without a whole-vector divisor (13x13
    = 169, 7x7 = 49: peeled register tiles), a bias-free stride-1 depthwise
    conv (the depthwise op is the kernel's root) and a strided depthwise
    conv with bias, all padded."""
    rng = np.random.default_rng(14)
    x = rand(rng, (1, 16, 13, 13))
    w1 = rand(rng, (32, 16, 3, 3), 0.3)
    b1 = rand(rng, (32,), 0.2)
    wd = rand(rng, (32, 1, 3, 3), 0.5)
    ws = rand(rng, (32, 1, 3, 3), 0.5)
    bs = rand(rng, (32,), 0.2)
    wp = rand(rng, (16, 32, 1, 1), 0.3)
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("Conv", ["r", "wd"], ["d"], group=32,
                         pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["d", "ws", "bs"], ["s"], group=32,
                         strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["s", "wp"], ["y"]),
    ]
    h = np_relu(np_conv2d(x, w1, b1, pads=(1, 1, 1, 1)))
    h = np_conv2d(h, wd, pads=(1, 1, 1, 1), group=32)
    h = np_conv2d(h, ws, bs, strides=(2, 2), pads=(1, 1, 1, 1), group=32)
    y = np_conv2d(h, wp)
    model = make_model("odd_pixels", nodes, [("x", x)], [("y", y)],
                       [("w1", w1), ("b1", b1), ("wd", wd), ("ws", ws),
                        ("bs", bs), ("wp", wp)])
    return model, [x], [y]


def build_tiny_transformer():
    """One encoder layer as PyTorch exports it: fused QKV projection split
    by Slice with bounds computed from Shape/Gather/Add/Div/Mul, two-head
    softmax attention, residual, decomposed LayerNorm (ReduceMean, Sub,
    Pow, Sqrt, Div) and an Erf GELU feed-forward."""
    rng = np.random.default_rng(13)
    s, d, heads, hd, ff = 16, 32, 2, 16, 64
    x = rand(rng, (1, s, d))
    wqkv = rand(rng, (d, 3 * d), 0.3)
    bqkv = rand(rng, (3 * d,), 0.1)
    wo = rand(rng, (d, d), 0.3)
    bo = rand(rng, (d,), 0.1)
    gamma = f32(rng.uniform(0.5, 1.5, d))
    beta = rand(rng, (d,), 0.1)
    w1 = rand(rng, (d, ff), 0.3)
    b1 = rand(rng, (ff,), 0.1)
    w2 = rand(rng, (ff, d), 0.3)
    b2 = rand(rng, (d,), 0.1)
    i64 = lambda v: np.asarray(v, dtype=np.int64)
    nodes = [
        helper.make_node("MatMul", ["x", "wqkv"], ["qkv0"]),
        helper.make_node("Add", ["bqkv", "qkv0"], ["qkv"]),
        # third = (shape[-1] + 2) / 3; q, k, v = qkv[..., i*third:(i+1)*third]
        helper.make_node("Shape", ["qkv"], ["shape"]),
        const_node("last", i64([-1])),
        helper.make_node("Gather", ["shape", "last"], ["width"], axis=0),
        const_node("two", i64([2])),
        const_node("three", i64([3])),
        const_node("one", i64([1])),
        const_node("zero", i64([0])),
        helper.make_node("Add", ["width", "two"], ["w2p"]),
        helper.make_node("Div", ["w2p", "three"], ["third"]),
        helper.make_node("Mul", ["third", "one"], ["e0"]),
        helper.make_node("Mul", ["third", "two"], ["e1"]),
        helper.make_node("Mul", ["third", "three"], ["e2"]),
        helper.make_node("Slice", ["qkv", "zero", "e0", "last"], ["q"]),
        helper.make_node("Slice", ["qkv", "e0", "e1", "last"], ["k"]),
        helper.make_node("Slice", ["qkv", "e1", "e2", "last"], ["v"]),
        const_node("heads_shape", i64([1, s, heads, hd])),
        helper.make_node("Reshape", ["q", "heads_shape"], ["q4"]),
        helper.make_node("Reshape", ["k", "heads_shape"], ["k4"]),
        helper.make_node("Reshape", ["v", "heads_shape"], ["v4"]),
        helper.make_node("Transpose", ["q4"], ["qt"], perm=[0, 2, 1, 3]),
        helper.make_node("Transpose", ["k4"], ["kt"], perm=[0, 2, 3, 1]),
        helper.make_node("Transpose", ["v4"], ["vt"], perm=[0, 2, 1, 3]),
        const_node("scale", np.float32(4.0)),
        helper.make_node("Div", ["qt", "scale"], ["qs"]),
        helper.make_node("MatMul", ["qs", "kt"], ["scores"]),
        helper.make_node("Softmax", ["scores"], ["probs"], axis=-1),
        helper.make_node("MatMul", ["probs", "vt"], ["ctx"]),
        helper.make_node("Transpose", ["ctx"], ["ctxt"], perm=[0, 2, 1, 3]),
        const_node("model_shape", i64([1, s, d])),
        helper.make_node("Reshape", ["ctxt", "model_shape"], ["ctx3"]),
        helper.make_node("MatMul", ["ctx3", "wo"], ["o0"]),
        helper.make_node("Add", ["o0", "bo"], ["o"]),
        helper.make_node("Add", ["x", "o"], ["h"]),
        # LayerNorm, decomposed.
        helper.make_node("ReduceMean", ["h"], ["mu"], axes=[-1]),
        helper.make_node("Sub", ["h", "mu"], ["dev"]),
        const_node("p2", np.float32(2.0)),
        helper.make_node("Pow", ["dev", "p2"], ["sq"]),
        helper.make_node("ReduceMean", ["sq"], ["varr"], axes=[-1]),
        const_node("eps", np.float32(1e-5)),
        helper.make_node("Add", ["varr", "eps"], ["vareps"]),
        helper.make_node("Sqrt", ["vareps"], ["std"]),
        helper.make_node("Div", ["dev", "std"], ["nrm"]),
        helper.make_node("Mul", ["nrm", "gamma"], ["nrmg"]),
        helper.make_node("Add", ["nrmg", "beta"], ["ln"]),
        # GELU feed-forward.
        helper.make_node("MatMul", ["ln", "w1"], ["f0"]),
        helper.make_node("Add", ["f0", "b1"], ["f1"]),
        const_node("sqrt2", np.float32(math.sqrt(2.0))),
        helper.make_node("Div", ["f1", "sqrt2"], ["f1s"]),
        helper.make_node("Erf", ["f1s"], ["erf"]),
        const_node("onef", np.float32(1.0)),
        helper.make_node("Add", ["erf", "onef"], ["erf1"]),
        helper.make_node("Mul", ["f1", "erf1"], ["g0"]),
        const_node("half", np.float32(0.5)),
        helper.make_node("Mul", ["g0", "half"], ["gelu"]),
        helper.make_node("MatMul", ["gelu", "w2"], ["f2"]),
        helper.make_node("Add", ["f2", "b2"], ["f3"]),
        helper.make_node("Add", ["ln", "f3"], ["y"]),
    ]
    qkv = f64(x) @ f64(wqkv) + f64(bqkv)
    q, k, v = (qkv[..., i * d:(i + 1) * d].reshape(1, s, heads, hd)
               for i in range(3))
    q, v = q.transpose(0, 2, 1, 3), v.transpose(0, 2, 1, 3)
    k = k.transpose(0, 2, 3, 1)
    p = np_softmax((q / 4.0) @ k, axis=-1).astype(np.float64)
    ctx = (p @ v).transpose(0, 2, 1, 3).reshape(1, s, d)
    h = f64(x) + ctx @ f64(wo) + f64(bo)
    mu = h.mean(axis=-1, keepdims=True)
    var = ((h - mu) ** 2).mean(axis=-1, keepdims=True)
    ln = (h - mu) / np.sqrt(var + 1e-5) * f64(gamma) + f64(beta)
    f1 = ln @ f64(w1) + f64(b1)
    gelu = 0.5 * f1 * (1 + np_erf(f1 / math.sqrt(2.0)))
    y = ln + gelu @ f64(w2) + f64(b2)
    model = make_model("tiny_transformer", nodes, [("x", x)], [("y", y)],
                       [("wqkv", wqkv), ("bqkv", bqkv), ("wo", wo),
                        ("bo", bo), ("gamma", gamma), ("beta", beta),
                        ("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2)])
    return model, [x], [y]


def build_embedding():
    """Token embedding Gather on int64 ids (one negative) plus a position
    embedding Gather with constant indices."""
    rng = np.random.default_rng(14)
    ids = np.asarray([[3, 0, 19, -1, 7]], dtype=np.int64)
    table = rand(rng, (20, 8))
    pos = rand(rng, (6, 8), 0.5)
    nodes = [
        helper.make_node("Gather", ["table", "ids"], ["tok"], axis=0),
        const_node("positions", np.arange(5, dtype=np.int64)),
        helper.make_node("Gather", ["pos", "positions"], ["pe"], axis=0),
        helper.make_node("Add", ["tok", "pe"], ["y"]),
    ]
    y = f64(table)[ids] + f64(pos)[np.arange(5)]
    graph = helper.make_graph(
        nodes, "embedding",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, ids.shape)],
        [value_info("y", y.shape)],
        initializer=[numpy_helper.from_array(table, "table"),
                     numpy_helper.from_array(pos, "pos")])
    model = helper.make_model(
        graph, producer_name="ingot-e2e",
        opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model, [ids], [y]


def build_sequence_positions(pos_insert, pos_erase, pos_at):
    """Sequence ops with run-time positions: SequenceConstruct of three
    tensors, SequenceInsert, SequenceErase and SequenceAt at positions given
    as int64 inputs, then ConcatFromSequence (new_axis) of the result.
    Positions out of ONNX's range are clamped into it, as Ingot documents
    (after adding the length to a negative one)."""
    def build():
        rng = np.random.default_rng(15)
        xs = [rand(rng, (2, 3)) for _ in range(3)]
        t = rand(rng, (2, 3))

        def clamp(p, n, limit):
            p = p + n if p < 0 else p
            return min(max(p, 0), limit)

        seq = list(xs)
        seq.insert(clamp(pos_insert, len(seq), len(seq)), t)
        del seq[clamp(pos_erase, len(seq), len(seq) - 1)]
        at = seq[clamp(pos_at, len(seq), len(seq) - 1)]
        stacked = np.stack(seq, axis=0)
        nodes = [
            helper.make_node("SequenceConstruct", ["x0", "x1", "x2"], ["s"]),
            helper.make_node("SequenceInsert", ["s", "t", "pi"], ["s1"]),
            helper.make_node("SequenceErase", ["s1", "pe"], ["s2"]),
            helper.make_node("SequenceAt", ["s2", "pa"], ["at"]),
            helper.make_node("ConcatFromSequence", ["s2"], ["all"], axis=0,
                             new_axis=1),
        ]
        positions = [np.asarray(p, dtype=np.int64)
                     for p in (pos_insert, pos_erase, pos_at)]
        graph = helper.make_graph(
            nodes, "sequence_positions",
            [value_info(n, (2, 3)) for n in ("x0", "x1", "x2", "t")] +
            [helper.make_tensor_value_info(n, TensorProto.INT64, [])
             for n in ("pi", "pe", "pa")],
            [value_info("at", at.shape), value_info("all", stacked.shape)])
        model = helper.make_model(
            graph, producer_name="ingot-e2e",
            opset_imports=[helper.make_opsetid("", OPSET)])
        model.ir_version = 7
        onnx.checker.check_model(model)
        return model, xs + [t] + positions, [at, stacked]
    return build

def np_quantize(x, scale, zero_point):
    """ONNX QuantizeLinear in f32: saturate(round_half_even(x / scale) + zp)."""
    info = np.iinfo(zero_point.dtype)
    q = np.rint(f32(x) / scale) + f32(zero_point)
    return np.clip(q, info.min, info.max).astype(zero_point.dtype)


def np_requantize(acc, multiplier, zero_point):
    """ONNX Runtime's requantization of an int32 accumulator in f32."""
    info = np.iinfo(zero_point.dtype)
    q = np.rint(acc.astype(np.float32) * multiplier) + f32(zero_point)
    return np.clip(q, info.min, info.max).astype(zero_point.dtype)


def build_quantized():
    """QuantizeLinear (with exact ties) -> QLinearMatMul (uint8 weights up
    to 255) -> DequantizeLinear, and QuantizeLinear (int8) -> QLinearConv (int8 weights
    with per-channel scales and zero points, int32 bias); the int8 weights are
    also dequantized per channel. Integer outputs (the quantized input too)
    compare exactly."""
    rng = np.random.default_rng(15)
    x = rand(rng, (2, 8), 2.0)
    sx, zx = np.float32(1 / 64), np.uint8(128)
    # Exact ties of x / sx round half to even (126.5 -> 126, -2.5 -> -2).
    x[0] = f32([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 126.5, -128.5]) * sx
    w = rng.integers(0, 256, size=(8, 4)).astype(np.uint8)
    sw, zw = np.float32(0.004), np.uint8(120)
    sy, zy = np.float32(0.05), np.uint8(100)
    img = rand(rng, (1, 2, 5, 5), 3.0)
    si, zi = np.float32(0.03), np.int8(-3)
    k = rng.integers(-128, 128, size=(3, 2, 3, 3)).astype(np.int8)
    sk = f32([0.002, 0.003, 0.0025])
    zk = np.asarray([0, 2, -1], dtype=np.int8)
    bias = np.asarray([100, -250, 7], dtype=np.int32)
    sc, zc = np.float32(0.08), np.int8(5)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["qx"]),
        helper.make_node("QLinearMatMul",
                         ["qx", "sx", "zx", "w", "sw", "zw", "sy", "zy"],
                         ["yq"]),
        helper.make_node("DequantizeLinear", ["yq", "sy", "zy"], ["y"]),
        helper.make_node("QuantizeLinear", ["img", "si", "zi"], ["qi"]),
        helper.make_node("QLinearConv",
                         ["qi", "si", "zi", "k", "sk", "zk", "sc", "zc",
                          "bias"], ["yc"], pads=[1, 1, 1, 1]),
        helper.make_node("DequantizeLinear", ["k", "sk", "zk"], ["kf"],
                         axis=0),
    ]
    qx = np_quantize(x, sx, zx)
    acc = (qx.astype(np.int64) - int(zx)) @ (w.astype(np.int64) - int(zw))
    yq = np_requantize(acc, np.float32(sx * sw) / sy, zy)
    y = (yq.astype(np.int64) - int(zy)).astype(np.float32) * sy
    qi = np_quantize(img, si, zi)
    conv = np_conv2d(qi.astype(np.int64) - int(zi),
                     k.astype(np.int64) - zk.astype(np.int64).reshape(3, 1, 1, 1),
                     bias, pads=(1, 1, 1, 1)).astype(np.int64)
    yc = np_requantize(conv, (si * sk / sc).reshape(1, 3, 1, 1), zc)
    kf = ((k.astype(np.int64) - zk.astype(np.int64).reshape(3, 1, 1, 1))
          .astype(np.float32) * sk.reshape(3, 1, 1, 1))
    scalars = [("sx", sx), ("zx", zx), ("sw", sw), ("zw", zw), ("sy", sy),
               ("zy", zy), ("si", si), ("zi", zi), ("sc", sc), ("zc", zc)]
    graph = helper.make_graph(
        nodes, "quantized",
        [value_info("x", x.shape), value_info("img", img.shape)],
        [helper.make_tensor_value_info("yq", TensorProto.UINT8, yq.shape),
         value_info("y", y.shape),
         helper.make_tensor_value_info("yc", TensorProto.INT8, yc.shape),
         value_info("kf", kf.shape),
         helper.make_tensor_value_info("qx", TensorProto.UINT8, qx.shape)],
        initializer=[numpy_helper.from_array(np.asarray(a), n)
                     for n, a in scalars + [("w", w), ("k", k), ("sk", sk),
                                            ("zk", zk), ("bias", bias)]])
    model = helper.make_model(
        graph, producer_name="ingot-e2e",
        opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model, [x, img], [yq, y, yc, kf, qx]

# --------------------------------------------------------------------------- #
# Models with a dynamic batch. Each builder takes the batch size n and returns
# (model, inputs, outputs); the model and its weights do not depend on n.
# --------------------------------------------------------------------------- #
BATCH_SIZES = (1, 3, 8)


def batched_model(name, nodes, inputs, outputs, initializers=(), opset=OPSET):
    """Like make_model, with dim 0 of every input and output named 'N'."""
    def info(n, a):
        elem = (TensorProto.INT64 if np.issubdtype(a.dtype, np.integer)
                else F32)
        return helper.make_tensor_value_info(n, elem,
                                             ["N"] + list(a.shape[1:]))
    graph = helper.make_graph(
        nodes, name, [info(n, a) for n, a in inputs],
        [info(n, a) for n, a in outputs],
        initializer=[numpy_helper.from_array(a, n) for n, a in initializers])
    model = helper.make_model(
        graph, producer_name="ingot-e2e",
        opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def build_batch_mlp(n):
    """The MLP of build_mlp with a dynamic batch."""
    x = rand(np.random.default_rng(100 + n), (n, 64))
    nodes, initializers, y = mlp_graph(np.random.default_rng(21), x)
    model = batched_model("batch_mlp", nodes, [("x", x)], [("y", y)],
                          initializers)
    return model, [x], [y]


def build_batch_cnn(n):
    """Conv + BatchNormalization + Relu + MaxPool + Flatten + Gemm with a
    dynamic batch."""
    rng = np.random.default_rng(22)
    w1 = rand(rng, (8, 3, 3, 3), 0.4)
    b1 = rand(rng, (8,), 0.1)
    gamma = f32(rng.uniform(0.5, 1.5, 8))
    beta = rand(rng, (8,), 0.2)
    mean = rand(rng, (8,), 0.2)
    var = f32(rng.uniform(0.5, 2.0, 8))
    wf = rand(rng, (10, 8 * 4 * 4), 0.2)
    bf = rand(rng, (10,), 0.1)
    x = rand(np.random.default_rng(200 + n), (n, 3, 8, 8))
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization",
                         ["c1", "gamma", "beta", "mean", "var"], ["bn"],
                         epsilon=1e-3),
        helper.make_node("Relu", ["bn"], ["r1"]),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2],
                         strides=[2, 2]),
        helper.make_node("Flatten", ["p1"], ["flat"]),
        helper.make_node("Gemm", ["flat", "wf", "bf"], ["y"], transB=1),
    ]
    h = np_conv2d(x, w1, b1, pads=(1, 1, 1, 1))
    h = np_batch_norm(h, gamma, beta, mean, var, 1e-3)
    h = np_maxpool(np.maximum(h, 0), (2, 2), (2, 2), (0, 0, 0, 0))
    y = h.reshape(n, -1) @ f64(wf).T + f64(bf)
    model = batched_model("batch_cnn", nodes, [("x", x)], [("y", y)],
                          [("w1", w1), ("b1", b1), ("gamma", gamma),
                           ("beta", beta), ("mean", mean), ("var", var),
                           ("wf", wf), ("bf", bf)])
    return model, [x], [y]


def build_batch_transformer(n):
    """A transformer block with a dynamic batch as exporters write it: the
    input flattened to [N*S, D] by a Reshape whose shape is computed from
    Shape/Gather/Mul/Concat, a fused QKV projection split in three, heads
    by Reshape to [N, S, H, hd] (computed shape) and Transpose, softmax
    attention, residual, LayerNormalization, and a Reshape back to [N, S, D]
    with a -1 batch."""
    rng = np.random.default_rng(23)
    s, d, heads, hd = 6, 16, 2, 8
    wqkv = rand(rng, (d, 3 * d), 0.3)
    bqkv = rand(rng, (3 * d,), 0.1)
    wo = rand(rng, (d, d), 0.3)
    bo = rand(rng, (d,), 0.1)
    gamma = f32(rng.uniform(0.5, 1.5, d))
    beta = rand(rng, (d,), 0.1)
    x = rand(np.random.default_rng(300 + n), (n, s, d))
    i64 = lambda v: np.asarray(v, dtype=np.int64)
    nodes = [
        helper.make_node("Shape", ["x"], ["xshape"]),
        const_node("i0", i64(0)),
        const_node("i1", i64(1)),
        const_node("ax0", i64([0])),
        helper.make_node("Gather", ["xshape", "i0"], ["n"], axis=0),
        helper.make_node("Gather", ["xshape", "i1"], ["seq"], axis=0),
        helper.make_node("Mul", ["n", "seq"], ["ns"]),
        helper.make_node("Unsqueeze", ["ns", "ax0"], ["ns1"]),
        helper.make_node("Unsqueeze", ["n", "ax0"], ["n1"]),
        const_node("dvec", i64([d])),
        helper.make_node("Concat", ["ns1", "dvec"], ["flat_shape"], axis=0),
        helper.make_node("Reshape", ["x", "flat_shape"], ["x2"],
                         name="flatten_rows"),
        helper.make_node("MatMul", ["x2", "wqkv"], ["qkv0"]),
        helper.make_node("Add", ["qkv0", "bqkv"], ["qkv"]),
        const_node("splits", i64([d, d, d])),
        helper.make_node("Split", ["qkv", "splits"], ["q", "k", "v"], axis=1),
        const_node("heads_tail", i64([s, heads, hd])),
        helper.make_node("Concat", ["n1", "heads_tail"], ["heads_shape"],
                         axis=0),
        helper.make_node("Reshape", ["q", "heads_shape"], ["q4"]),
        helper.make_node("Reshape", ["k", "heads_shape"], ["k4"]),
        helper.make_node("Reshape", ["v", "heads_shape"], ["v4"]),
        helper.make_node("Transpose", ["q4"], ["qt"], perm=[0, 2, 1, 3]),
        helper.make_node("Transpose", ["k4"], ["kt"], perm=[0, 2, 3, 1]),
        helper.make_node("Transpose", ["v4"], ["vt"], perm=[0, 2, 1, 3]),
        const_node("scale", np.float32(math.sqrt(hd))),
        helper.make_node("Div", ["qt", "scale"], ["qs"]),
        helper.make_node("MatMul", ["qs", "kt"], ["scores"]),
        helper.make_node("Softmax", ["scores"], ["probs"], axis=-1),
        helper.make_node("MatMul", ["probs", "vt"], ["ctx"]),
        helper.make_node("Transpose", ["ctx"], ["ctxt"], perm=[0, 2, 1, 3]),
        helper.make_node("Reshape", ["ctxt", "flat_shape"], ["ctx2"]),
        helper.make_node("MatMul", ["ctx2", "wo"], ["o0"]),
        helper.make_node("Add", ["o0", "bo"], ["o"]),
        helper.make_node("Add", ["x2", "o"], ["h"]),
        helper.make_node("LayerNormalization", ["h", "gamma", "beta"], ["ln"],
                         axis=-1, epsilon=1e-5),
        const_node("out_shape", i64([-1, s, d])),
        helper.make_node("Reshape", ["ln", "out_shape"], ["y"]),
    ]
    x2 = f64(x).reshape(n * s, d)
    qkv = x2 @ f64(wqkv) + f64(bqkv)
    q, k, v = (qkv[:, i * d:(i + 1) * d].reshape(n, s, heads, hd)
               for i in range(3))
    q, v = q.transpose(0, 2, 1, 3), v.transpose(0, 2, 1, 3)
    k = k.transpose(0, 2, 3, 1)
    p = np_softmax((q / math.sqrt(hd)) @ k, axis=-1).astype(np.float64)
    ctx = (p @ v).transpose(0, 2, 1, 3).reshape(n * s, d)
    h = x2 + ctx @ f64(wo) + f64(bo)
    mu = h.mean(axis=-1, keepdims=True)
    var = ((h - mu) ** 2).mean(axis=-1, keepdims=True)
    y = ((h - mu) / np.sqrt(var + 1e-5) * f64(gamma) + f64(beta))
    y = y.reshape(n, s, d)
    model = batched_model("batch_transformer", nodes, [("x", x)], [("y", y)],
                          [("wqkv", wqkv), ("bqkv", bqkv), ("wo", wo),
                           ("bo", bo), ("gamma", gamma), ("beta", beta)],
                          opset=17)
    return model, [x], [y]


def build_batch_two(n):
    """Two batched inputs added: both must have the same batch size."""
    rng = np.random.default_rng(400 + n)
    a, b = rand(rng, (n, 4)), rand(rng, (n, 4))
    nodes = [helper.make_node("Add", ["a", "b"], ["y"])]
    model = batched_model("batch_two", nodes, [("a", a), ("b", b)],
                          [("y", f64(a) + f64(b))])
    return model, [a, b], [f64(a) + f64(b)]


def build_batch_reduce(n):
    """Rejected: ReduceSum over the batch dimension."""
    x = rand(np.random.default_rng(500 + n), (n, 4))
    nodes = [
        helper.make_node("ReduceSum", ["x"], ["r"], keepdims=1,
                         name="sum_over_batch"),
        helper.make_node("Add", ["x", "r"], ["y"]),
    ]
    y = f64(x) + f64(x).sum(axis=0, keepdims=True)
    const = [helper.make_node("Constant", [], ["axes"],
                              value=numpy_helper.from_array(
                                  np.asarray([0], np.int64), "axes"))]
    nodes[0].input.append("axes")
    return batched_model("batch_reduce", const + nodes, [("x", x)],
                         [("y", y)]), [x], [y]


def build_batch_as_data(n):
    """Rejected: the batch size (from Shape) added to the data."""
    x = rand(np.random.default_rng(600 + n), (n, 4))
    nodes = [
        helper.make_node("Shape", ["x"], ["xs"]),
        const_node("zero", np.asarray(0, np.int64)),
        helper.make_node("Gather", ["xs", "zero"], ["n"], axis=0),
        helper.make_node("Cast", ["n"], ["nf"], to=F32),
        helper.make_node("Add", ["x", "nf"], ["y"], name="add_batch_size"),
    ]
    y = f64(x) + n
    return batched_model("batch_as_data", nodes, [("x", x)],
                         [("y", y)]), [x], [y]


def build_batch_fixed_reshape(n):
    """Rejected: a Reshape to a constant shape that bakes in batch 1."""
    x = rand(np.random.default_rng(700 + n), (n, 2, 3))
    nodes = [
        const_node("shape", np.asarray([1, 6], np.int64)),
        helper.make_node("Reshape", ["x", "shape"], ["y"], name="fixed"),
    ]
    y = f64(x).reshape(n, 6)
    return batched_model("batch_fixed_reshape", nodes, [("x", x)],
                         [("y", y)]), [x], [y]


BATCH_MODELS = {
    "batch_mlp": build_batch_mlp,
    "batch_cnn": build_batch_cnn,
    "batch_transformer": build_batch_transformer,
    "batch_two": build_batch_two,
    "batch_reduce": build_batch_reduce,
    "batch_as_data": build_batch_as_data,
    "batch_fixed_reshape": build_batch_fixed_reshape,
}


MODELS = {
    "mlp": build_mlp,
    "gemm": build_gemm,
    "elementwise": build_elementwise,
    "shapes": build_shapes,
    "softmax_axis": build_softmax_axis,
    "identity": build_identity,
    "batched_matmul": build_batched_matmul,
    "unsupported": build_unsupported,
    "tiny_cnn": build_tiny_cnn,
    "depthwise_block": build_depthwise_block,
    "odd_pixels": build_odd_pixels,
    "tiny_transformer": build_tiny_transformer,
    "embedding": build_embedding,
    # In range: insert at 1, erase the last, read the one before it.
    "sequence_positions": build_sequence_positions(1, -1, -2),
    # In range from the back: insert in front (-3), erase 2, read 0.
    "sequence_positions_front": build_sequence_positions(-3, 2, 0),
    # Out of range, clamped: append (9), erase the first (-7), read the
    # last (5).
    "sequence_positions_clamped": build_sequence_positions(9, -7, 5),
    "quantized": build_quantized,
    # RNN, GRU and LSTM (recurrent_models.py).
    **recurrent_models.MODELS,
}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--external-data", action="store_true",
                        help="store initializers in a side file (<name>.data)")
    parser.add_argument("names", nargs="+", metavar="NAME",
                        help="models to build: %s, or all" % ", ".join(MODELS))
    args = parser.parse_args(argv)
    # Imported here: variant_models imports this module's helpers.
    from variant_models import VARIANT_MODELS, VARIANT_SIZES
    known = list(MODELS) + list(BATCH_MODELS) + list(VARIANT_MODELS)
    names = known if args.names == ["all"] else args.names
    unknown = [n for n in names if n not in known]
    if unknown:
        parser.error("unknown model(s): %s (known: %s)" %
                     (", ".join(unknown), ", ".join(known)))
    os.makedirs(args.out, exist_ok=True)
    for name in names:
        if name in VARIANT_MODELS:
            for n, s in VARIANT_SIZES:
                model, inputs, outputs = VARIANT_MODELS[name](n, s)
                for k, a in enumerate(inputs):
                    np.save(os.path.join(args.out, "%s.n%d.s%d.in%d.npy" %
                                         (name, n, s, k)), a)
                for k, a in enumerate(outputs):
                    np.save(os.path.join(args.out, "%s.n%d.s%d.out%d.npy" %
                                         (name, n, s, k)), f32(a))
            onnx.save(model, os.path.join(args.out, name + ".onnx"))
            continue
        if name in BATCH_MODELS:
            for b in BATCH_SIZES:
                model, inputs, outputs = BATCH_MODELS[name](b)
                for k, a in enumerate(inputs):
                    np.save(os.path.join(args.out, "%s.b%d.in%d.npy" %
                                         (name, b, k)), a)
                for k, a in enumerate(outputs):
                    np.save(os.path.join(args.out, "%s.b%d.out%d.npy" %
                                         (name, b, k)), f32(a))
            onnx.save(model, os.path.join(args.out, name + ".onnx"))
            continue
        model, inputs, outputs = MODELS[name]()
        if args.external_data:
            onnx.save(model, os.path.join(args.out, name + ".onnx"),
                      save_as_external_data=True, all_tensors_to_one_file=True,
                      location=name + ".data", size_threshold=0)
        else:
            onnx.save(model, os.path.join(args.out, name + ".onnx"))
        for k, a in enumerate(inputs):
            # Integer inputs (ids) keep their dtype.
            if not np.issubdtype(np.asarray(a).dtype, np.integer):
                a = f32(a)
            np.save(os.path.join(args.out, "%s.in%d.npy" % (name, k)), a)
        for k, a in enumerate(outputs):
            # Integer outputs (quantized tensors) keep their dtype.
            if not np.issubdtype(np.asarray(a).dtype, np.integer):
                a = f32(a)
            np.save(os.path.join(args.out, "%s.out%d.npy" % (name, k)), a)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
