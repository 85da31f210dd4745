// RUN: ingot-opt --ingot-convert-conv-to-im2col -split-input-file %s | FileCheck %s

// A 3x3 conv: im2col window copy over (n, oh, ow, kh, kw, c) collapsed to
// M x K, a matmul with the constant filter reshaped to K x F (a constant
// again, for weight packing), and its bias+relu consumer collapsed to M x F
// so it reads the matmul directly.
// CHECK-DAG: #[[WINDOW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d3, d2 + d4, d5)>
// CHECK-LABEL: func.func @conv3x3
// CHECK: %[[COPY:.*]] = linalg.generic {indexing_maps = [#[[WINDOW]], #{{.*}}]
// CHECK-SAME: ins(%{{.*}} : tensor<1x10x10x8xf32>) outs(%{{.*}} : tensor<1x8x8x3x3x8xf32>)
// CHECK-NOT: tensor.extract
// CHECK: %[[COLS:.*]] = tensor.collapse_shape %[[COPY]] {{\[}}[0, 1, 2], [3, 4, 5]] : tensor<1x8x8x3x3x8xf32> into tensor<64x72xf32>
// CHECK: %[[W:.*]] = arith.constant dense<{{.*}}> : tensor<72x16xf32>
// CHECK: %[[FILL:.*]] = linalg.fill {{.*}} -> tensor<64x16xf32>
// CHECK: %[[P:.*]] = linalg.matmul ins(%[[COLS]], %[[W]] : tensor<64x72xf32>, tensor<72x16xf32>) outs(%[[FILL]] : tensor<64x16xf32>)
// CHECK: %[[ACT:.*]] = linalg.generic {{.*}}ins(%[[P]], %{{.*}} : tensor<64x16xf32>, tensor<16xf32>)
// CHECK: %[[OUT:.*]] = tensor.expand_shape %[[ACT]] {{\[}}[0, 1, 2], [3]]
// CHECK: return %[[OUT]] : tensor<1x8x8x16xf32>
func.func @conv3x3(%x: tensor<1x10x10x8xf32>, %b: tensor<16xf32>) -> tensor<1x8x8x16xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.5> : tensor<3x3x8x16xf32>
  %e = tensor.empty() : tensor<1x8x8x16xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x10x10x8xf32>, tensor<3x3x8x16xf32>)
      outs(%z : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>,
                                        affine_map<(d0, d1, d2, d3) -> (d3)>,
                                        affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c, %b : tensor<1x8x8x16xf32>, tensor<16xf32>) outs(%e : tensor<1x8x8x16xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x8x16xf32>
  return %r : tensor<1x8x8x16xf32>
}

// -----

// A 1x1 unit-stride conv reads its input as the columns: no gather. A
// filter computed at run time is a view.
// CHECK-LABEL: func.func @pointwise
// CHECK: %[[COLS:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : tensor<2x6x6x8xf32> into tensor<72x8xf32>
// CHECK: %[[W:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : tensor<1x1x8x4xf32> into tensor<8x4xf32>
// CHECK: linalg.matmul ins(%[[COLS]], %[[W]] : tensor<72x8xf32>, tensor<8x4xf32>)
// CHECK-NOT: tensor.extract
// CHECK: tensor.expand_shape {{.*}} into tensor<2x6x6x4xf32>
func.func @pointwise(%x: tensor<2x6x6x8xf32>, %w: tensor<1x1x8x4xf32>) -> tensor<2x6x6x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x6x6x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<2x6x6x4xf32>) -> tensor<2x6x6x4xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<2x6x6x8xf32>, tensor<1x1x8x4xf32>)
      outs(%z : tensor<2x6x6x4xf32>) -> tensor<2x6x6x4xf32>
  return %c : tensor<2x6x6x4xf32>
}

// -----

// Strided, dilated: the window copy reads oh * 2 + kh * 2.
// CHECK-DAG: #[[SD:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d3 * 2, d2 * 2 + d4 * 2, d5)>
// CHECK-LABEL: func.func @strided_dilated
// CHECK: linalg.generic {indexing_maps = [#[[SD]], #{{.*}}]
// CHECK-SAME: outs(%{{.*}} : tensor<1x3x3x3x3x2xf32>)
// CHECK: tensor.collapse_shape {{.*}} into tensor<9x18xf32>
// CHECK: linalg.matmul
// CHECK: tensor.expand_shape {{.*}} into tensor<1x3x3x4xf32>
func.func @strided_dilated(%x: tensor<1x9x9x2xf32>, %w: tensor<3x3x2x4xf32>) -> tensor<1x3x3x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x3x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : tensor<1x9x9x2xf32>, tensor<3x3x2x4xf32>)
      outs(%z : tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32>
  return %c : tensor<1x3x3x4xf32>
}

// -----

// An integer convolution is an integer matmul.
// CHECK-LABEL: func.func @conv_i32
// CHECK: tensor.collapse_shape {{.*}} into tensor<16x18xi32>
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<16x18xi32>, tensor<18x4xi32>) outs(%{{.*}} : tensor<16x4xi32>)
// CHECK: tensor.expand_shape {{.*}} into tensor<1x4x4x4xi32>
func.func @conv_i32(%x: tensor<1x6x6x2xi32>, %w: tensor<3x3x2x4xi32>) -> tensor<1x4x4x4xi32> {
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x4x4x4xi32>
  %z = linalg.fill ins(%zero : i32) outs(%e : tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x6x6x2xi32>, tensor<3x3x2x4xi32>)
      outs(%z : tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32>
  return %c : tensor<1x4x4x4xi32>
}
