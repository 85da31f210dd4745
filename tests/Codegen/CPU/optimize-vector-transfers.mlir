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

// A small copy between tiles (a window copy whose unit loops were dropped)
// becomes one transfer pair; a large one stays a copy (a loop later).
// CHECK-LABEL: func.func @copies
// CHECK-SAME: (%[[SRC:.*]]: memref<8x64xf32>, %[[DST:.*]]: memref<4x192xf32>, %[[I:.*]]: index, %[[J:.*]]: index
// CHECK: %[[ROW:.*]] = vector.transfer_read %[[SRC]][%[[I]], %{{.*}}], %{{.*}} : memref<8x64xf32>, vector<1x64xf32>
// CHECK: vector.transfer_write %[[ROW]], %[[DST]][%[[J]], %{{.*}}] {{.*}} : vector<1x64xf32>, memref<4x192xf32>
// CHECK: linalg.copy ins(%{{.*}} : memref<64x64xf32>) outs(%{{.*}} : memref<64x64xf32>)
func.func @copies(%src: memref<8x64xf32>, %dst: memref<4x192xf32>, %i: index, %j: index,
                  %big: memref<64x64xf32>, %big2: memref<64x64xf32>) {
  %s = memref.subview %src[%i, 0] [1, 64] [1, 1] : memref<8x64xf32> to memref<1x64xf32, strided<[64, 1], offset: ?>>
  %d = memref.subview %dst[%j, 64] [1, 64] [1, 1] : memref<4x192xf32> to memref<1x64xf32, strided<[192, 1], offset: ?>>
  linalg.copy ins(%s : memref<1x64xf32, strided<[64, 1], offset: ?>>) outs(%d : memref<1x64xf32, strided<[192, 1], offset: ?>>)
  linalg.copy ins(%big : memref<64x64xf32>) outs(%big2 : memref<64x64xf32>)
  return
}
