//===- Passes.td - graph dialect passes --------------------*- tablegen -*-===//
#ifndef INGOT_DIALECTS_GRAPH_TRANSFORMS_PASSES_TD
#define INGOT_DIALECTS_GRAPH_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Constant folding
//===----------------------------------------------------------------------===//

def FoldConstantsPass : Pass<"ingot-graph-fold-constants", "func::FuncOp"> {
  let summary = "Evaluates graph ops whose operands are all constants";
  let description = [{
    Applies the graph ops' folders to every op whose operands are all
    constants, in program order, so chains of shape arithmetic (gather,
    add, mul, div, slice, reshape of shape constants) collapse into one
    constant. The folders bound the work: a result is computed when it is
    a splat, has at most 1024 elements, or replaces a constant operand of
    the same size that has no other use (a weight transposed or reshaped
    once), so weights are never duplicated. Constants left unused are
    erased. Identities on non-constant values (reshape of reshape, identity
    permutations) are left to the simplification passes.

    Before:
    ```mlir
    %s = graph.constant dense<[1, 8, 64]> : tensor<3xi64>
    %i = graph.constant dense<2> : tensor<1xi64>
    %d = graph.gather %s, %i {axis = 0 : i64} : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
    %h = graph.div %d, %c4 : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
    ```
    After:
    ```mlir
    %h = graph.constant dense<16> : tensor<1xi64>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// BatchNormalization folding
//===----------------------------------------------------------------------===//

def FoldBatchNormPass : Pass<"ingot-graph-fold-batch-norm", "func::FuncOp"> {
  let summary = "Folds inference batch_norm into the conv before it, or into "
                "a per-channel mul and add";
  let description = [{
    With constant statistics, `batch_norm(x) = x * a + b` per channel with
    `a = scale / sqrt(var + eps)` and `b = bias - mean * a`. When `x` is a
    `graph.conv` with constant weight (and bias) whose result has no other
    use, the conv's filters are scaled by `a` and its bias becomes
    `bias * a + b`, removing the normalization. Otherwise the batch_norm
    becomes a `graph.mul` and a `graph.add` with `C x 1 x ...` constants.
    A batch_norm with non-constant statistics is left for the lowering.

    Before:
    ```mlir
    %c = graph.conv %x, %w, %cb {...} : (...) -> tensor<1x8x4x4xf32>
    %y = graph.batch_norm %c, %s, %b, %m, %v {epsilon = 1.0e-05 : f32} : (...) -> tensor<1x8x4x4xf32>
    ```
    After:
    ```mlir
    %w2 = graph.constant dense<...> : tensor<8x3x3x3xf32>  // w * a
    %b2 = graph.constant dense<...> : tensor<8xf32>        // cb * a + b
    %y = graph.conv %x, %w2, %b2 {...} : (...) -> tensor<1x8x4x4xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Data movement simplification
//===----------------------------------------------------------------------===//

def SimplifyTransposesPass
    : Pass<"ingot-graph-simplify-transposes", "func::FuncOp"> {
  let summary = "Composes, removes and turns into reshapes graph.transpose";
  let description = [{
    A transpose of a transpose becomes one transpose with the composed
    permutation, an identity permutation is removed, and a transpose that
    only moves size-1 dimensions (the order of the other dimensions is
    kept) becomes a `graph.reshape`, which the lowering turns into a view
    instead of a copy. Transposes of constants are left to
    `ingot-graph-fold-constants`.

    Before:
    ```mlir
    %0 = graph.transpose %x [1, 0, 2] : tensor<2x3x4xf32> -> tensor<3x2x4xf32>
    %1 = graph.transpose %0 [1, 0, 2] : tensor<3x2x4xf32> -> tensor<2x3x4xf32>
    %2 = graph.transpose %y [1, 0, 2] : tensor<1x8x4xf32> -> tensor<8x1x4xf32>
    ```
    After:
    ```mlir
    // %1 is %x
    %2 = graph.reshape %y [8, 1, 4] : tensor<1x8x4xf32> -> tensor<8x1x4xf32>
    ```
  }];
}

def SimplifyReshapesPass
    : Pass<"ingot-graph-simplify-reshapes", "func::FuncOp"> {
  let summary = "Merges chains of graph.reshape/graph.flatten and removes "
                "identity ones";
  let description = [{
    A reshape or flatten of a reshape or flatten becomes one reshape of the
    original value (only the final shape matters), and one whose result
    type equals its operand type is removed. Reshapes of constants are left
    to `ingot-graph-fold-constants`.

    Before:
    ```mlir
    %0 = graph.flatten %x {axis = 1 : i64} : tensor<2x3x4xf32> -> tensor<2x12xf32>
    %1 = graph.reshape %0 [24] : tensor<2x12xf32> -> tensor<24xf32>
    %2 = graph.reshape %1 [2, 3, 4] : tensor<24xf32> -> tensor<2x3x4xf32>
    ```
    After:
    ```mlir
    // %2 is %x
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Run-time checks
//===----------------------------------------------------------------------===//

def DropSatisfiedChecksPass
    : Pass<"ingot-graph-drop-satisfied-checks", "func::FuncOp"> {
  let summary = "Removes run-time check results that folded to constants";
  let description = [{
    A result with the `ingot.check` attribute is a rank-0 integer condition
    the runtime verifies after each run (the importer adds them for
    shape operands known only at run time, e.g. Reshape's shape; see
    docs/design/module-format.md). When constant folding has turned one into
    a constant, it needs no run-time work: a non-zero constant is dropped
    from the function's results; a zero constant can never hold and is
    reported as an error with the check's message.

    Before:
    ```mlir
    func.func @f(%x: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<i32> {ingot.check = "..."}) {
      %ok = graph.constant dense<1> : tensor<i32>
      ...
      return %y, %ok : tensor<3x2xf32>, tensor<i32>
    }
    ```
    After:
    ```mlir
    func.func @f(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
      ...
      return %y : tensor<3x2xf32>
    }
    ```
  }];
}

#endif // INGOT_DIALECTS_GRAPH_TRANSFORMS_PASSES_TD
