"""Models with symbolic sizes for Ingot's size-variant tests (imported by
make_models.py, which writes them).

A variant model has dim_params 'N' (the batch) and 'S' (the sequence
length); make_models.py writes it once and its inputs and numpy references
at every (N, S) in VARIANT_SIZES:
  NAME.n<N>.s<S>.in<K>.npy, NAME.n<N>.s<S>.out<K>.npy
"""
import math

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from make_models import F32, f32, f64, np_softmax, rand

# (N, S) pairs: tests compile S in {4, 8}; (2, 6) checks the refusal of a
# size that was not compiled.
VARIANT_SIZES = ((1, 4), (3, 8), (8, 4), (2, 6))


def build_variant_transformer(n, s):
    """A one-head transformer block over [N, S] token ids: embedding
    Gather, Q/K/V MatMuls on [N, S, H], attention scores [N, S, S] plus an
    additive [N, S] mask, softmax over S, residual and LayerNormalization."""
    rng = np.random.default_rng(31)
    vocab, h = 11, 8
    emb = rand(rng, (vocab, h))
    wq, wk, wv, wo = (rand(rng, (h, h), 0.5) for _ in range(4))
    gamma = f32(rng.uniform(0.5, 1.5, h))
    beta = rand(rng, (h,), 0.1)
    data = np.random.default_rng(1000 + 10 * n + s)
    ids = data.integers(0, vocab, size=(n, s)).astype(np.int64)
    mask = np.where(data.uniform(size=(n, s)) < 0.25, -1e4, 0.0)
    mask[:, 0] = 0.0
    mask = f32(mask)
    scale = np.float32(1.0 / math.sqrt(h))
    nodes = [
        helper.make_node("Gather", ["emb", "ids"], ["x"], axis=0,
                         name="embed"),
        helper.make_node("MatMul", ["x", "wq"], ["q"]),
        helper.make_node("MatMul", ["x", "wk"], ["k"]),
        helper.make_node("MatMul", ["x", "wv"], ["v"]),
        helper.make_node("Transpose", ["k"], ["kt"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["q", "kt"], ["scores"]),
        helper.make_node("Mul", ["scores", "scale"], ["scaled"]),
        helper.make_node("Unsqueeze", ["mask", "axis1"], ["mask3"]),
        helper.make_node("Add", ["scaled", "mask3"], ["masked"]),
        helper.make_node("Softmax", ["masked"], ["probs"], axis=-1,
                         name="softmax_over_s"),
        helper.make_node("MatMul", ["probs", "v"], ["ctx"]),
        helper.make_node("MatMul", ["ctx", "wo"], ["o"]),
        helper.make_node("Add", ["x", "o"], ["res"]),
        helper.make_node("LayerNormalization", ["res", "gamma", "beta"],
                         ["y"], axis=-1, epsilon=1e-5),
    ]
    x = f64(emb)[ids]
    q, k, v = x @ f64(wq), x @ f64(wk), x @ f64(wv)
    p = np_softmax(q @ k.transpose(0, 2, 1) * f64(scale) +
                   f64(mask)[:, None, :], axis=-1).astype(np.float64)
    r = x + (p @ v) @ f64(wo)
    mu = r.mean(axis=-1, keepdims=True)
    var = ((r - mu) ** 2).mean(axis=-1, keepdims=True)
    y = (r - mu) / np.sqrt(var + 1e-5) * f64(gamma) + f64(beta)

    initializers = [("emb", emb), ("wq", wq), ("wk", wk), ("wv", wv),
                    ("wo", wo), ("scale", np.asarray(scale)),
                    ("axis1", np.asarray([1], np.int64)), ("gamma", gamma),
                    ("beta", beta)]
    graph = helper.make_graph(
        nodes, "variant_transformer",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, ["N", "S"]),
         helper.make_tensor_value_info("mask", F32, ["N", "S"])],
        [helper.make_tensor_value_info("y", F32, ["N", "S", h])],
        initializer=[numpy_helper.from_array(a, name)
                     for name, a in initializers])
    model = helper.make_model(
        graph, producer_name="ingot-e2e",
        opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model, [ids, mask], [y]


VARIANT_MODELS = {
    "variant_transformer": build_variant_transformer,
}
