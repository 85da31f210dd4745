// RUN: ingot-opt --pass-pipeline='builtin.module(func.func(ingot-spirv-tile-and-distribute))' %s -split-input-file -verify-diagnostics | FileCheck %s

// A matmul with its fill: each invocation computes 4x1 outputs (4 rows of
// one column: neighbouring invocations access neighbouring columns) and
// loops over all of K, outermost; the fill is fused into the loop and the
// block accumulates in private memory, copied out at the end.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d1, d0)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @matmul
// CHECK: scf.forall (%[[I:.*]], %[[J:.*]]) = (0, 0) to (8, 32) step (4, 1)
// CHECK: %[[ACC:.*]] = bufferization.alloc_tensor() {memory_space = 6 : i64} : tensor<4x1xf32>
// CHECK: %[[FILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[ACC]] : tensor<4x1xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["reduction", "parallel", "parallel"]} ins(%{{.*}}, %{{.*}} : tensor<4x16xf32>, tensor<16x1xf32>) outs(%[[FILL]] : tensor<4x1xf32>)
// CHECK: tensor.parallel_insert_slice
// CHECK-NOT: linalg.matmul
func.func @matmul(%a: tensor<8x16xf32>, %b: tensor<16x32xf32>) -> tensor<8x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %m = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x32xf32>) outs(%f : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %m : tensor<8x32xf32>
}

// -----

// The blocked dim (6) is not a multiple of 4: the tile is its largest
// divisor up to 4. Size-1 dims are skipped when picking the blocked dim.
// CHECK-LABEL: func.func @odd
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (6, 1, 5) step (3, 1, 1)
func.func @odd(%a: tensor<6x1x5xf32>) -> tensor<6x1x5xf32> {
  %e = tensor.empty() : tensor<6x1x5xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%a : tensor<6x1x5xf32>) outs(%e : tensor<6x1x5xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<6x1x5xf32>
  return %r : tensor<6x1x5xf32>
}

// -----

// A full reduction has no parallel dim: one invocation runs it whole.
// CHECK-LABEL: func.func @sum
// CHECK-NOT: scf.forall
// CHECK: linalg.generic
func.func @sum(%a: tensor<16xf32>) -> tensor<f32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]} ins(%a : tensor<16xf32>) outs(%f : tensor<f32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// Tensor constants become ops that bufferize to private arrays: inserts of
// each element for a dense one, a fill for a splat.
// CHECK-LABEL: func.func @constants
// CHECK: %[[T0:.*]] = bufferization.alloc_tensor() {memory_space = 6 : i64} : tensor<3xf32>
// CHECK: %[[C1:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[T1:.*]] = tensor.insert %[[C1]] into %[[T0]][%{{.*}}] : tensor<3xf32>
// CHECK: %[[C2:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: %[[T2:.*]] = tensor.insert %[[C2]] into %[[T1]][%{{.*}}] : tensor<3xf32>
// CHECK: %[[C3:.*]] = arith.constant 3.000000e+00 : f32
// CHECK: tensor.insert %[[C3]] into %[[T2]][%{{.*}}] : tensor<3xf32>
// CHECK: %[[H:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: linalg.fill ins(%[[H]] : f32) outs(%{{.*}} : tensor<3xf32>)
// CHECK-NOT: dense
func.func @constants(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %b = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %h = arith.constant dense<0.5> : tensor<3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a, %b, %h : tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    %t = arith.mulf %s, %z : f32
    linalg.yield %t : f32
  } -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// -----

func.func @resource() -> tensor<8192xf32> {
  // expected-error @+1 {{tensor constant of type 'tensor<8192xf32>' is not supported by SPIR-V code generation}}
  %b = arith.constant dense_resource<blob> : tensor<8192xf32>
  return %b : tensor<8192xf32>
}
