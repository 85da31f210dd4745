//===- Passes.td - exec dialect passes ---------------------*- tablegen -*-===//
#ifndef INGOT_DIALECTS_EXEC_TRANSFORMS_PASSES_TD
#define INGOT_DIALECTS_EXEC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Dispatch formation
//===----------------------------------------------------------------------===//

def FormDispatchesPass : Pass<"ingot-exec-form-dispatches", "ModuleOp"> {
  let summary = "Groups linalg/tensor compute into kernels run by exec.dispatch";
  let description = [{
    Partitions every host function's compute ops (linalg ops and tensor
    ops that move data) into dispatch groups and outlines each group into an
    `exec.executable` whose kernel is called by an `exec.dispatch`. A group
    starts at a root op; an all-parallel elementwise consumer whose input is
    the single-use result of a group joins that group, so matmul + bias +
    activation becomes one kernel. `tensor.empty`, splat or small constants
    and `linalg.fill` of those are cloned into each kernel that uses them;
    other constants become kernel operands. Reshapes (collapse/expand) stay
    on the host: they are views.

    Before:
    ```mlir
    %0 = linalg.matmul ins(%x, %w : ...) outs(%fill : tensor<1x8xf32>) -> tensor<1x8xf32>
    %1 = linalg.generic {...} ins(%0, %b : ...) outs(%e : tensor<1x8xf32>) {...}
    return %1
    ```
    After:
    ```mlir
    exec.executable @main_dispatch_0_matmul { builtin.module { func.func @main_dispatch_0_matmul(...) {...} } }
    %0 = exec.dispatch @main_dispatch_0_matmul(%x, %w, %b) : (...) -> tensor<1x8xf32>
    ```
  }];
  let dependentDialects = ["::mlir::ingot::exec::ExecDialect",
                           "::mlir::func::FuncDialect"];
}

//===----------------------------------------------------------------------===//
// Elementwise fusion before dispatch formation
//===----------------------------------------------------------------------===//

def FuseElementwiseOpsPass : Pass<"ingot-exec-fuse-elementwise-ops", "func::FuncOp"> {
  let summary = "Fuses elementwise producers into consumers without reductions";
  let description = [{
    Like upstream elementwise fusion, but a producer is only fused into a
    consumer whose loops are all parallel and when the producer has a
    single use: fusing an elementwise producer into a reduction (a matmul
    written as a generic) would recompute it for every reduction step, e.g.
    a GELU with `erf` recomputed K times. Transposes of constants (weights
    of Gemm with transB) are folded into transposed constants.

    Before:
    ```mlir
    %a = linalg.generic {iterator_types = ["parallel"]} ins(%x) ... // x + b
    %r = linalg.generic {iterator_types = ["parallel"]} ins(%a) ... // relu
    %m = linalg.generic {iterator_types = ["parallel", "parallel", "reduction"]} ins(%g, %w) ...
    ```
    After:
    ```mlir
    %r = linalg.generic {iterator_types = ["parallel"]} ins(%x) ... // relu(x + b)
    %m = ... // unchanged: %g is not fused into the reduction
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

//===----------------------------------------------------------------------===//
// Executable deduplication
//===----------------------------------------------------------------------===//

def DedupExecutablesPass : Pass<"ingot-exec-dedup-executables", "ModuleOp"> {
  let summary = "Merges executables that differ only in their name";
  let description = [{
    Two `exec.executable`s whose contents are identical once their names
    (and their kernels' names) are set aside compile to the same code: the
    first one stays, the `exec.dispatch`es of the others call it, and the
    others are erased. Unrolled recurrences (RNN, GRU, LSTM) and repeated
    layers make many such kernels; code generation then runs once per
    distinct kernel.

    Before:
    ```mlir
    exec.executable @main_dispatch_0_matmul { builtin.module { func.func @main_dispatch_0_matmul(...) {...} } }
    exec.executable @main_dispatch_1_matmul { builtin.module { func.func @main_dispatch_1_matmul(...) {...} } }
    %0 = exec.dispatch @main_dispatch_0_matmul(%h0, %r) : ...
    %1 = exec.dispatch @main_dispatch_1_matmul(%h1, %r) : ...
    ```
    After:
    ```mlir
    exec.executable @main_dispatch_0_matmul { builtin.module { func.func @main_dispatch_0_matmul(...) {...} } }
    %0 = exec.dispatch @main_dispatch_0_matmul(%h0, %r) : ...
    %1 = exec.dispatch @main_dispatch_0_matmul(%h1, %r) : ...
    ```
  }];
}

#endif // INGOT_DIALECTS_EXEC_TRANSFORMS_PASSES_TD
