//===- Passes.td - Ingot conversion passes -----------------*- tablegen -*-===//
#ifndef INGOT_COMPILER_CONVERSION_PASSES_TD
#define INGOT_COMPILER_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// GraphToLinalg
//===----------------------------------------------------------------------===//

def ConvertGraphToLinalgPass
    : Pass<"ingot-convert-graph-to-linalg", "ModuleOp"> {
  let summary = "Lowers graph ops to linalg, tensor, arith and math";
  let description = [{
    Replaces every graph op with linalg on tensors:

    * elementwise ops (with numpy broadcasting) become one all-parallel
      `linalg.generic` whose indexing maps are projected permutations: size-1
      broadcast dimensions are first removed with `tensor.collapse_shape`,
      and missing dimensions are dropped from the operand's map; the output
      uses the identity map and a `tensor.empty` init;
    * `graph.matmul` becomes `linalg.matmul` (or `linalg.batch_matmul`, with
      batch dimensions collapsed to one and broadcast ones materialized) on a
      `linalg.fill` of zero; 1-D operands are expanded first;
    * `graph.gemm` becomes `linalg.transpose` (for `trans_a`/`trans_b`),
      `linalg.matmul`, and, if needed, one elementwise `linalg.generic`
      computing `alpha * AB + beta * C`;
    * `graph.softmax` becomes four `linalg.generic`s: max, exp(x - max),
      sum, divide;
    * reshapes and flattens become `tensor.collapse_shape` /
      `tensor.expand_shape` (`tensor.reshape` when dynamic sizes prevent
      it), `graph.transpose` becomes `linalg.transpose`, `graph.constant`
      becomes `arith.constant` and `graph.identity` disappears.

    Function signatures and their `ingot.name` attributes are unchanged.

    Before:
    ```mlir
    %0 = graph.add %x, %b : (tensor<1x512xf32>, tensor<512xf32>) -> tensor<1x512xf32>
    ```
    After:
    ```mlir
    %e = tensor.empty() : tensor<1x512xf32>
    %0 = linalg.generic {
        indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                         affine_map<(d0, d1) -> (d1)>,
                         affine_map<(d0, d1) -> (d0, d1)>],
        iterator_types = ["parallel", "parallel"]}
        ins(%x, %b : tensor<1x512xf32>, tensor<512xf32>)
        outs(%e : tensor<1x512xf32>) {
      ^bb0(%a: f32, %c: f32, %out: f32):
        %s = arith.addf %a, %c : f32
        linalg.yield %s : f32
    } -> tensor<1x512xf32>
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect"];
}

//===----------------------------------------------------------------------===//
// ConvToIm2Col
//===----------------------------------------------------------------------===//

def ConvertConvToIm2ColPass
    : Pass<"ingot-convert-conv-to-im2col", "func::FuncOp"> {
  let summary = "Rewrites 2-D NHWC convolutions as im2col plus a matmul";
  let description = [{
    Replaces each statically shaped `linalg.conv_2d_nhwc_hwcf` by a
    `linalg.matmul` over the flattened output pixels `M = N * OH * OW`:

    * the columns `M x (KH*KW*C)`: the input itself (collapsed) for 1x1
      convs with unit strides, otherwise an all-parallel `linalg.generic`
      copy over `(n, oh, ow, kh, kw, c)` reading the input through the window
      map `(n, oh * sh + kh * dh, ow * sw + kw * dw, c)`, collapsed to
      `M x K` (each pixel and filter tap copies `C` contiguous channels);
    * `linalg.matmul` of the columns and the filter collapsed to
      `(KH*KW*C) x F` (a new constant when the filter is one, so that
      `ingot-linalg-pack-weights` packs it), whose result is expanded back to
      `N x OH x OW x F`.

    All-parallel generic consumers of the convolution (bias, activation,
    residual add after elementwise fusion) get their `N x OH x OW` loops
    collapsed too, so they read the matmul directly and dispatch formation
    fuses them with it.

    Before:
    ```mlir
    %c = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x10x10x8xf32>, tensor<3x3x8x16xf32>)
        outs(%z : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
    ```
    After:
    ```mlir
    %win = linalg.generic {indexing_maps = [(n, oh, ow, kh, kw, c) -> (n, oh + kh, ow + kw, c), ...]}
        ins(%x : tensor<1x10x10x8xf32>) outs(%e : tensor<1x8x8x3x3x8xf32>)
    %cols = tensor.collapse_shape %win [[0, 1, 2], [3, 4, 5]] ... into tensor<64x72xf32>
    %wm = arith.constant dense<...> : tensor<72x16xf32>
    %p = linalg.matmul ins(%cols, %wm : ...) outs(%z2 : tensor<64x16xf32>)
    %c = tensor.expand_shape %p [[0, 1, 2], [3]] ... into tensor<1x8x8x16xf32>
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

//===----------------------------------------------------------------------===//
// ChannelsLast
//===----------------------------------------------------------------------===//

def ConvertToChannelsLastPass
    : Pass<"ingot-linalg-convert-to-channels-last", "func::FuncOp"> {
  let summary = "Runs 2-D convolutions and max pools in NHWC layout";
  let description = [{
    Rewrites each statically shaped `linalg.conv_2d_nchw_fchw`,
    `linalg.depthwise_conv_2d_nchw_chw` and `linalg.pooling_nchw_max` into
    `linalg.conv_2d_nhwc_hwcf`, `linalg.depthwise_conv_2d_nhwc_hwc` and
    `linalg.pooling_nhwc_max` between `linalg.transpose`s of the input
    (NCHW to NHWC) and the result (NHWC to NCHW). Constant weights are
    transposed at compile time (`F x C x KH x KW` to `KH x KW x C x F`,
    `C x KH x KW` to `KH x KW x C`); fill inits are rebuilt in NHWC.

    The layout transposes then move until they meet and cancel:

    * a `linalg.generic` reading a layout transpose reads its source through
      the composed map, and a `tensor.extract` from one extracts from the
      source with permuted indices;
    * an elementwise generic (4 parallel loops, identity result maps, inits
      never read) that reads a 4-D operand through a layout permutation and
      none through the identity runs in the permuted iteration space, with
      the transpose moved to its results;
    * a layout transpose of such a generic that reads no 4-D operand
      (padding, broadcasts) is folded into it;
    * two transposes in a row become one, or none.

    In a CNN the transposes cancel between convolutions, pools and the
    elementwise ops (bias, activation, padding, residual add): the network
    runs channels-last, with transposes left only at the model's edges and
    before ops that are not handled (reshapes, reductions read the NHWC
    tensor through their maps). The convolutions' matrix products then have
    pixels as rows and output channels as columns, which vectorize along
    channels with no lane waste on small feature maps (7 x 7), and 1 x 1
    convolutions read their input in place.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

//===----------------------------------------------------------------------===//
// PackWeights
//===----------------------------------------------------------------------===//

def PackWeightsPass : Pass<"ingot-linalg-pack-weights", "func::FuncOp"> {
  let summary = "Packs constant matmul weights into panels at compile time";
  let description = [{
    Data tiling of the right-hand side of products: a statically shaped
    floating-point `linalg.matmul` whose `K x N` right-hand side is a
    constant (a Linear, MatMul or Gemm weight), with `N` a multiple of
    `panel-size` (`NR`), becomes a contraction over the weight packed at
    compile time into `N/NR x K x NR` panels:

    `out[m, j, l] += lhs[m, k] * packed[j, k, l]`, `packed[j, k, l] = w[k, j * NR + l]`

    The product is `M x N/NR x NR`, which is `M x N` in memory: a
    `tensor.collapse_shape` gives it back its shape, and all-parallel
    consumers of that view (bias, activation, residual add) are expanded
    into the panel space so that the view moves past them and they fuse with
    the product into one kernel. The CPU register tile then streams one
    contiguous `K x NR` panel instead of `NR` columns at a stride of `N`
    elements; the weight is stored packed in the module and never repacked
    at run time (docs/design/cpu-kernels.md).

    Before:
    ```mlir
    %w = arith.constant dense<...> : tensor<512x1024xf32>
    %p = linalg.matmul ins(%x, %w : tensor<64x512xf32>, tensor<512x1024xf32>) outs(%f : tensor<64x1024xf32>)
    ```
    After:
    ```mlir
    %w = arith.constant dense<...> : tensor<32x512x32xf32>
    %p3 = linalg.generic {indexing_maps = [(m, j, l, k) -> (m, k), (m, j, l, k) -> (j, k, l), (m, j, l, k) -> (m, j, l)], ...}
        ins(%x, %w : tensor<64x512xf32>, tensor<32x512x32xf32>) outs(%f3 : tensor<64x32x32xf32>)
    %p = tensor.collapse_shape %p3 [[0], [1, 2]] : tensor<64x32x32xf32> into tensor<64x1024xf32>
    ```
  }];
  let options = [
    Option<"panelSize", "panel-size", "int64_t", "32",
           "Columns per packed panel (NR): the width of the CPU register tile">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

#endif // INGOT_COMPILER_CONVERSION_PASSES_TD
