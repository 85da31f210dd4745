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
}
def Graph_SubOp : Graph_BinaryOp<"sub"> {
  let summary = "Broadcasting subtraction (ONNX Sub)";
}
def Graph_MulOp : Graph_BinaryOp<"mul", [Commutative]> {
  let summary = "Broadcasting multiplication (ONNX Mul)";
}
def Graph_DivOp : Graph_BinaryOp<"div"> {
  let summary = "Broadcasting division (ONNX Div; integer division truncates)";
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

#endif // INGOT_DIALECTS_GRAPH_IR_GRAPHOPS_TD
