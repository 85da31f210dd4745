// RUN: ingot-opt --pass-pipeline='builtin.module(func.func(ingot-cpu-optimize-vector-transfers))' %s | FileCheck %s

// The accumulator read/written every K iteration is hoisted: the loop
// carries it in a register; the write-only temporary disappears.
// CHECK-LABEL: func.func @acc
// CHECK: %[[INIT:.*]] = vector.transfer_read %{{.*}} : memref<32xf32>, vector<32xf32>
// CHECK: %[[R:.*]] = scf.for {{.*}} iter_args(%[[A:.*]] = %[[INIT]]) -> (vector<32xf32>)
// CHECK:   vector.fma %{{.*}}, %{{.*}}, %[[A]]
// CHECK:   scf.yield
// CHECK: vector.transfer_write %[[R]]
// CHECK-NOT: memref.alloc
func.func @acc(%b: memref<64x32xf32>, %c: memref<32xf32>, %s: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %p = arith.constant 0.0 : f32
  %tmp = memref.alloc() : memref<32xf32>
  scf.for %k = %c0 to %c64 step %c1 {
    %acc = vector.transfer_read %c[%c0], %p {in_bounds = [true]} : memref<32xf32>, vector<32xf32>
    %row = vector.transfer_read %b[%k, %c0], %p {in_bounds = [true]} : memref<64x32xf32>, vector<32xf32>
    %bs = vector.broadcast %s : f32 to vector<32xf32>
    %r = vector.fma %bs, %row, %acc : vector<32xf32>
    vector.transfer_write %r, %c[%c0] {in_bounds = [true]} : vector<32xf32>, memref<32xf32>
    vector.transfer_write %r, %tmp[%c0] {in_bounds = [true]} : vector<32xf32>, memref<32xf32>
  }
  return
}
