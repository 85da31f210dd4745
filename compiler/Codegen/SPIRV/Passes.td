//===- Passes.td - SPIR-V code generation passes -----------*- tablegen -*-===//
#ifndef INGOT_COMPILER_CODEGEN_SPIRV_PASSES_TD
#define INGOT_COMPILER_CODEGEN_SPIRV_PASSES_TD

include "mlir/Pass/PassBase.td"

def GatherKernelsPass : Pass<"ingot-spirv-gather-kernels", "ModuleOp"> {
  let summary = "Copies every tensor kernel into one module for SPIR-V";
  let description = [{
    Clones the tensor kernel of every `exec.executable` into one nested
    `builtin.module @spirv_kernels` carrying the `spirv.target_env` of the
    named Vulkan target, so that all kernels end up in one SPIR-V module.
    The executables are left untouched for other targets.

    Before:
    ```mlir
    exec.executable @k { builtin.module { func.func @k(%a: tensor<4xf32>) -> tensor<4xf32> {...} } }
    ```
    After:
    ```mlir
    exec.executable @k { ... unchanged ... }
    builtin.module @spirv_kernels attributes {exec.spirv_target = "default", spirv.target_env = #spirv.target_env<...>} {
      func.func @k(%a: tensor<4xf32>) -> tensor<4xf32> {...}
    }
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", "\"default\"",
           "Named Vulkan target (default, desktop)">,
  ];
  let dependentDialects = ["::mlir::spirv::SPIRVDialect"];
}

def TileAndDistributePass
    : Pass<"ingot-spirv-tile-and-distribute", "func::FuncOp"> {
  let summary = "Tiles a kernel's root op into one small tile per invocation";
  let description = [{
    Tiles the last compute op of the kernel along its parallel dims with an
    `scf.forall` whose iterations are GPU invocations, and fuses its
    producers into the loop. Each invocation computes a small block of
    outputs: up to 4 elements along the innermost parallel dim of size > 1
    before the innermost one (4 output channels of a conv, 4 rows of a
    matmul), 1 along the others, so neighbouring invocations touch
    neighbouring elements; reductions (the K loop of matmuls and
    convolutions) stay inside the invocation, as its outermost loops, and a
    contraction that would accumulate in the output accumulates in a
    private block instead (copied out once). Tensor constants then become private
    `bufferization.alloc_tensor`s filled with `tensor.insert`, or
    `linalg.fill`s for splats (SPIR-V kernels have no constant
    globals: they live in private arrays); nothing may canonicalize the
    kernel between this pass and bufferization.

    Before:
    ```mlir
    %m = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x32xf32>) outs(%f : tensor<8x32xf32>)
    ```
    After:
    ```mlir
    %r = scf.forall (%i, %j) = (0, 0) to (8, 32) step (4, 1) shared_outs(%o = %e) {
      %acc = bufferization.alloc_tensor() {memory_space = 6 : i64} : tensor<4x1xf32>
      %f = linalg.fill ... outs(%acc) ; %m = linalg.generic {iterator_types = ["reduction", "parallel", "parallel"]} ... -> tensor<4x1xf32>
      scf.forall.in_parallel { tensor.parallel_insert_slice %m into %o[...] }
    }
    ```
  }];
  let options = [
    Option<"elementsPerInvocation", "elements-per-invocation", "int64_t", "4",
           "Outputs each invocation computes along the innermost dim">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::linalg::LinalgDialect"];
}

def DistributeToInvocationsPass
    : Pass<"ingot-spirv-distribute-to-invocations", "func::FuncOp"> {
  let summary = "Maps the invocation loop of a bufferized kernel to GPU ids";
  let description = [{
    Replaces the top-level `scf.forall` of a bufferized kernel by its body
    for the invocation whose global linear id is
    `(workgroup_id.y * count.x + workgroup_id.x) * size + local_id.x`,
    guarded by `id < trip count`. Workgroups have `workgroup-size`
    invocations (fewer if the loop is shorter); the grid spreads over x and
    y so that no count exceeds 65535. A kernel without such a loop (or one
    that writes memory outside it) runs as one invocation. Temporary
    buffers become private (`Function` storage) arrays allocated at entry.
    Records `exec.workgroup_count` and `exec.workgroup_size` on the kernel.

    Before:
    ```mlir
    func.func @k(%a: memref<256xf32>, %o: memref<256xf32>) {
      scf.forall (%i) = (0) to (256) step (4) { ... }
    }
    ```
    After:
    ```mlir
    func.func @k(%a: memref<256xf32>, %o: memref<256xf32>) attributes {exec.workgroup_count = array<i64: 1, 1, 1>, exec.workgroup_size = array<i64: 64, 1, 1>} {
      %id = ... gpu.block_id x ... gpu.thread_id x ...
      scf.if %inbounds { ... body with %i = %id * 4 ... }
    }
    ```
  }];
  let options = [
    Option<"workgroupSize", "workgroup-size", "int64_t", "128",
           "Invocations per workgroup">,
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

def ConvertKernelsToSPIRVPass
    : Pass<"ingot-spirv-convert-kernels-to-spirv", "ModuleOp"> {
  let summary = "Turns the distributed kernels of a module into one spirv.module";
  let description = [{
    Moves every distributed `func.func` kernel of the module into one
    `gpu.module` as a `gpu.func` kernel with its `spirv.entry_point_abi`
    (workgroup size), then converts it to the SPIR-V dialect for the
    module's `spirv.target_env`: memrefs without memory space become
    storage buffers (descriptor set 0, binding = argument index), memory
    space 6 private arrays, math ops without a SPIR-V form are expanded or
    approximated first. The entry points (grid and workgroup size) are
    recorded on the module as `exec.entry_points`.

    Before:
    ```mlir
    module @spirv_kernels attributes {spirv.target_env = ...} {
      func.func @k(%a: memref<4xf32>, %o: memref<4xf32>) attributes {exec.workgroup_count = ..., exec.workgroup_size = ...} {...}
    }
    ```
    After:
    ```mlir
    module @spirv_kernels attributes {exec.entry_points = [#exec.entry_point<...>], spirv.target_env = ...} {
      spirv.module @__spv__spirv_kernels Logical GLSL450 {
        spirv.func @k(...) "None" attributes {spirv.entry_point_abi = ...} {...}
      }
    }
    ```
  }];
  let dependentDialects = ["::mlir::spirv::SPIRVDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::ingot::exec::ExecDialect"];
}

def SerializeExecutablesPass
    : Pass<"ingot-spirv-serialize-executables", "ModuleOp"> {
  let summary = "Serializes the SPIR-V kernel module into one exec.binary";
  let description = [{
    Serializes the `spirv.module` built by the SPIR-V kernel pipeline into a
    SPIR-V binary and replaces it with one `exec.binary` in format `spirv`
    whose entry points carry each kernel's grid and workgroup size and whose
    `target_config` records the target environment the kernels need (name,
    SPIR-V and Vulkan versions, capabilities and extensions as declared by
    the module, largest workgroup). Erases the `exec.executable` ops that no
    other target serialized (unless `keep-executables`).

    Before:
    ```mlir
    module @spirv_kernels attributes {exec.entry_points = [...], ...} { spirv.module ... }
    ```
    After:
    ```mlir
    exec.binary @spirv format("spirv") target("vulkan:default") entry_points([...]) data("\03\02#\07...")
        {target_config = {capabilities = ["Shader"], extensions = [], max_workgroup_invocations = 128 : i64, name = "default", spirv_version = 66304 : i64, vulkan_version = 4198400 : i64}}
    ```
  }];
  let options = [
    Option<"keepExecutables", "keep-executables", "bool", "false",
           "Keep the exec.executable ops (for inspection)">,
  ];
  let dependentDialects = ["::mlir::ingot::exec::ExecDialect"];
}

#endif // INGOT_COMPILER_CODEGEN_SPIRV_PASSES_TD
