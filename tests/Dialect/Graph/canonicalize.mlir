// RUN: ingot-opt %s -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @identity
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @identity(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = graph.identity %x : tensor<4xf32>
  %1 = graph.identity %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_identity_perm
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @transpose_identity_perm(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.transpose %x [0, 1] : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_of_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[T:.*]] = graph.transpose %[[X]] [2, 0, 1] : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
// CHECK-NEXT: return %[[T]]
func.func @transpose_of_transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = graph.transpose %x [1, 2, 0] : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %1 = graph.transpose %0 [2, 1, 0] : tensor<3x4x2xf32> -> tensor<2x4x3xf32>
  %2 = graph.transpose %1 [1, 0, 2] : tensor<2x4x3xf32> -> tensor<4x2x3xf32>
  return %2 : tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_roundtrip
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @transpose_roundtrip(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.transpose %x [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %1 = graph.transpose %0 [1, 0] : tensor<3x2xf32> -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_of_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[R:.*]] = graph.reshape %[[X]] [4, 6] : tensor<2x3x4xf32> -> tensor<4x6xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_of_reshape(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = graph.reshape %x [24] : tensor<2x3x4xf32> -> tensor<24xf32>
  %1 = graph.reshape %0 [4, 6] : tensor<24xf32> -> tensor<4x6xf32>
  return %1 : tensor<4x6xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_noop
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @reshape_noop(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.reshape %x [6] : tensor<2x3xf32> -> tensor<6xf32>
  %1 = graph.reshape %0 [2, 3] : tensor<6xf32> -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// One dynamic size and the same type: the reshape is a no-op.
// CHECK-LABEL: func.func @reshape_dynamic_same_type
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @reshape_dynamic_same_type(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = graph.reshape %x [-1, 4] : tensor<?x4xf32> -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_dynamic_kept
// CHECK: graph.reshape %{{.*}} [2, -1] : tensor<?x4xf32> -> tensor<2x?xf32>
func.func @reshape_dynamic_kept(%x: tensor<?x4xf32>) -> tensor<2x?xf32> {
  %0 = graph.reshape %x [2, -1] : tensor<?x4xf32> -> tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// -----

// Identical constants are deduplicated; an op on a non-constant keeps them.
// CHECK-LABEL: func.func @constants_dedup
// CHECK-NEXT: %[[C:.*]] = graph.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-NEXT: %[[A:.*]] = graph.add %arg0, %[[C]]
// CHECK-NEXT: %[[B:.*]] = graph.mul %[[A]], %[[C]]
// CHECK-NEXT: return %[[B]]
func.func @constants_dedup(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.constant dense<1.0> : tensor<2xf32>
  %1 = graph.constant dense<1.0> : tensor<2xf32>
  %2 = graph.add %0, %x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %3 = graph.mul %2, %1 : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %3 : tensor<2xf32>
}

// -----

// Op folders apply during canonicalization: arithmetic on constants.
// CHECK-LABEL: func.func @constants_folded
// CHECK-NEXT: %[[C:.*]] = graph.constant dense<[3, 5]> : tensor<2xi64>
// CHECK-NEXT: return %[[C]]
func.func @constants_folded() -> tensor<2xi64> {
  %0 = graph.constant dense<[1, 2]> : tensor<2xi64>
  %1 = graph.constant dense<[2, 3]> : tensor<2xi64>
  %2 = graph.add %0, %1 : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %2 : tensor<2xi64>
}
