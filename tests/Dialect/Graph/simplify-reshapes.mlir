// RUN: ingot-opt --split-input-file --ingot-graph-simplify-reshapes %s | FileCheck %s

// A chain of flatten and reshapes becomes one reshape.
// CHECK-LABEL: func.func @chain
// CHECK-NEXT: %[[R:.*]] = graph.reshape %arg0 [4, 6] : tensor<2x3x4xf32> -> tensor<4x6xf32>
// CHECK-NEXT: return %[[R]]
func.func @chain(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = graph.flatten %x {axis = 1 : i64} : tensor<2x3x4xf32> -> tensor<2x12xf32>
  %1 = graph.reshape %0 [24] : tensor<2x12xf32> -> tensor<24xf32>
  %2 = graph.reshape %1 [4, 6] : tensor<24xf32> -> tensor<4x6xf32>
  return %2 : tensor<4x6xf32>
}

// -----

// Back to the original type: removed; a flatten of a reshape is a reshape
// of the original value, keeping its one dynamic size.
// CHECK-LABEL: func.func @roundtrip
// CHECK-NEXT: %[[F:.*]] = graph.reshape %arg1 [-1, 12] : tensor<?x3x4xf32> -> tensor<?x12xf32>
// CHECK-NEXT: return %arg0, %[[F]]
func.func @roundtrip(%x: tensor<2x3x4xf32>, %y: tensor<?x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<?x12xf32>) {
  %0 = graph.reshape %x [6, 4] : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = graph.reshape %0 [2, 3, 4] : tensor<6x4xf32> -> tensor<2x3x4xf32>
  %2 = graph.reshape %y [-1, 3, 2, 2] : tensor<?x3x4xf32> -> tensor<?x3x2x2xf32>
  %3 = graph.flatten %2 {axis = 1 : i64} : tensor<?x3x2x2xf32> -> tensor<?x12xf32>
  return %1, %3 : tensor<2x3x4xf32>, tensor<?x12xf32>
}

// -----

// Negative: a single reshape or flatten stays, an inner reshape with another
// user is kept, and reshapes of constants are left to constant folding.
// CHECK-LABEL: func.func @kept
// CHECK-NEXT: %[[C:.*]] = graph.constant
// CHECK-NEXT: %[[A:.*]] = graph.reshape %arg0 [6, 4] : tensor<2x3x4xf32> -> tensor<6x4xf32>
// CHECK-NEXT: %[[B:.*]] = graph.reshape %arg0 [24] : tensor<2x3x4xf32> -> tensor<24xf32>
// CHECK-NEXT: %[[F:.*]] = graph.flatten %arg0 {axis = 2 : i64} : tensor<2x3x4xf32> -> tensor<6x4xf32>
// CHECK-NEXT: %[[R:.*]] = graph.reshape %[[C]] [4] : tensor<2x2xi64> -> tensor<4xi64>
// CHECK-NEXT: return %[[A]], %[[B]], %[[F]], %[[R]]
func.func @kept(%x: tensor<2x3x4xf32>) -> (tensor<6x4xf32>, tensor<24xf32>, tensor<6x4xf32>, tensor<4xi64>) {
  %c = graph.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  %0 = graph.reshape %x [6, 4] : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = graph.reshape %0 [24] : tensor<6x4xf32> -> tensor<24xf32>
  %2 = graph.flatten %x {axis = 2 : i64} : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %3 = graph.reshape %c [4] : tensor<2x2xi64> -> tensor<4xi64>
  return %0, %1, %2, %3 : tensor<6x4xf32>, tensor<24xf32>, tensor<6x4xf32>, tensor<4xi64>
}
