// RUN: ingot-opt --ingot-linalg-pack-weights -split-input-file %s | FileCheck %s
// RUN: ingot-opt --pass-pipeline='builtin.module(func.func(ingot-linalg-pack-weights{panel-size=2}))' -split-input-file %s | FileCheck %s --check-prefix=SMALL

// A constant 2 x 64 weight: two panels of 32 columns, packed[j][k][l] =
// w[k][32 j + l]; the bias+relu consumer runs over the panels and the result
// is collapsed back to M x N after it.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @linear
// CHECK-NOT: linalg.matmul
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{.*}}> : tensor<2x2x32xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<{{.*}}> : tensor<2x32xf32>
// CHECK: %[[F:.*]] = linalg.fill {{.*}} -> tensor<4x2x32xf32>
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%{{.*}}, %[[W]] : tensor<4x2xf32>, tensor<2x2x32xf32>) outs(%[[F]] : tensor<4x2x32xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x2x32xf32>
// CHECK: %[[R:.*]] = linalg.generic {{.*}}ins(%[[P]], %[[B]] : tensor<4x2x32xf32>, tensor<2x32xf32>) outs(%[[E]] : tensor<4x2x32xf32>)
// CHECK: arith.maximumf
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[R]] {{\[}}[0], [1, 2]] : tensor<4x2x32xf32> into tensor<4x64xf32>
// CHECK: return %[[FLAT]]
func.func @linear(%x: tensor<4x2xf32>) -> tensor<4x64xf32> {
  %w = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0],
                           [100.0, 101.0, 102.0, 103.0, 104.0, 105.0, 106.0, 107.0, 108.0, 109.0, 110.0, 111.0, 112.0, 113.0, 114.0, 115.0, 116.0, 117.0, 118.0, 119.0, 120.0, 121.0, 122.0, 123.0, 124.0, 125.0, 126.0, 127.0, 128.0, 129.0, 130.0, 131.0, 132.0, 133.0, 134.0, 135.0, 136.0, 137.0, 138.0, 139.0, 140.0, 141.0, 142.0, 143.0, 144.0, 145.0, 146.0, 147.0, 148.0, 149.0, 150.0, 151.0, 152.0, 153.0, 154.0, 155.0, 156.0, 157.0, 158.0, 159.0, 160.0, 161.0, 162.0, 163.0]]> : tensor<2x64xf32>
  %b = arith.constant dense<1.0> : tensor<64xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x64xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x64xf32>) -> tensor<4x64xf32>
  %m = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x64xf32>) outs(%f : tensor<4x64xf32>) -> tensor<4x64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m, %b : tensor<4x64xf32>, tensor<64xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    %t = arith.maximumf %s, %zero : f32
    linalg.yield %t : f32
  } -> tensor<4x64xf32>
  return %r : tensor<4x64xf32>
}

// -----

// The packed layout itself, checked on a 2 x 4 weight in panels of 2:
// panel 0 holds columns 0-1 of both rows, panel 1 columns 2-3.
// SMALL-LABEL: func.func @layout
// SMALL: arith.constant dense<{{\[}}{{\[}}[1.000000e+00, 2.000000e+00], [5.000000e+00, 6.000000e+00]], {{\[}}[3.000000e+00, 4.000000e+00], [7.000000e+00, 8.000000e+00]]]> : tensor<2x2x2xf32>
// SMALL: linalg.generic
// SMALL: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : tensor<3x2x2xf32> into tensor<3x4xf32>
func.func @layout(%x: tensor<3x2xf32>) -> tensor<3x4xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x4xf32>) -> tensor<3x4xf32>
  %m = linalg.matmul ins(%x, %w : tensor<3x2xf32>, tensor<2x4xf32>) outs(%f : tensor<3x4xf32>) -> tensor<3x4xf32>
  return %m : tensor<3x4xf32>
}

// -----

// Not packed: a weight computed at run time, N not a whole number of 8-lane
// vectors (10 classes), N under one vector, and integer products.
// CHECK-LABEL: func.func @kept
// CHECK-COUNT-4: linalg.matmul
// CHECK-NOT: linalg.generic
func.func @kept(%x: tensor<4x8xf32>, %w: tensor<8x64xf32>, %xi: tensor<4x8xi32>) -> (tensor<4x64xf32>, tensor<4x10xf32>, tensor<4x4xf32>, tensor<4x64xi32>) {
  %w10 = arith.constant dense<1.0> : tensor<8x10xf32>
  %w4 = arith.constant dense<1.0> : tensor<8x4xf32>
  %wi = arith.constant dense<1> : tensor<8x64xi32>
  %zero = arith.constant 0.0 : f32
  %zi = arith.constant 0 : i32
  %e64 = tensor.empty() : tensor<4x64xf32>
  %f64 = linalg.fill ins(%zero : f32) outs(%e64 : tensor<4x64xf32>) -> tensor<4x64xf32>
  %a = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x64xf32>) outs(%f64 : tensor<4x64xf32>) -> tensor<4x64xf32>
  %e10 = tensor.empty() : tensor<4x10xf32>
  %f10 = linalg.fill ins(%zero : f32) outs(%e10 : tensor<4x10xf32>) -> tensor<4x10xf32>
  %b = linalg.matmul ins(%x, %w10 : tensor<4x8xf32>, tensor<8x10xf32>) outs(%f10 : tensor<4x10xf32>) -> tensor<4x10xf32>
  %e4 = tensor.empty() : tensor<4x4xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %c = linalg.matmul ins(%x, %w4 : tensor<4x8xf32>, tensor<8x4xf32>) outs(%f4 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %ei = tensor.empty() : tensor<4x64xi32>
  %fi = linalg.fill ins(%zi : i32) outs(%ei : tensor<4x64xi32>) -> tensor<4x64xi32>
  %d = linalg.matmul ins(%xi, %wi : tensor<4x8xi32>, tensor<8x64xi32>) outs(%fi : tensor<4x64xi32>) -> tensor<4x64xi32>
  return %a, %b, %c, %d : tensor<4x64xf32>, tensor<4x10xf32>, tensor<4x4xf32>, tensor<4x64xi32>
}

// -----

// N not a multiple of 32 gets the widest whole-vector panels that divide it:
// 48 columns as three 16-wide panels, 24 as three 8-wide ones (not one
// 24-lane panel), and the weight keeps its name.
// CHECK-LABEL: func.func @narrow_panels
// CHECK-DAG: arith.constant {{.*}} : tensor<3x8x16xf32>
// CHECK-DAG: arith.constant {{.*}}ingot.name = "proj"{{.*}} : tensor<3x8x8xf32>
// CHECK: linalg.generic {{.*}}outs(%{{.*}} : tensor<4x3x16xf32>)
// CHECK: linalg.generic {{.*}}outs(%{{.*}} : tensor<4x3x8xf32>)
// CHECK-NOT: linalg.matmul
func.func @narrow_panels(%x: tensor<4x8xf32>) -> (tensor<4x48xf32>, tensor<4x24xf32>) {
  %w48 = arith.constant dense<1.0> : tensor<8x48xf32>
  %w24 = arith.constant {ingot.name = "proj"} dense<2.0> : tensor<8x24xf32>
  %zero = arith.constant 0.0 : f32
  %e48 = tensor.empty() : tensor<4x48xf32>
  %f48 = linalg.fill ins(%zero : f32) outs(%e48 : tensor<4x48xf32>) -> tensor<4x48xf32>
  %a = linalg.matmul ins(%x, %w48 : tensor<4x8xf32>, tensor<8x48xf32>) outs(%f48 : tensor<4x48xf32>) -> tensor<4x48xf32>
  %e24 = tensor.empty() : tensor<4x24xf32>
  %f24 = linalg.fill ins(%zero : f32) outs(%e24 : tensor<4x24xf32>) -> tensor<4x24xf32>
  %b = linalg.matmul ins(%x, %w24 : tensor<4x8xf32>, tensor<8x24xf32>) outs(%f24 : tensor<4x24xf32>) -> tensor<4x24xf32>
  return %a, %b : tensor<4x48xf32>, tensor<4x24xf32>
}
