//===- GraphTensorOps.td - reduction, shape, pool ops ---*- tablegen -*-===//
//
// Reductions, softmax variants, data movement (concat, pad, tile, expand,
// ...) and N-D pooling. Included from GraphOps.td.
//
//===----------------------------------------------------------------------===//
#ifndef INGOT_DIALECTS_GRAPH_IR_GRAPHTENSOROPS_TD
#define INGOT_DIALECTS_GRAPH_IR_GRAPHTENSOROPS_TD

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

def Graph_ReduceOp : Graph_Op<"reduce", [Pure]> {
  let summary = "Reduction over axes (ONNX Reduce*, GlobalMaxPool)";
  let description = [{
    Reduces `input` over `axes` (sorted, unique, in `[0, rank)`; empty means
    no reduction) with `kind`, one of `sum`, `mean`, `max`, `min`, `prod`,
    `l1` (sum of |x|), `l2` (sqrt of the sum of squares), `log_sum`
    (log of the sum), `log_sum_exp` (computed as max + log(sum(exp(x -
    max)))) and `sum_square`. With `keepdims` the reduced dimensions stay as
    size 1, else they are removed. `mean`, `l2`, `log_sum` and `log_sum_exp`
    need floats; the others also work on integers.

    ```mlir
    %1 = graph.reduce %0 {kind = "max", axes = array<i64: 1>, keepdims = false}
        : tensor<2x3xf32> -> tensor<2xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, StrAttr:$kind,
                       DenseI64ArrayAttr:$axes, BoolAttr:$keepdims);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Graph_ArgReduceOp : Graph_Op<"arg_reduce", [Pure]> {
  let summary = "Index of the maximum or minimum along an axis (ONNX ArgMax, ArgMin)";
  let description = [{
    The result holds, as i64, the index along `axis` (in `[0, rank)`) of the
    largest (`kind = "max"`) or smallest (`"min"`) element; ties pick the
    first index, or the last with `select_last_index`. With `keepdims` the
    axis stays as size 1.

    ```mlir
    %1 = graph.arg_reduce %0 {kind = "max", axis = 1 : i64, keepdims = true,
        select_last_index = false} : tensor<2x3xf32> -> tensor<2x1xi64>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, StrAttr:$kind, I64Attr:$axis,
                       BoolAttr:$keepdims, BoolAttr:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Graph_LogSoftmaxOp : Graph_Op<"log_softmax",
    [Pure, SameOperandsAndResultType]> {
  let summary = "Log of the softmax along one axis (ONNX LogSoftmax, opset 13 semantics)";
  let description = [{
    `x - max(x) - log(sum(exp(x - max(x))))` along `axis` (in `[0, rank)`).
    The importer rewrites older opsets' coerce-to-2-D semantics.

    ```mlir
    %1 = graph.log_softmax %0 {axis = 1 : i64} : tensor<1x10xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Graph_HardmaxOp : Graph_Op<"hardmax", [Pure, SameOperandsAndResultType]> {
  let summary = "One-hot of the first maximum along one axis (ONNX Hardmax, opset 13 semantics)";
  let description = [{
    1 where the element is the first largest one along `axis` (in
    `[0, rank)`), 0 elsewhere.

    ```mlir
    %1 = graph.hardmax %0 {axis = 1 : i64} : tensor<3x4xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Graph_CumSumOp : Graph_Op<"cumsum", [Pure, SameOperandsAndResultType]> {
  let summary = "Cumulative sum along one axis (ONNX CumSum)";
  let description = [{
    Element `i` along `axis` (in `[0, rank)`) is the sum of elements `0..i`;
    `exclusive` leaves element `i` itself out and `reverse` sums from the
    end.

    ```mlir
    %1 = graph.cumsum %0 {axis = 0 : i64, exclusive = false, reverse = false} : tensor<5xf64>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, I64Attr:$axis, BoolAttr:$exclusive,
                       BoolAttr:$reverse);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Graph_ConcatOp : Graph_Op<"concat", [Pure]> {
  let summary = "Concatenation along an axis (ONNX Concat)";
  let description = [{
    All inputs have the same rank, element type and sizes except along
    `axis` (in `[0, rank)`), where the result size is the sum.

    ```mlir
    %2 = graph.concat %0, %1 {axis = 0 : i64}
        : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
    ```
  }];
  let arguments = (ins Variadic<Graph_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$inputs attr-dict `:` functional-type($inputs, results)";
  let hasVerifier = 1;
}

def Graph_PadOp : Graph_Op<"pad", [Pure]> {
  let summary = "Pads every dimension (ONNX Pad)";
  let description = [{
    `pads` holds `rank` leading then `rank` trailing amounts (>= 0; the
    importer turns negative ONNX pads into a slice). `mode` is `constant`
    (filled with `value`), `reflect` (mirrored without repeating the edge)
    or `edge` (the edge repeated).

    ```mlir
    %1 = graph.pad %0 {mode = "constant", pads = array<i64: 0, 1, 0, 2>, value = 0.0 : f64}
        : tensor<2x3xf32> -> tensor<2x6xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, StrAttr:$mode,
                       DenseI64ArrayAttr:$pads, F64Attr:$value);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Graph_TileOp : Graph_Op<"tile", [Pure]> {
  let summary = "Repeats the input along each dimension (ONNX Tile)";
  let description = [{
    Every result size is a multiple of the input size; result element `i`
    is input element `i mod size` per dimension.

    ```mlir
    %1 = graph.tile %0 : tensor<2x3xf32> -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Graph_ExpandOp : Graph_Op<"expand", [Pure]> {
  let summary = "Broadcasts to a shape (ONNX Expand)";
  let description = [{
    numpy broadcast of `input` to the static result shape.

    ```mlir
    %1 = graph.expand %0 : tensor<3x1xf32> -> tensor<2x3x6xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Graph_TriluOp : Graph_Op<"trilu", [Pure]> {
  let summary = "Upper or lower triangle of the last two dims (ONNX Trilu)";
  let description = [{
    Keeps element (i, j) of each matrix where `j - i >= k` (`upper`) or
    `j - i <= k` (lower) and zeroes the others. The diagonal offset `k` is
    the scalar i64 operand, read at run time.

    ```mlir
    %2 = graph.trilu %0, %k {upper = true} : (tensor<4x5xf32>, tensor<i64>) -> tensor<4x5xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, RankedTensorOf<[I64]>:$k,
                       BoolAttr:$upper);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$input `,` $k attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Graph_GatherElementsOp : Graph_Op<"gather_elements", [Pure]> {
  let summary = "Element-wise gather along an axis (ONNX GatherElements)";
  let description = [{
    The result has the shape of `indices`; element `p` is `data[p]` with
    the coordinate along `axis` replaced by `indices[p]` (negative indices
    count from the end; out-of-range ones are clamped).

    ```mlir
    %2 = graph.gather_elements %0, %1 {axis = 1 : i64}
        : (tensor<2x2xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data,
                       RankedTensorOf<[AnySignlessInteger]>:$indices,
                       I64Attr:$axis);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Graph_DynamicSliceOp : Graph_Op<"dynamic_slice", [Pure]> {
  let summary = "Slice with run-time starts, axes and steps (ONNX Slice)";
  let description = [{
    The static result type gives the sizes. `starts`, `axes` and `steps`
    are 1-D integer tensors of the same length read at run time with ONNX
    semantics: negative axes and starts count from the end, starts are
    clamped into the dim (to `[0, size]` for positive steps, `[0, size - 1]`
    for negative ones), steps may be negative. Dims without an entry are
    read from 0 with step 1. Every read is clamped into the input.

    ```mlir
    %1 = graph.dynamic_slice %x, %starts, %axes, %steps
        : (tensor<20x10xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<3x10xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input,
                       RankedTensorOf<[AnySignlessInteger]>:$starts,
                       RankedTensorOf<[AnySignlessInteger]>:$axes,
                       RankedTensorOf<[AnySignlessInteger]>:$steps);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $starts `,` $axes `,` $steps attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Graph_RangeOp : Graph_Op<"range", [Pure]> {
  let summary = "Arithmetic sequence (ONNX Range)";
  let description = [{
    Element `i` of the static 1-D result is `start + i * delta`, with the
    scalar `start` and `delta` read at run time.

    ```mlir
    %r = graph.range %start, %delta : (tensor<f32>, tensor<f32>) -> tensor<2xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$start, Graph_Tensor:$delta);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$start `,` $delta attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Graph_OneHotOp : Graph_Op<"one_hot", [Pure]> {
  let summary = "One-hot encoding along an axis (ONNX OneHot)";
  let description = [{
    The static result has the shape of `indices` with the depth inserted at
    `axis` (in `[0, rank)` of the result). An element is `values[1]` where
    its coordinate along `axis` equals the index (negative indices count
    from the depth), else `values[0]`. Indices may be integers or floats
    (truncated).

    ```mlir
    %y = graph.one_hot %i, %v {axis = 1 : i64}
        : (tensor<3xi64>, tensor<2xf32>) -> tensor<3x10xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$indices, Graph_Tensor:$values,
                       I64Attr:$axis);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$indices `,` $values attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def Graph_PoolOp : Graph_Op<"pool", [Pure]> {
  let summary = "N-D pooling, channels first (ONNX AveragePool, MaxPool, LpPool)";
  let description = [{
    `input` is `N x C x D1 x ... x Dn`. Windows of `kernel_shape` with
    `strides` and `dilations`; `pads` holds n leading then n trailing
    amounts (ceil_mode and auto_pad resolved by the importer: the result
    type gives the output sizes, and windows that start past the padded
    input are not produced). `kind` is `max` (padding never wins), `avg`
    (divided by the window size when `count_include_pad`, else by the
    number of real elements) or `lp` (`(sum |x|^p)^(1/p)`); only `max`
    works on integers.

    ```mlir
    %y = graph.pool %x {kind = "avg", count_include_pad = false, p = 2 : i64,
        dilations = array<i64: 1>, kernel_shape = array<i64: 2>,
        pads = array<i64: 0, 0>, strides = array<i64: 1>}
        : tensor<1x3x32xf32> -> tensor<1x3x31xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, StrAttr:$kind,
                       DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       BoolAttr:$count_include_pad, I64Attr:$p);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Graph_ResizeOp : Graph_Op<"resize", [Pure]> {
  let summary = "Nearest or linear resampling (ONNX Resize, Upsample)";
  let description = [{
    Resamples `input` to the static result shape. `scales` (f32, one entry
    per dim, read at run time) maps result coordinates to input ones with
    `coordinate_transformation_mode` (`half_pixel`, `pytorch_half_pixel`,
    `align_corners`, `asymmetric`, `tf_half_pixel_for_nn`); dims whose size
    does not change are copied. `mode` is `nearest` (rounded with
    `nearest_mode`: `round_prefer_floor`, `round_prefer_ceil`, `floor`,
    `ceil`) or `linear` (interpolation between the two neighbours of every
    resized dim, coordinates clamped to the input) or `cubic` (4 taps per
    resized dim with coefficient `cubic_coeff_a`, edge values repeated
    outside the input, or with `exclude_outside` those taps dropped and the
    weights renormalized).

    ```mlir
    %y = graph.resize %x, %scales {coordinate_transformation_mode = "asymmetric",
        mode = "nearest", nearest_mode = "floor"}
        : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<1x1x4x6xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, RankedTensorOf<[F32]>:$scales,
                       StrAttr:$mode, StrAttr:$coordinate_transformation_mode,
                       StrAttr:$nearest_mode,
                       DefaultValuedAttr<F64Attr, "-0.75">:$cubic_coeff_a,
                       DefaultValuedAttr<BoolAttr, "false">:$exclude_outside);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat =
      "$input `,` $scales attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif // INGOT_DIALECTS_GRAPH_IR_GRAPHTENSOROPS_TD
