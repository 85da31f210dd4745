// RUN: ingot-opt --ingot-phase-graph %s | FileCheck %s

// The graph phase: batch_norm folded into the conv, shape arithmetic and
// a weight transpose folded, transposes and reshapes merged, and the
// duplicated relu removed by CSE.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x4x4xf32>, %[[Y:.*]]: tensor<2x8xf32>)
// CHECK-DAG: %[[W:.*]] = graph.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}-5.000000e-01]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = graph.constant dense<[0.000000e+00, 1.500000e+00]> : tensor<2xf32>
// CHECK: %[[C:.*]] = graph.conv %[[X]], %[[W]], %[[B]]
// CHECK-NEXT: %[[R:.*]] = graph.relu %[[C]]
// CHECK-NEXT: %[[S:.*]] = graph.add %[[R]], %[[R]]
// CHECK-NEXT: %[[F:.*]] = graph.reshape %[[S]] [4, 8] : tensor<1x2x4x4xf32> -> tensor<4x8xf32>
// CHECK-NEXT: %[[T:.*]] = graph.transpose %[[Y]] [1, 0] : tensor<2x8xf32> -> tensor<8x2xf32>
// CHECK-NEXT: return %[[F]], %[[T]]
func.func @main(%x: tensor<1x1x4x4xf32>, %y: tensor<2x8xf32>) -> (tensor<4x8xf32>, tensor<8x2xf32>) {
  %w = graph.constant dense<[[[[1.0]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>
  %cb = graph.constant dense<[0.5, 4.0]> : tensor<2xf32>
  %c = graph.conv %x, %w, %cb {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  // The statistics come transposed from the exporter.
  %st = graph.constant dense<[[2.0], [1.0]]> : tensor<2x1xf32>
  %st2 = graph.transpose %st [1, 0] : tensor<2x1xf32> -> tensor<1x2xf32>
  %s = graph.reshape %st2 [2] : tensor<1x2xf32> -> tensor<2xf32>
  %b = graph.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %m = graph.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %v = graph.constant dense<[0.75, 3.75]> : tensor<2xf32>
  %n = graph.batch_norm %c, %s, %b, %m, %v {epsilon = 0.25 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %r1 = graph.relu %n : tensor<1x2x4x4xf32>
  %r2 = graph.relu %n : tensor<1x2x4x4xf32>
  %sum = graph.add %r1, %r2 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %f = graph.flatten %sum {axis = 1 : i64} : tensor<1x2x4x4xf32> -> tensor<1x32xf32>
  %f2 = graph.reshape %f [4, 8] : tensor<1x32xf32> -> tensor<4x8xf32>
  %t0 = graph.transpose %y [1, 0] : tensor<2x8xf32> -> tensor<8x2xf32>
  %t1 = graph.transpose %t0 [1, 0] : tensor<8x2xf32> -> tensor<2x8xf32>
  %t2 = graph.transpose %t1 [1, 0] : tensor<2x8xf32> -> tensor<8x2xf32>
  return %f2, %t2 : tensor<4x8xf32>, tensor<8x2xf32>
}
