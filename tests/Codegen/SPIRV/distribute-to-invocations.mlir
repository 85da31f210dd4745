// RUN: ingot-opt --pass-pipeline='builtin.module(func.func(ingot-spirv-distribute-to-invocations))' %s -split-input-file -verify-diagnostics | FileCheck %s

// 256 invocations of 4 elements: two full workgroups of 128, no guard; the
// private tile is allocated at entry.
// CHECK-LABEL: func.func @neg
// CHECK-SAME: exec.workgroup_count = array<i64: 2, 1, 1>
// CHECK-SAME: exec.workgroup_size = array<i64: 128, 1, 1>
// CHECK: memref.alloca() : memref<4xf32, 6>
// CHECK: %[[WG:.*]] = gpu.block_id x
// CHECK: %[[C128:.*]] = arith.constant 128 : index
// CHECK: %[[BASE:.*]] = arith.muli %[[WG]], %[[C128]]
// CHECK: %[[T:.*]] = gpu.thread_id x
// CHECK: %[[ID:.*]] = arith.addi %[[BASE]], %[[T]]
// CHECK-NOT: scf.if
// CHECK-NOT: scf.forall
// CHECK: arith.muli %[[ID]], %{{.*}}
// CHECK: scf.for
func.func @neg(%a: memref<1024xf32>, %o: memref<1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.forall (%i) = (0) to (1024) step (4) {
    %t = memref.alloca() : memref<4xf32, 6>
    scf.for %k = %c0 to %c4 step %c1 {
      %idx = arith.addi %i, %k : index
      %x = memref.load %a[%idx] : memref<1024xf32>
      %n = arith.negf %x : f32
      memref.store %n, %t[%k] : memref<4xf32, 6>
    }
    scf.for %k = %c0 to %c4 step %c1 {
      %idx = arith.addi %i, %k : index
      %x = memref.load %t[%k] : memref<4xf32, 6>
      memref.store %x, %o[%idx] : memref<1024xf32>
    }
  }
  return
}

// -----

// 250 invocations: the last workgroup is partial, so ids are guarded.
// CHECK-LABEL: func.func @guarded
// CHECK-SAME: exec.workgroup_count = array<i64: 2, 1, 1>
// CHECK: %[[ID:.*]] = arith.addi
// CHECK: %[[IN:.*]] = arith.cmpi ult, %[[ID]], %{{.*}}
// CHECK: scf.if %[[IN]]
// CHECK: memref.store
func.func @guarded(%a: memref<1000xf32>, %o: memref<1000xf32>) {
  scf.forall (%i) = (0) to (1000) step (4) {
    %x = memref.load %a[%i] : memref<1000xf32>
    memref.store %x, %o[%i] : memref<1000xf32>
  }
  return
}

// -----

// More than 65535 workgroups: the grid uses y too.
// CHECK-LABEL: func.func @big
// CHECK-SAME: exec.workgroup_count = array<i64: 65535, 2, 1>
// CHECK: gpu.block_id x
// CHECK: gpu.block_id y
func.func @big(%a: memref<8388736xf32>, %o: memref<8388736xf32>) {
  scf.forall (%i) in (8388736) {
    %x = memref.load %a[%i] : memref<8388736xf32>
    memref.store %x, %o[%i] : memref<8388736xf32>
  }
  return
}

// -----

// A write outside the loop: the kernel runs serially in one invocation.
// CHECK-LABEL: func.func @serial
// CHECK-SAME: exec.workgroup_count = array<i64: 1, 1, 1>
// CHECK-SAME: exec.workgroup_size = array<i64: 1, 1, 1>
// CHECK-NOT: gpu.thread_id
// CHECK: scf.for
func.func @serial(%a: memref<8xf32>, %o: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %z = arith.constant 0.0 : f32
  memref.store %z, %o[%c0] : memref<8xf32>
  scf.forall (%i) in (8) {
    %x = memref.load %a[%i] : memref<8xf32>
    memref.store %x, %o[%i] : memref<8xf32>
  }
  return
}

// -----

// expected-error @+1 {{kernel arguments must be static identity-layout memrefs in the default memory space}}
func.func @dynamic(%a: memref<?xf32>) {
  return
}

// -----

func.func @shared_temp(%o: memref<4xf32>) {
  // expected-error @+1 {{temporary buffer must be static and private for SPIR-V}}
  %t = memref.alloca() : memref<4xf32>
  return
}
