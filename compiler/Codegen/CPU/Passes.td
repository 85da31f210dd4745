//===- Passes.td - CPU code generation passes --------------*- tablegen -*-===//
#ifndef INGOT_COMPILER_CODEGEN_CPU_PASSES_TD
#define INGOT_COMPILER_CODEGEN_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def LowerKernelAbiPass : Pass<"ingot-cpu-lower-kernel-abi", "func::FuncOp"> {
  let summary = "Gives a bufferized kernel the CPU executable ABI";
  let description = [{
    Rewrites a kernel `(memref...)` whose top-level `scf.forall` iterates
    over workgroups into the CPU ABI of docs/design/executable-abi.md:
    `(bindings: !llvm.ptr, push_constants: !llvm.ptr, workgroup_id: i64)`.
    Each memref argument is rebuilt from its binding pointer (static shapes,
    identity layout) and the forall body runs once for the workgroup whose
    linear id is `workgroup_id`. The grid size is recorded in
    `exec.workgroup_count`. A kernel marked `ingot.cpu.single_workgroup`
    (or whose ops outside the loop write memory) runs the loop sequentially
    instead, as one workgroup.

    Before:
    ```mlir
    func.func @k(%a: memref<4x8xf32>, %o: memref<4x8xf32>) {
      scf.forall (%i) in (4) { ... }
    }
    ```
    After:
    ```mlir
    func.func @k(%b: !llvm.ptr, %pc: !llvm.ptr, %wg: i64) attributes {exec.workgroup_count = array<i64: 4, 1, 1>} {
      %p0 = llvm.load ... ; %a = builtin.unrealized_conversion_cast %desc0 : ... to memref<4x8xf32>
      ... body with %i = workgroup id ...
    }
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::arith::ArithDialect"];
}

def MaterializeKernelInterfacePass
    : Pass<"ingot-cpu-materialize-kernel-interface", "func::FuncOp"> {
  let summary = "Turns a tensor kernel into destination-passing style on memrefs";
  let description = [{
    Rewrites a kernel `(tensor...) -> (tensor...)` into
    `(memref inputs..., memref outputs...) -> ()`: inputs are read with
    `bufferization.to_tensor ... restrict` and each result is stored with
    `bufferization.materialize_in_destination ... restrict writable`, so that
    empty-tensor elimination and one-shot bufferization write results
    straight into the output buffers.

    Before:
    ```mlir
    func.func @k(%a: tensor<4xf32>) -> tensor<4xf32> { ...; return %r }
    ```
    After:
    ```mlir
    func.func @k(%a: memref<4xf32>, %o: memref<4xf32>) {
      %t = bufferization.to_tensor %a restrict : memref<4xf32>
      ...
      bufferization.materialize_in_destination %r in restrict writable %o : (tensor<4xf32>, memref<4xf32>) -> ()
      return
    }
    ```
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect",
                           "::mlir::memref::MemRefDialect"];
}

def OptimizeVectorTransfersPass
    : Pass<"ingot-cpu-optimize-vector-transfers", "func::FuncOp"> {
  let summary = "Keeps accumulators in registers after bufferization";
  let description = [{
    On bufferized kernels: folds subview chains into vector transfers,
    hoists loop-invariant transfer_read/transfer_write pairs out of loops
    (the matmul accumulator stays in registers across the K loop) and
    forwards stores to loads of the same memory.

    Before:
    ```mlir
    scf.for %k = ... {
      %acc = vector.transfer_read %c[...]
      %r = vector.fma ...
      vector.transfer_write %r, %c[...]
    }
    ```
    After:
    ```mlir
    %acc0 = vector.transfer_read %c[...]
    %acc = scf.for %k = ... iter_args(%a = %acc0) { ... scf.yield %r }
    vector.transfer_write %acc, %c[...]
    ```
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::memref::MemRefDialect"];
}

def SerializeExecutablesPass
    : Pass<"ingot-cpu-serialize-executables", "ModuleOp"> {
  let summary = "Links the LLVM-dialect kernels of all executables into one shared object";
  let description = [{
    Takes every `exec.executable` whose kernel module has been lowered to
    the LLVM dialect, translates them to LLVM IR in one module, runs the
    LLVM O3 pipeline for the target CPU, emits an object file in memory and
    links it with lld into a shared object. Replaces the executables with
    one `exec.binary` in format `cpu-elf` whose entry points carry each
    kernel's workgroup grid.

    Before:
    ```mlir
    exec.executable @k { builtin.module { llvm.func @k(...) attributes {exec.workgroup_count = ...} } }
    ```
    After:
    ```mlir
    exec.binary @cpu format("cpu-elf") target("x86_64-pc-linux-gnu:skylake-avx512") entry_points([...]) data("\7FELF...")
    ```
  }];
  let options = [
    Option<"targetTriple", "target-triple", "std::string", "\"\"",
           "LLVM target triple (default: the host's)">,
    Option<"targetCpu", "target-cpu", "std::string", "\"host\"",
           "Target CPU name, or `host`">,
    Option<"targetFeatures", "target-features", "std::string", "\"\"",
           "Extra target features (`+avx2,...`); `host` CPU implies the host's">,
    Option<"keepExecutables", "keep-executables", "bool", "false",
           "Keep the exec.executable ops (for inspection)">,
  ];
  let dependentDialects = ["::mlir::ingot::exec::ExecDialect"];
}

def TileAndDistributePass : Pass<"ingot-cpu-tile-and-distribute", "func::FuncOp"> {
  let summary = "Tiles a kernel's root op into workgroups and fuses its producers";
  let description = [{
    Tiles the last compute op of the kernel along its parallel dims with an
    `scf.forall` (one iteration per workgroup) and fuses its producers
    (matmul, fill, elementwise) into the loop. Tile sizes divide the dims
    (so tiles stay static) and aim at enough workgroups to keep every thread
    busy. A kernel whose root runs fewer than `serial-iterations` loop
    iterations (a pad of a 7x7 layer, a global pool) is marked
    `ingot.cpu.single_workgroup`: ingot-cpu-lower-kernel-abi then runs its
    tiles one after the other in one workgroup, which the runtime calls on
    the dispatching thread without waking the pool.

    Before:
    ```mlir
    %m = linalg.matmul ins(...) outs(%fill : tensor<64x512xf32>)
    %r = linalg.generic {...} ins(%m, %bias ...) outs(%e : tensor<64x512xf32>)
    ```
    After:
    ```mlir
    %r = scf.forall (%i, %j) in (2, 8) shared_outs(%o = %e) {
      %f = linalg.fill ... ; %m = linalg.matmul ... ; %g = linalg.generic ...
      scf.forall.in_parallel { tensor.parallel_insert_slice %g into %o[...] }
    }
    ```
  }];
  let options = [
    Option<"minWorkgroups", "min-workgroups", "int64_t", "16",
           "Shrink tiles until there are at least this many workgroups">,
    Option<"serialIterations", "serial-iterations", "int64_t", "65536",
           "Run kernels whose root has fewer loop iterations (all loops) "
           "as a single workgroup">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::linalg::LinalgDialect"];
}

def TileAndVectorizePass : Pass<"ingot-cpu-tile-and-vectorize", "func::FuncOp"> {
  let summary = "Tiles workgroup tiles to register tiles and vectorizes them";
  let description = [{
    Inside each workgroup tile, tiles the root op again to a register-sized
    tile (fusing producers), tiles reductions of contractions by a small K
    step, and vectorizes every linalg op with static shapes. Contractions
    become vector outer products; transfers are kept simple for LLVM.

    Register tiles of contractions are whole vectors: a pixel count without
    such a divisor (49, 196) gets 16/32-wide tiles and its partial last tile
    peeled off into a loop of its own. Ops reading windows through
    non-permutation maps (the im2col copy, `oh + kh`) get single-row tiles
    whose unit loops are dropped, so each tile copies a contiguous row.
    NCHW depthwise convolutions are generalized into such window reads first,
    with their kh/kw loops tiled by one tap: each tap is a row-wide vector
    multiply-add (for unit strides).

    Before:
    ```mlir
    %m = linalg.matmul ins(%a, %b : tensor<8x784xf32>, tensor<784x64xf32>) outs(...)
    ```
    After:
    ```mlir
    scf.for %k = ... step 4 iter_args(...) {
      %va = vector.transfer_read ...
      %acc = vector.outerproduct ... (or vector.contract)
    }
    ```
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::linalg::LinalgDialect"];
}

#endif // INGOT_COMPILER_CODEGEN_CPU_PASSES_TD
