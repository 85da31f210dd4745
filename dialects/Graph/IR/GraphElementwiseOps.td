//===- GraphElementwiseOps.td - graph elementwise math ops -*- tablegen -*-===//
//
// Elementwise unary math, activations, comparisons, logical and bitwise ops,
// select and casts. Included from GraphOps.td (which defines the shared op
// classes and tensor constraints).
//
//===----------------------------------------------------------------------===//
#ifndef INGOT_DIALECTS_GRAPH_IR_GRAPHELEMENTWISEOPS_TD
#define INGOT_DIALECTS_GRAPH_IR_GRAPHELEMENTWISEOPS_TD

/// Ranked tensors of booleans (ONNX BOOL).
def Graph_BoolTensor : RankedTensorOf<[I1]>;

//===----------------------------------------------------------------------===//
// Unary math
//===----------------------------------------------------------------------===//

def Graph_AbsOp : Graph_UnaryOp<"abs", Graph_Tensor> {
  let summary = "Absolute value elementwise (ONNX Abs)";
}
def Graph_NegOp : Graph_UnaryOp<"neg", Graph_Tensor> {
  let summary = "Negation elementwise (ONNX Neg)";
}
def Graph_SignOp : Graph_UnaryOp<"sign", Graph_Tensor> {
  let summary = "-1, 0 or 1 by the sign of x, elementwise (ONNX Sign)";
}
def Graph_ExpOp : Graph_UnaryOp<"exp", Graph_FloatTensor> {
  let summary = "Exponential elementwise (ONNX Exp)";
}
def Graph_LogOp : Graph_UnaryOp<"log", Graph_FloatTensor> {
  let summary = "Natural logarithm elementwise (ONNX Log)";
}
def Graph_CeilOp : Graph_UnaryOp<"ceil", Graph_FloatTensor> {
  let summary = "Rounds up elementwise (ONNX Ceil)";
}
def Graph_FloorOp : Graph_UnaryOp<"floor", Graph_FloatTensor> {
  let summary = "Rounds down elementwise (ONNX Floor)";
}
def Graph_RoundOp : Graph_UnaryOp<"round", Graph_FloatTensor> {
  let summary = "Rounds half to even elementwise (ONNX Round)";
}
def Graph_ReciprocalOp : Graph_UnaryOp<"reciprocal", Graph_FloatTensor> {
  let summary = "1 / x elementwise (ONNX Reciprocal)";
}
def Graph_SinOp : Graph_UnaryOp<"sin", Graph_FloatTensor> {
  let summary = "Sine elementwise (ONNX Sin)";
}
def Graph_CosOp : Graph_UnaryOp<"cos", Graph_FloatTensor> {
  let summary = "Cosine elementwise (ONNX Cos)";
}
def Graph_TanOp : Graph_UnaryOp<"tan", Graph_FloatTensor> {
  let summary = "Tangent elementwise (ONNX Tan)";
}
def Graph_AsinOp : Graph_UnaryOp<"asin", Graph_FloatTensor> {
  let summary = "Arcsine elementwise (ONNX Asin)";
}
def Graph_AcosOp : Graph_UnaryOp<"acos", Graph_FloatTensor> {
  let summary = "Arccosine elementwise (ONNX Acos)";
}
def Graph_AtanOp : Graph_UnaryOp<"atan", Graph_FloatTensor> {
  let summary = "Arctangent elementwise (ONNX Atan)";
}
def Graph_SinhOp : Graph_UnaryOp<"sinh", Graph_FloatTensor> {
  let summary = "Hyperbolic sine elementwise (ONNX Sinh)";
}
def Graph_CoshOp : Graph_UnaryOp<"cosh", Graph_FloatTensor> {
  let summary = "Hyperbolic cosine elementwise (ONNX Cosh)";
}
def Graph_AsinhOp : Graph_UnaryOp<"asinh", Graph_FloatTensor> {
  let summary = "Inverse hyperbolic sine elementwise (ONNX Asinh)";
}
def Graph_AcoshOp : Graph_UnaryOp<"acosh", Graph_FloatTensor> {
  let summary = "Inverse hyperbolic cosine elementwise (ONNX Acosh)";
}
def Graph_AtanhOp : Graph_UnaryOp<"atanh", Graph_FloatTensor> {
  let summary = "Inverse hyperbolic tangent elementwise (ONNX Atanh)";
}
def Graph_SoftplusOp : Graph_UnaryOp<"softplus", Graph_FloatTensor> {
  let summary = "log(exp(x) + 1) elementwise (ONNX Softplus)";
}
def Graph_SoftsignOp : Graph_UnaryOp<"softsign", Graph_FloatTensor> {
  let summary = "x / (1 + |x|) elementwise (ONNX Softsign)";
}
def Graph_NotOp : Graph_UnaryOp<"not", Graph_BoolTensor> {
  let summary = "Logical negation elementwise (ONNX Not)";
}

//===----------------------------------------------------------------------===//
// Activations with parameters
//===----------------------------------------------------------------------===//

class Graph_ActivationOp<string mnemonic, dag attrs>
    : Graph_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let arguments = !con((ins Graph_FloatTensor:$input), attrs);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Graph_EluOp : Graph_ActivationOp<"elu", (ins F64Attr:$alpha)> {
  let summary = "x if x > 0 else alpha * (exp(x) - 1) (ONNX Elu)";
  let description = [{
    ```mlir
    %1 = graph.elu %0 {alpha = 1.0 : f64} : tensor<3x4xf32>
    ```
  }];
}
def Graph_CeluOp : Graph_ActivationOp<"celu", (ins F64Attr:$alpha)> {
  let summary = "max(0, x) + min(0, alpha * (exp(x / alpha) - 1)) (ONNX Celu)";
  let description = [{
    ```mlir
    %1 = graph.celu %0 {alpha = 2.0 : f64} : tensor<3x4xf32>
    ```
  }];
}
def Graph_SeluOp
    : Graph_ActivationOp<"selu", (ins F64Attr:$alpha, F64Attr:$gamma)> {
  let summary = "gamma * (x if x > 0 else alpha * (exp(x) - 1)) (ONNX Selu)";
  let description = [{
    ```mlir
    %1 = graph.selu %0 {alpha = 1.67 : f64, gamma = 1.05 : f64} : tensor<3x4xf32>
    ```
  }];
}
def Graph_LeakyReluOp : Graph_ActivationOp<"leaky_relu", (ins F64Attr:$alpha)> {
  let summary = "x if x >= 0 else alpha * x (ONNX LeakyRelu)";
  let description = [{
    ```mlir
    %1 = graph.leaky_relu %0 {alpha = 0.01 : f64} : tensor<3x4xf32>
    ```
  }];
}
def Graph_HardSigmoidOp
    : Graph_ActivationOp<"hard_sigmoid", (ins F64Attr:$alpha, F64Attr:$beta)> {
  let summary = "max(0, min(1, alpha * x + beta)) (ONNX HardSigmoid)";
  let description = [{
    ```mlir
    %1 = graph.hard_sigmoid %0 {alpha = 0.2 : f64, beta = 0.5 : f64} : tensor<3x4xf32>
    ```
  }];
}
def Graph_ThresholdedReluOp
    : Graph_ActivationOp<"thresholded_relu", (ins F64Attr:$alpha)> {
  let summary = "x if x > alpha else 0 (ONNX ThresholdedRelu)";
  let description = [{
    ```mlir
    %1 = graph.thresholded_relu %0 {alpha = 1.0 : f64} : tensor<3x4xf32>
    ```
  }];
}

def Graph_ShrinkOp
    : Graph_ActivationOp<"shrink", (ins F64Attr:$lambd, F64Attr:$bias)> {
  let summary = "x + bias if x < -lambd, x - bias if x > lambd, else 0 (ONNX Shrink)";
  let description = [{
    ```mlir
    %1 = graph.shrink %0 {bias = 0.0 : f64, lambd = 1.5 : f64} : tensor<5xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Predicates
//===----------------------------------------------------------------------===//

def Graph_IsNaNOp : Graph_Op<"is_nan", [Pure, SameOperandsAndResultShape]> {
  let summary = "True where x is NaN (ONNX IsNaN)";
  let description = [{
    ```mlir
    %1 = graph.is_nan %0 : tensor<4xf32> -> tensor<4xi1>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input);
  let results = (outs Graph_BoolTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Graph_IsInfOp : Graph_Op<"is_inf", [Pure, SameOperandsAndResultShape]> {
  let summary = "True where x is an infinity of a selected sign (ONNX IsInf)";
  let description = [{
    `detect_negative` / `detect_positive` select which infinities count.

    ```mlir
    %1 = graph.is_inf %0 {detect_negative = true, detect_positive = false}
        : tensor<4xf32> -> tensor<4xi1>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, BoolAttr:$detect_negative,
                       BoolAttr:$detect_positive);
  let results = (outs Graph_BoolTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

//===----------------------------------------------------------------------===//
// Broadcasting binary ops
//===----------------------------------------------------------------------===//

def Graph_MaxOp : Graph_BinaryOp<"max", [Commutative]> {
  let summary = "Broadcasting maximum (ONNX Max); `is_unsigned` for unsigned integers";
  let arguments = (ins Graph_Tensor:$lhs, Graph_Tensor:$rhs,
                       UnitAttr:$is_unsigned);
}
def Graph_MinOp : Graph_BinaryOp<"min", [Commutative]> {
  let summary = "Broadcasting minimum (ONNX Min); `is_unsigned` for unsigned integers";
  let arguments = (ins Graph_Tensor:$lhs, Graph_Tensor:$rhs,
                       UnitAttr:$is_unsigned);
}
def Graph_ModOp : Graph_BinaryOp<"mod"> {
  let summary = "Broadcasting remainder (ONNX Mod)";
  let description = [{
    With `fmod` the remainder has the sign of the dividend (C fmod, and
    integer truncation); without it (integers only) the sign of the divisor
    (Python %). `is_unsigned` treats integers as unsigned.

    ```mlir
    %2 = graph.mod %0, %1 {fmod = false} : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xi32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$lhs, Graph_Tensor:$rhs, BoolAttr:$fmod,
                       UnitAttr:$is_unsigned);
}
def Graph_BitShiftOp : Graph_BinaryOp<"bit_shift"> {
  let summary = "Broadcasting logical shift of unsigned integers (ONNX BitShift)";
  let description = [{
    Shifts `lhs` left (`left = true`) or right (logical) by `rhs` bits.

    ```mlir
    %2 = graph.bit_shift %0, %1 {left = true} : (tensor<3xi8>, tensor<3xi8>) -> tensor<3xi8>
    ```
  }];
  let arguments = (ins Graph_Tensor:$lhs, Graph_Tensor:$rhs, BoolAttr:$left);
}
def Graph_AndOp : Graph_BinaryOp<"and", [Commutative]> {
  let summary = "Broadcasting logical and of booleans (ONNX And)";
}
def Graph_OrOp : Graph_BinaryOp<"or", [Commutative]> {
  let summary = "Broadcasting logical or of booleans (ONNX Or)";
}
def Graph_XorOp : Graph_BinaryOp<"xor", [Commutative]> {
  let summary = "Broadcasting logical xor of booleans (ONNX Xor)";
}
def Graph_PReluOp : Graph_BinaryOp<"prelu"> {
  let summary = "x if x >= 0 else slope * x, slope broadcasting (ONNX PRelu)";
}

class Graph_CompareOp<string mnemonic, list<Trait> traits = []>
    : Graph_Op<mnemonic, !listconcat(traits, [Pure])> {
  let description = [{
    Compares with numpy broadcasting; the result is boolean (`i1`).
    `is_unsigned` compares integers as unsigned.

    ```mlir
    %2 = graph.}] # mnemonic # [{ %0, %1 : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xi1>
    ```
  }];
  let arguments = (ins Graph_Tensor:$lhs, Graph_Tensor:$rhs,
                       UnitAttr:$is_unsigned);
  let results = (outs Graph_BoolTensor:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Graph_EqualOp : Graph_CompareOp<"equal", [Commutative]> {
  let summary = "lhs == rhs with broadcasting (ONNX Equal)";
}
def Graph_LessOp : Graph_CompareOp<"less"> {
  let summary = "lhs < rhs with broadcasting (ONNX Less)";
}
def Graph_LessOrEqualOp : Graph_CompareOp<"less_equal"> {
  let summary = "lhs <= rhs with broadcasting (ONNX LessOrEqual)";
}
def Graph_GreaterOp : Graph_CompareOp<"greater"> {
  let summary = "lhs > rhs with broadcasting (ONNX Greater)";
}
def Graph_GreaterOrEqualOp : Graph_CompareOp<"greater_equal"> {
  let summary = "lhs >= rhs with broadcasting (ONNX GreaterOrEqual)";
}

//===----------------------------------------------------------------------===//
// Select and cast
//===----------------------------------------------------------------------===//

def Graph_WhereOp : Graph_Op<"where", [Pure]> {
  let summary = "Selects lhs where condition holds, else rhs (ONNX Where)";
  let description = [{
    The three operands broadcast numpy-style; `lhs`, `rhs` and the result
    share their element type.

    ```mlir
    %3 = graph.where %c, %a, %b
        : (tensor<2x2xi1>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins Graph_BoolTensor:$condition, Graph_Tensor:$lhs,
                       Graph_Tensor:$rhs);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $condition `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Graph_CastOp : Graph_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "Converts elements to the result element type (ONNX Cast)";
  let description = [{
    Floats convert with rounding to nearest, floats to integers truncate
    toward zero, integers extend or truncate, and a boolean result is
    `x != 0`. `input_unsigned` / `output_unsigned` mark unsigned integer
    operand or result elements (`i1` is always unsigned).

    ```mlir
    %1 = graph.cast %0 {output_unsigned} : tensor<4xf32> -> tensor<4xi8>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, UnitAttr:$input_unsigned,
                       UnitAttr:$output_unsigned);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

#endif // INGOT_DIALECTS_GRAPH_IR_GRAPHELEMENTWISEOPS_TD
