// RUN: ingot-opt --ingot-convert-conv-to-im2col -split-input-file %s | FileCheck %s

// A 3x3 conv: im2col window copy over (n, c, kh, kw, oh, ow) collapsed to
// N x K x P, flat contraction, and its bias+relu consumer collapsed to
// N x F x P so it reads the contraction directly.
// CHECK-DAG: #[[WINDOW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4 + d2, d5 + d3)>
// CHECK-LABEL: func.func @conv3x3
// CHECK: %[[COPY:.*]] = linalg.generic {indexing_maps = [#[[WINDOW]], #{{.*}}]
// CHECK-SAME: ins(%{{.*}} : tensor<1x8x10x10xf32>) outs(%{{.*}} : tensor<1x8x3x3x8x8xf32>)
// CHECK-NOT: tensor.extract
// CHECK: %[[COLS:.*]] = tensor.collapse_shape %[[COPY]] {{\[}}[0], [1, 2, 3], [4, 5]] : tensor<1x8x3x3x8x8xf32> into tensor<1x72x64xf32>
// CHECK: %[[W:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2, 3]] : tensor<16x8x3x3xf32> into tensor<16x72xf32>
// CHECK: %[[FILL:.*]] = linalg.fill {{.*}} -> tensor<1x16x64xf32>
// CHECK: %[[P:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%[[W]], %[[COLS]] : tensor<16x72xf32>, tensor<1x72x64xf32>) outs(%[[FILL]] : tensor<1x16x64xf32>)
// CHECK: %[[ACT:.*]] = linalg.generic {{.*}}ins(%[[P]], %{{.*}} : tensor<1x16x64xf32>, tensor<16xf32>)
// CHECK: %[[OUT:.*]] = tensor.expand_shape %[[ACT]] {{\[}}[0], [1], [2, 3]]
// CHECK: return %[[OUT]] : tensor<1x16x8x8xf32>
func.func @conv3x3(%x: tensor<1x8x10x10xf32>, %w: tensor<16x8x3x3xf32>,
                   %b: tensor<16xf32>) -> tensor<1x16x8x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x8x8xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>)
      outs(%z : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>,
                                        affine_map<(d0, d1, d2, d3) -> (d1)>,
                                        affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c, %b : tensor<1x16x8x8xf32>, tensor<16xf32>) outs(%e : tensor<1x16x8x8xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x16x8x8xf32>
  return %r : tensor<1x16x8x8xf32>
}

// -----

// A 1x1 unit-stride conv reads its input as the columns: no gather.
// CHECK-LABEL: func.func @pointwise
// CHECK: %[[COLS:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : tensor<1x8x6x6xf32> into tensor<1x8x36xf32>
// CHECK: linalg.generic {{.*}}ins(%{{.*}}, %[[COLS]] : tensor<4x8xf32>, tensor<1x8x36xf32>)
// CHECK-NOT: tensor.extract
// CHECK: tensor.expand_shape
func.func @pointwise(%x: tensor<1x8x6x6xf32>, %w: tensor<4x8x1x1xf32>) -> tensor<1x4x6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x6x6xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x8x6x6xf32>, tensor<4x8x1x1xf32>)
      outs(%z : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %c : tensor<1x4x6x6xf32>
}

// -----

// Strided, dilated: the window copy reads oh * 2 + kh * 2.
// CHECK-DAG: #[[SD:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4 * 2 + d2 * 2, d5 * 2 + d3 * 2)>
// CHECK-LABEL: func.func @strided_dilated
// CHECK: linalg.generic {indexing_maps = [#[[SD]], #{{.*}}]
// CHECK-SAME: outs(%{{.*}} : tensor<1x2x3x3x3x3xf32>)
// CHECK: tensor.collapse_shape {{.*}} into tensor<1x18x9xf32>
// CHECK: linalg.generic {{.*}}"reduction"
// CHECK: tensor.expand_shape {{.*}} into tensor<1x4x3x3xf32>
func.func @strided_dilated(%x: tensor<1x2x9x9xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x3x3xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x9x9xf32>, tensor<4x2x3x3xf32>)
      outs(%z : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %c : tensor<1x4x3x3xf32>
}

// -----

// An integer convolution contracts with muli/addi.
// CHECK-LABEL: func.func @conv_i32
// CHECK: tensor.collapse_shape {{.*}} into tensor<1x18x16xi32>
// CHECK: linalg.generic {{.*}}"reduction"
// CHECK: arith.muli
// CHECK-NEXT: arith.addi
// CHECK: tensor.expand_shape {{.*}} into tensor<1x4x4x4xi32>
func.func @conv_i32(%x: tensor<1x2x6x6xi32>, %w: tensor<4x2x3x3xi32>) -> tensor<1x4x4x4xi32> {
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x4x4x4xi32>
  %z = linalg.fill ins(%zero : i32) outs(%e : tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x6x6xi32>, tensor<4x2x3x3xi32>)
      outs(%z : tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32>
  return %c : tensor<1x4x4x4xi32>
}
