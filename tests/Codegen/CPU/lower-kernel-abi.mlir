// RUN: ingot-opt --split-input-file --pass-pipeline='builtin.module(func.func(ingot-cpu-lower-kernel-abi))' %s | FileCheck %s

// The kernel takes (bindings, push constants, workgroup id), rebuilds its
// memrefs from the binding pointers, runs the workgroup loop body for one
// id and records the grid; temporary buffers move to the stack.
// CHECK-LABEL: func.func @k(
// CHECK-SAME: %[[B:.*]]: !llvm.ptr, %{{.*}}: !llvm.ptr, %[[ID:.*]]: i64)
// CHECK-SAME: exec.workgroup_count = array<i64: 8, 1, 1>
// CHECK: %[[P:.*]] = llvm.getelementptr %[[B]][0]
// CHECK: llvm.load %[[P]] : !llvm.ptr -> !llvm.ptr
// CHECK: builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<32xf32>
// CHECK: %[[I:.*]] = arith.index_cast %[[ID]] : i64 to index
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<4xf32>
// CHECK-NOT: scf.forall
// CHECK: memref.subview
func.func @k(%a: memref<32xf32>, %o: memref<32xf32>) {
  scf.forall (%i) = (0) to (32) step (4) {
    %t = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
    %s = memref.subview %a[%i] [4] [1] : memref<32xf32> to memref<4xf32, strided<[1], offset: ?>>
    %d = memref.subview %o[%i] [4] [1] : memref<32xf32> to memref<4xf32, strided<[1], offset: ?>>
    memref.copy %s, %t : memref<4xf32, strided<[1], offset: ?>> to memref<4xf32>
    memref.copy %t, %d : memref<4xf32> to memref<4xf32, strided<[1], offset: ?>>
  }
  return
}

// -----

// Memory written outside the workgroup loop (an output initialised from an
// input) would be redone by every workgroup: the kernel runs serially.
// CHECK-LABEL: func.func @serial(
// CHECK-SAME: exec.workgroup_count = array<i64: 1, 1, 1>
// CHECK: memref.copy
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step
// CHECK-NOT: scf.forall
func.func @serial(%init: memref<32xf32>, %o: memref<32xf32>) {
  memref.copy %init, %o : memref<32xf32> to memref<32xf32>
  scf.forall (%i) = (0) to (32) step (4) {
    %d = memref.subview %o[%i] [4] [1] : memref<32xf32> to memref<4xf32, strided<[1], offset: ?>>
    %c = arith.constant 1.0 : f32
    linalg.fill ins(%c : f32) outs(%d : memref<4xf32, strided<[1], offset: ?>>)
  }
  return
}

// -----

// A kernel that tile-and-distribute found too small to share among threads
// runs its workgroup loop sequentially as one workgroup; the marker goes.
// CHECK-LABEL: func.func @single(
// CHECK-SAME: exec.workgroup_count = array<i64: 1, 1, 1>
// CHECK-NOT: ingot.cpu.single_workgroup
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step
// CHECK-NOT: scf.forall
func.func @single(%a: memref<32xf32>, %o: memref<32xf32>) attributes {ingot.cpu.single_workgroup} {
  scf.forall (%i) = (0) to (32) step (4) {
    %s = memref.subview %a[%i] [4] [1] : memref<32xf32> to memref<4xf32, strided<[1], offset: ?>>
    %d = memref.subview %o[%i] [4] [1] : memref<32xf32> to memref<4xf32, strided<[1], offset: ?>>
    memref.copy %s, %d : memref<4xf32, strided<[1], offset: ?>> to memref<4xf32, strided<[1], offset: ?>>
  }
  return
}
