// RUN: ingot-opt %s -split-input-file -verify-diagnostics

func.func @add_not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.add' op operand shapes 2x3 and 4 do not broadcast}}
  %0 = graph.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @mul_element_types(%a: tensor<3xf32>, %b: tensor<3xi32>) -> tensor<3xf32> {
  // expected-error @+1 {{'graph.mul' op operand element types differ ('f32' vs 'i32')}}
  %0 = graph.mul %a, %b : (tensor<3xf32>, tensor<3xi32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @sub_wrong_result(%a: tensor<2x1xf32>, %b: tensor<3xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{'graph.sub' op result shape 2x1 is incompatible with the inferred shape 2x3}}
  %0 = graph.sub %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @sigmoid_int(%a: tensor<3xi32>) -> tensor<3xi32> {
  // expected-error @+1 {{'graph.sigmoid' op operand #0 must be ranked tensor of floating-point values}}
  %0 = graph.sigmoid %a : tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

func.func @matmul_contraction(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'graph.matmul' op cannot multiply 2x3 by 4x5: contraction sizes differ (3 vs 4)}}
  %0 = graph.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x3x6xf32> {
  // expected-error @+1 {{'graph.matmul' op cannot multiply 2x3x4 by 5x4x6: batch dimensions do not broadcast}}
  %0 = graph.matmul %a, %b : (tensor<2x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x3x6xf32>
  return %0 : tensor<2x3x6xf32>
}

// -----

func.func @matmul_vector_result(%a: tensor<4xf32>, %b: tensor<4x6xf32>) -> tensor<1x6xf32> {
  // expected-error @+1 {{'graph.matmul' op result shape 1x6 is incompatible with the inferred shape 6}}
  %0 = graph.matmul %a, %b : (tensor<4xf32>, tensor<4x6xf32>) -> tensor<1x6xf32>
  return %0 : tensor<1x6xf32>
}

// -----

func.func @gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'graph.gemm' op A and B must be 2-D, got 2x3x4 and 4x5}}
  %0 = graph.gemm %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @gemm_trans(%a: tensor<3x2xf32>, %b: tensor<3x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'graph.gemm' op contraction sizes differ (2 vs 3)}}
  %0 = graph.gemm %a, %b : (tensor<3x2xf32>, tensor<3x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @gemm_bias(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>, %c: tensor<2xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'graph.gemm' op C of shape 2 does not broadcast to 2x5}}
  %0 = graph.gemm %a, %b, %c : (tensor<2x3xf32>, tensor<3x5xf32>, tensor<2xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @softmax_axis(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.softmax' op axis 2 is out of range [-2, 2)}}
  %0 = graph.softmax %a {axis = 2} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @reshape_count(%a: tensor<2x3xf32>) -> tensor<7xf32> {
  // expected-error @+1 {{'graph.reshape' op cannot reshape 6 elements (2x3) into 7 (7)}}
  %0 = graph.reshape %a [7] : tensor<2x3xf32> -> tensor<7xf32>
  return %0 : tensor<7xf32>
}

// -----

func.func @reshape_two_inferred(%a: tensor<?x3xf32>) -> tensor<?x?xf32> {
  // expected-error @+1 {{'graph.reshape' op shape has 2 entries of -1; at most one is allowed}}
  %0 = graph.reshape %a [-1, -1] : tensor<?x3xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @reshape_mismatch(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'graph.reshape' op shape entry 0 is 6 but result dimension 0 is 3}}
  %0 = graph.reshape %a [6, 1] : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @flatten_axis(%a: tensor<2x3xf32>) -> tensor<6x1xf32> {
  // expected-error @+1 {{'graph.flatten' op axis 3 is out of range [0, 2]}}
  %0 = graph.flatten %a {axis = 3} : tensor<2x3xf32> -> tensor<6x1xf32>
  return %0 : tensor<6x1xf32>
}

// -----

func.func @flatten_result(%a: tensor<2x3x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'graph.flatten' op result shape 2x4 is incompatible with the inferred shape 2x12}}
  %0 = graph.flatten %a {axis = 1} : tensor<2x3x4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @transpose_perm(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'graph.transpose' op perm is not a permutation of [0, 2)}}
  %0 = graph.transpose %a [1, 1] : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @transpose_result(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.transpose' op result shape 2x3 is incompatible with the inferred shape 3x2}}
  %0 = graph.transpose %a [1, 0] : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @constant_unranked() -> tensor<2xf32> {
  // expected-error @+2 {{'graph.constant' op inferred type(s) 'tensor<2xi32>' are incompatible with return type(s) of operation 'tensor<2xf32>'}}
  // expected-error @+1 {{'graph.constant' op failed to infer returned types}}
  %0 = "graph.constant"() {value = dense<[1, 2]> : tensor<2xi32>} : () -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @conv_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{input has 3 channels but weight and group expect 2}}
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_result(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{result shape 1x4x8x8 is incompatible with the inferred shape 1x4x3x3}}
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6xf32> {
  // expected-error @+1 {{expects a weight of the input's rank 3, got 4x3x3x3}}
  %0 = graph.conv %x, %w {dilations = array<i64: 1>, group = 1 : i64, pads = array<i64: 0, 0>, strides = array<i64: 1>} : (tensor<1x3x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6xf32>
  return %0 : tensor<1x4x6xf32>
}

// -----

func.func @conv_transpose_channels(%x: tensor<1x3x4x4xf32>, %w: tensor<2x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{input has 3 channels but the weight expects 2}}
  %0 = graph.conv_transpose %x, %w {dilations = array<i64: 1, 1>, group = 1 : i64, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x4x4xf32>, tensor<2x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_transpose_result(%x: tensor<1x2x4x4xf32>, %w: tensor<2x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{result shape 1x4x6x6 is incompatible with the inferred shape 1x4x9x9}}
  %0 = graph.conv_transpose %x, %w {dilations = array<i64: 1, 1>, group = 1 : i64, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>, tensor<2x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @max_pool_pads(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x10x10xf32> {
  // expected-error @+1 {{pads must be smaller than the window extent}}
  %0 = graph.max_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
  return %0 : tensor<1x3x10x10xf32>
}

// -----

func.func @reduce_mean_axes(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{axes must be sorted, unique and in [0, 2)}}
  %0 = graph.reduce_mean %x {axes = array<i64: 2>, keepdims = false} : tensor<2x3xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @slice_bounds(%x: tensor<4x6xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{dim 1 reads out of bounds (start 3, step 1, size 4 of 6)}}
  %0 = graph.slice %x {starts = array<i64: 0, 3>, steps = array<i64: 1, 1>} : tensor<4x6xf32> -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @gather_shape(%x: tensor<4x6xf32>, %i: tensor<2xi64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{result shape 2x4 is incompatible with the inferred shape 2x6}}
  %0 = graph.gather %x, %i {axis = 0 : i64} : (tensor<4x6xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @clip_bounds(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{min 6.000000e+00 is greater than max 0.000000e+00}}
  %0 = graph.clip %x {max = 0.0 : f64, min = 6.0 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @batch_norm_channels(%x: tensor<1x2x4x4xf32>, %p: tensor<2xf32>, %q: tensor<3xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{scale, bias, mean and variance must be 1-D with 2 elements, got 3}}
  %0 = graph.batch_norm %x, %p, %p, %q, %p {epsilon = 1.0e-05 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

func.func @batch_norm_rank(%x: tensor<4xf32>, %p: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects an input of rank >= 2, got 4}}
  %0 = graph.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-05 : f32} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
