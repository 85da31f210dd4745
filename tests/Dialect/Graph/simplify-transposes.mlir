// RUN: ingot-opt --split-input-file --ingot-graph-simplify-transposes %s | FileCheck %s

// A chain composes into one transpose; the inner ones are erased.
// CHECK-LABEL: func.func @compose
// CHECK-NEXT: %[[T:.*]] = graph.transpose %arg0 [2, 0, 1] : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
// CHECK-NEXT: return %[[T]]
func.func @compose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = graph.transpose %x [1, 2, 0] : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %1 = graph.transpose %0 [2, 1, 0] : tensor<3x4x2xf32> -> tensor<2x4x3xf32>
  %2 = graph.transpose %1 [1, 0, 2] : tensor<2x4x3xf32> -> tensor<4x2x3xf32>
  return %2 : tensor<4x2x3xf32>
}

// -----

// A round trip and an identity permutation disappear.
// CHECK-LABEL: func.func @roundtrip
// CHECK-NEXT: return %arg0, %arg1
func.func @roundtrip(%x: tensor<2x3xf32>, %y: tensor<5xf32>) -> (tensor<2x3xf32>, tensor<5xf32>) {
  %0 = graph.transpose %x [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %1 = graph.transpose %0 [1, 0] : tensor<3x2xf32> -> tensor<2x3xf32>
  %2 = graph.transpose %y [0] : tensor<5xf32> -> tensor<5xf32>
  return %1, %2 : tensor<2x3xf32>, tensor<5xf32>
}

// -----

// Moving only size-1 dims is a reshape (also with one dynamic dim).
// CHECK-LABEL: func.func @unit_dims
// CHECK-NEXT: %[[R:.*]] = graph.reshape %arg0 [8, 1, 4] : tensor<1x8x4xf32> -> tensor<8x1x4xf32>
// CHECK-NEXT: %[[D:.*]] = graph.reshape %arg1 [1, -1, 1] : tensor<?x1x1xf32> -> tensor<1x?x1xf32>
// CHECK-NEXT: return %[[R]], %[[D]]
func.func @unit_dims(%x: tensor<1x8x4xf32>, %y: tensor<?x1x1xf32>) -> (tensor<8x1x4xf32>, tensor<1x?x1xf32>) {
  %0 = graph.transpose %x [1, 0, 2] : tensor<1x8x4xf32> -> tensor<8x1x4xf32>
  %1 = graph.transpose %y [1, 0, 2] : tensor<?x1x1xf32> -> tensor<1x?x1xf32>
  return %0, %1 : tensor<8x1x4xf32>, tensor<1x?x1xf32>
}

// -----

// Negative: a real permutation stays, an inner transpose with another user
// is kept, and transposes of constants are not this pass's business.
// CHECK-LABEL: func.func @kept
// CHECK-NEXT: %[[C:.*]] = graph.constant
// CHECK-NEXT: %[[I:.*]] = graph.transpose %arg0 [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
// CHECK-NEXT: %[[O:.*]] = graph.transpose %[[C]] [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
// CHECK-NEXT: return %[[I]], %arg0, %[[O]]
func.func @kept(%x: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<2x3xf32>, tensor<3x2xf32>) {
  %c = graph.constant dense<1.0> : tensor<2x3xf32>
  %0 = graph.transpose %x [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %1 = graph.transpose %0 [1, 0] : tensor<3x2xf32> -> tensor<2x3xf32>
  %2 = graph.transpose %c [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0, %1, %2 : tensor<3x2xf32>, tensor<2x3xf32>, tensor<3x2xf32>
}
