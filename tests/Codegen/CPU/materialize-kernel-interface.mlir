// RUN: ingot-opt --split-input-file -verify-diagnostics --pass-pipeline='builtin.module(func.func(ingot-cpu-materialize-kernel-interface))' %s | FileCheck %s

// CHECK-LABEL: func.func @k(
// CHECK-SAME: %[[A:.*]]: memref<4xf32>, %[[O:.*]]: memref<4xf32>)
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[A]] restrict : memref<4xf32>
// CHECK: %[[N:.*]] = arith.negf %[[T]]
// CHECK: bufferization.materialize_in_destination %[[N]] in restrict writable %[[O]]
// CHECK: return
func.func @k(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = arith.negf %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{kernel interface expects statically shaped ranked tensors}}
func.func @dynamic(%a: tensor<?xf32>) -> tensor<?xf32> {
  return %a : tensor<?xf32>
}
