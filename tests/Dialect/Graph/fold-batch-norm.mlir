// RUN: ingot-opt --split-input-file --ingot-graph-fold-batch-norm %s | FileCheck %s

// Folded into the conv: a = s / sqrt(v + eps) = [2, 0.5], b = bias - m * a
// = [1 - 2, 0 - 0.5]; filters scale by a, the conv bias becomes
// cb * a + b = [0.5 * 2 - 1, 4 * 0.5 - 0.5].
// CHECK-LABEL: func.func @into_conv
// CHECK-DAG: %[[W:.*]] = graph.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}-5.000000e-01]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = graph.constant dense<[0.000000e+00, 1.500000e+00]> : tensor<2xf32>
// CHECK: %[[C:.*]] = graph.conv %arg0, %[[W]], %[[B]] {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
// CHECK-NOT: graph.batch_norm
// CHECK: return %[[C]]
func.func @into_conv(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = graph.constant dense<[[[[1.0]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>
  %cb = graph.constant dense<[0.5, 4.0]> : tensor<2xf32>
  %c = graph.conv %x, %w, %cb {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %s = graph.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %b = graph.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %m = graph.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %v = graph.constant dense<[0.75, 3.75]> : tensor<2xf32>
  %y = graph.batch_norm %c, %s, %b, %m, %v {epsilon = 0.25 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// A conv without bias gets b as its bias.
// CHECK-LABEL: func.func @into_conv_without_bias
// CHECK-DAG: %[[W:.*]] = graph.constant dense<2.000000e+00> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = graph.constant dense<-1.000000e+00> : tensor<2xf32>
// CHECK: graph.conv %arg0, %[[W]], %[[B]]
// CHECK-NOT: graph.batch_norm
func.func @into_conv_without_bias(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = graph.constant dense<1.0> : tensor<2x1x1x1xf32>
  %c = graph.conv %x, %w {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %s = graph.constant dense<2.0> : tensor<2xf32>
  %b = graph.constant dense<1.0> : tensor<2xf32>
  %m = graph.constant dense<1.0> : tensor<2xf32>
  %v = graph.constant dense<0.75> : tensor<2xf32>
  %y = graph.batch_norm %c, %s, %b, %m, %v {epsilon = 0.25 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// The conv result has a second user: the batch_norm becomes a per-channel
// mul and add, the conv is kept.
// CHECK-LABEL: func.func @multi_use_conv
// CHECK: %[[W:.*]] = graph.constant dense<1.000000e+00> : tensor<2x1x1x1xf32>
// CHECK: %[[C:.*]] = graph.conv %arg0, %[[W]]
// CHECK-DAG: %[[A:.*]] = graph.constant dense<2.000000e+00> : tensor<2x1x1xf32>
// CHECK-DAG: %[[B:.*]] = graph.constant dense<-1.000000e+00> : tensor<2x1x1xf32>
// CHECK: %[[M:.*]] = graph.mul %[[C]], %[[A]] : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
// CHECK: %[[Y:.*]] = graph.add %[[M]], %[[B]]
// CHECK: return %[[Y]], %[[C]]
func.func @multi_use_conv(%x: tensor<1x1x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = graph.constant dense<1.0> : tensor<2x1x1x1xf32>
  %c = graph.conv %x, %w {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %s = graph.constant dense<2.0> : tensor<2xf32>
  %b = graph.constant dense<1.0> : tensor<2xf32>
  %m = graph.constant dense<1.0> : tensor<2xf32>
  %v = graph.constant dense<0.75> : tensor<2xf32>
  %y = graph.batch_norm %c, %s, %b, %m, %v {epsilon = 0.25 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y, %c : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// Not after a conv (rank 2): mul and add with C-element constants.
// CHECK-LABEL: func.func @no_conv
// CHECK: %[[M:.*]] = graph.mul %arg0, %{{.*}} : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
// CHECK: graph.add %[[M]], %{{.*}} : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
// CHECK-NOT: graph.batch_norm
func.func @no_conv(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %s = graph.constant dense<2.0> : tensor<2xf32>
  %b = graph.constant dense<1.0> : tensor<2xf32>
  %m = graph.constant dense<1.0> : tensor<2xf32>
  %v = graph.constant dense<0.75> : tensor<2xf32>
  %y = graph.batch_norm %x, %s, %b, %m, %v {epsilon = 0.25 : f32} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// Statistics computed at run time: left for the lowering.
// CHECK-LABEL: func.func @runtime_statistics
// CHECK: graph.batch_norm %arg0, %arg1
// CHECK-NOT: graph.mul
func.func @runtime_statistics(%x: tensor<1x2x4x4xf32>, %s: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %b = graph.constant dense<1.0> : tensor<2xf32>
  %m = graph.constant dense<1.0> : tensor<2xf32>
  %v = graph.constant dense<0.75> : tensor<2xf32>
  %y = graph.batch_norm %x, %s, %b, %m, %v {epsilon = 0.25 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}
