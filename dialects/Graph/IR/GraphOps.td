//===- GraphOps.td - graph dialect ops ---------------------*- tablegen -*-===//
//
// ONNX-level operators on ranked tensors. Every op has value semantics and
// no side effects.
//
//===----------------------------------------------------------------------===//
#ifndef INGOT_DIALECTS_GRAPH_IR_GRAPHOPS_TD
#define INGOT_DIALECTS_GRAPH_IR_GRAPHOPS_TD

include "dialects/Graph/IR/GraphBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

/// Ranked tensors of the element types graph ops compute on.
def Graph_Tensor : RankedTensorOf<[AnyFloat, AnySignlessInteger]>;
/// Ranked tensors of floating-point elements.
def Graph_FloatTensor : RankedTensorOf<[AnyFloat]>;

//===----------------------------------------------------------------------===//
// Constants and data movement
//===----------------------------------------------------------------------===//

def Graph_ConstantOp : Graph_Op<"constant", [ConstantLike, Pure,
    InferTypeOpAdaptor]> {
  let summary = "A constant tensor (ONNX initializers and Constant)";
  let description = [{
    Produces the tensor held by `value`; the result type is the type of the
    attribute.

    ```mlir
    %w = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def Graph_IdentityOp : Graph_Op<"identity", [Pure, SameOperandsAndResultType]> {
  let summary = "Returns its operand (ONNX Identity)";
  let description = [{
    ```mlir
    %1 = graph.identity %0 : tensor<4xf32>
    ```
    Always folds to its operand.
  }];
  let arguments = (ins Graph_Tensor:$input);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasFolder = 1;
}

def Graph_ReshapeOp : Graph_Op<"reshape", [Pure]> {
  let summary = "Reshapes to a shape resolved at import (ONNX Reshape)";
  let description = [{
    `shape` is the target shape with ONNX's `0` (copy) already resolved by
    the importer; each entry is a size (>= 0) or -1 for the one dimension
    that is computed from the element count at run time (it must be dynamic,
    `?`, in the result type). The result type matches `shape`.

    ```mlir
    %1 = graph.reshape %0 [-1, 784] : tensor<?x28x28xf32> -> tensor<?x784xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$input $shape attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Graph_FlattenOp : Graph_Op<"flatten", [Pure]> {
  let summary = "Flattens to 2-D around `axis` (ONNX Flatten)";
  let description = [{
    The result is 2-D: the product of dimensions `[0, axis)` by the product
    of dimensions `[axis, rank)`. `axis` is in `[0, rank]` (the importer
    normalizes negative values).

    ```mlir
    %1 = graph.flatten %0 {axis = 1} : tensor<1x28x28xf32> -> tensor<1x784xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, I64Attr:$axis);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Graph_TransposeOp : Graph_Op<"transpose", [Pure]> {
  let summary = "Permutes dimensions (ONNX Transpose)";
  let description = [{
    Result dimension `i` is operand dimension `perm[i]`.

    ```mlir
    %1 = graph.transpose %0 [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$input $perm attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

class Graph_BinaryOp<string mnemonic, list<Trait> traits = []>
    : Graph_Op<mnemonic, !listconcat(traits, [Pure])> {
  let description = [{
    Elementwise with numpy (multidirectional) broadcasting: shapes are
    aligned at the trailing dimension; each pair of sizes must be equal or
    one of them 1 (a dynamic size is assumed to match). Both operands and
    the result have the same element type.

    ```mlir
    %2 = graph.}] # mnemonic # [{ %0, %1 : (tensor<1x512xf32>, tensor<512xf32>) -> tensor<1x512xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$lhs, Graph_Tensor:$rhs);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Graph_AddOp : Graph_BinaryOp<"add", [Commutative]> {
  let summary = "Broadcasting addition (ONNX Add)";
  let hasFolder = 1;
}
def Graph_SubOp : Graph_BinaryOp<"sub"> {
  let summary = "Broadcasting subtraction (ONNX Sub)";
  let hasFolder = 1;
}
def Graph_MulOp : Graph_BinaryOp<"mul", [Commutative]> {
  let summary = "Broadcasting multiplication (ONNX Mul)";
  let hasFolder = 1;
}
def Graph_DivOp : Graph_BinaryOp<"div"> {
  let summary = "Broadcasting division (ONNX Div; integer division truncates)";
  let arguments = (ins Graph_Tensor:$lhs, Graph_Tensor:$rhs,
                       UnitAttr:$is_unsigned);
  let hasFolder = 1;
}
def Graph_PowOp : Graph_BinaryOp<"pow"> {
  let summary = "Broadcasting power lhs^rhs on floats (ONNX Pow)";
}

class Graph_UnaryOp<string mnemonic, Type tensorType>
    : Graph_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let description = [{
    ```mlir
    %1 = graph.}] # mnemonic # [{ %0 : tensor<1x10xf32>
    ```
  }];
  let arguments = (ins tensorType:$input);
  let results = (outs tensorType:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Graph_ReluOp : Graph_UnaryOp<"relu", Graph_Tensor> {
  let summary = "max(x, 0) elementwise (ONNX Relu)";
}
def Graph_SigmoidOp : Graph_UnaryOp<"sigmoid", Graph_FloatTensor> {
  let summary = "1 / (1 + exp(-x)) elementwise (ONNX Sigmoid)";
}
def Graph_TanhOp : Graph_UnaryOp<"tanh", Graph_FloatTensor> {
  let summary = "Hyperbolic tangent elementwise (ONNX Tanh)";
}
def Graph_SqrtOp : Graph_UnaryOp<"sqrt", Graph_FloatTensor> {
  let summary = "Square root elementwise (ONNX Sqrt)";
}
def Graph_ErfOp : Graph_UnaryOp<"erf", Graph_FloatTensor> {
  let summary = "Gauss error function elementwise (ONNX Erf)";
}

def Graph_ClipOp : Graph_Op<"clip", [Pure, SameOperandsAndResultType]> {
  let summary = "Clamps to [min, max] elementwise (ONNX Clip)";
  let description = [{
    `min(max(x, min), max)`; the importer turns omitted bounds into
    infinities and requires given ones to be constants.

    ```mlir
    %1 = graph.clip %0 {max = 6.0 : f64, min = 0.0 : f64} : tensor<1x32xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, F64Attr:$min, F64Attr:$max);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

include "dialects/Graph/IR/GraphElementwiseOps.td"

//===----------------------------------------------------------------------===//
// Contractions and normalizations
//===----------------------------------------------------------------------===//

def Graph_MatMulOp : Graph_Op<"matmul", [Pure]> {
  let summary = "numpy matmul (ONNX MatMul)";
  let description = [{
    Matrix product of the last two dimensions; leading (batch) dimensions
    broadcast like elementwise ops. A 1-D `lhs` is treated as `1xK` and a
    1-D `rhs` as `Kx1`, and the added dimension is removed from the result.

    ```mlir
    %2 = graph.matmul %0, %1 : (tensor<4x1x8x16xf32>, tensor<3x16x2xf32>) -> tensor<4x3x8x2xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$lhs, Graph_Tensor:$rhs);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Graph_GemmOp : Graph_Op<"gemm", [Pure]> {
  let summary = "alpha * op(A) * op(B) + beta * C (ONNX Gemm)";
  let description = [{
    `A` and `B` are 2-D; `op(X)` transposes `X` when `trans_a`/`trans_b` is
    set. The optional `C` broadcasts unidirectionally to the `MxN` result.

    ```mlir
    %y = graph.gemm %a, %w, %b {trans_b = true}
        : (tensor<1x784xf32>, tensor<10x784xf32>, tensor<10xf32>) -> tensor<1x10xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$a, Graph_Tensor:$b,
                       Optional<Graph_Tensor>:$c,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0">:$beta,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_a,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_b);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Graph_SoftmaxOp : Graph_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "Softmax along one axis (ONNX Softmax, opset 13 semantics)";
  let description = [{
    `exp(x) / sum(exp(x))` along `axis` (in `[-rank, rank)`). The importer
    rewrites older opsets' coerce-to-2-D semantics into a flatten, a
    softmax on axis 1 and a reshape back.

    ```mlir
    %1 = graph.softmax %0 {axis = 1} : tensor<1x10xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The axis in [0, rank).
    int64_t getNormalizedAxis() {
      int64_t axis = getAxis();
      int64_t rank = ::llvm::cast<::mlir::RankedTensorType>(getInput().getType()).getRank();
      return axis < 0 ? axis + rank : axis;
    }
  }];
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

def Graph_ReduceMeanOp : Graph_Op<"reduce_mean", [Pure]> {
  let summary = "Mean over axes (ONNX ReduceMean, GlobalAveragePool)";
  let description = [{
    Averages `input` over `axes` (sorted, unique, in `[0, rank)`); with
    `keepdims` the reduced dimensions stay as size 1, else they are removed.

    ```mlir
    %1 = graph.reduce_mean %0 {axes = array<i64: 2, 3>, keepdims = true}
        : tensor<1x8x7x7xf32> -> tensor<1x8x1x1xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, DenseI64ArrayAttr:$axes,
                       BoolAttr:$keepdims);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

def Graph_ConvOp : Graph_Op<"conv", [Pure]> {
  let summary = "N-D grouped convolution, channels first (ONNX Conv)";
  let description = [{
    `input` is `N x C x D1 x ...` (one or more spatial dims, e.g. NCHW),
    `weight` is `F x C/group x K1 x ...` and the optional `bias` has `F`
    elements. `strides` and `dilations` have one entry per spatial dim;
    `pads` lists all begin pads then all end pads (ONNX order, e.g.
    `[top, left, bottom, right]`; auto_pad already resolved by the
    importer). The result is `N x F x O1 x ...` with
    `O1 = (D1 + begin1 + end1 - ((K1 - 1) * d1 + 1)) / s1 + 1`.
    Elements are floating-point, or integers (the importer widens
    ConvInteger and QLinearConv operands to `i32`) that multiply and
    accumulate with wraparound in the element type.

    ```mlir
    %y = graph.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 1 : i64,
        pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
        : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, Graph_Tensor:$weight,
                       Optional<Graph_Tensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations, I64Attr:$group);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Graph_ConvTransposeOp : Graph_Op<"conv_transpose", [Pure]> {
  let summary = "N-D grouped transposed convolution (ONNX ConvTranspose)";
  let description = [{
    `input` is `N x C x D1 x ...`, `weight` is `C x F/group x K1 x ...` and
    the optional `bias` has `F` elements. Every input element scatters
    `input * weight` to output position `d * s + k * dilation - begin`.
    `pads` lists all begin then all end pads and `output_padding` adds
    elements at the end of each spatial dim (ONNX auto_pad and output_shape
    are resolved by the importer; a negative pad extends the output). The
    result is `N x F x O1 x ...` with
    `O1 = (D1 - 1) * s1 + (K1 - 1) * d1 + 1 + output_padding1 - begin1 - end1`.

    ```mlir
    %y = graph.conv_transpose %x, %w {dilations = array<i64: 1, 1>, group = 1 : i64,
        output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>,
        strides = array<i64: 2, 2>}
        : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x7x7xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_FloatTensor:$weight,
                       Optional<Graph_FloatTensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$output_padding, I64Attr:$group);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Graph_BatchNormOp : Graph_Op<"batch_norm", [Pure]> {
  let summary = "Inference batch normalization (ONNX BatchNormalization)";
  let description = [{
    `(x - mean) / sqrt(var + epsilon) * scale + bias`, where `scale`,
    `bias`, `mean` and `var` are 1-D with one value per channel (dim 1 of
    `input`, which has rank >= 2). The result has the type of `input`.
    `ingot-graph-fold-batch-norm` folds it into the preceding conv or
    rewrites it into a per-channel mul and add.

    ```mlir
    %y = graph.batch_norm %x, %scale, %bias, %mean, %var {epsilon = 1.0e-05 : f32}
        : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_FloatTensor:$scale,
                       Graph_FloatTensor:$bias, Graph_FloatTensor:$mean,
                       Graph_FloatTensor:$variance, F32Attr:$epsilon);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat =
      "$input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Graph_MaxPoolOp : Graph_Op<"max_pool", [Pure]> {
  let summary = "2-D max pooling, NCHW (ONNX MaxPool)";
  let description = [{
    Windows of `kernel_shape` with `strides` and `dilations`; `pads` is
    `[top, left, bottom, right]` and padded elements never win (they are
    -inf). The importer folds ceil_mode into extra bottom/right padding.

    ```mlir
    %y = graph.max_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>,
        pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
        : tensor<1x8x8x8xf32> -> tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Indexing
//===----------------------------------------------------------------------===//

def Graph_SliceOp : Graph_Op<"slice", [Pure]> {
  let summary = "Strided static slice (ONNX Slice with constant bounds)";
  let description = [{
    Result element `i` (per dim) is input element `starts + i * steps`;
    the result type gives the sizes. The importer resolves negative and
    clamped ONNX bounds; `starts` are in `[0, size]`, `steps` >= 1 and every
    read is in bounds.

    ```mlir
    %1 = graph.slice %0 {starts = array<i64: 0, 128>, steps = array<i64: 1, 1>}
        : tensor<128x384xf32> -> tensor<128x128xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$steps);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Graph_GatherOp : Graph_Op<"gather", [Pure]> {
  let summary = "Gathers slices along an axis (ONNX Gather)";
  let description = [{
    The result shape is `data[:axis] + indices + data[axis+1:]`; each index
    selects a slice of `data` along `axis` (in `[0, rank)`). Negative
    indices count from the end; out-of-range indices are clamped.

    ```mlir
    %1 = graph.gather %table, %ids {axis = 0 : i64}
        : (tensor<1000x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data,
                       RankedTensorOf<[AnySignlessInteger]>:$indices,
                       I64Attr:$axis);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

include "dialects/Graph/IR/GraphTensorOps.td"

#endif // INGOT_DIALECTS_GRAPH_IR_GRAPHOPS_TD
