// RUN: ingot-opt %s | ingot-opt | FileCheck %s

// CHECK-LABEL: func.func @data_movement
func.func @data_movement(%x: tensor<2x3xf32>, %d: tensor<?x28x28xf32>)
    -> (tensor<2xf32>, tensor<3x2xf32>, tensor<?x784xf32>, tensor<?x784xf32>, tensor<1x6xf32>, tensor<2x3xf32>) {
  // CHECK: graph.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %c = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: graph.transpose %{{.*}} [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %t = graph.transpose %x [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  // CHECK: graph.reshape %{{.*}} [-1, 784] : tensor<?x28x28xf32> -> tensor<?x784xf32>
  %r = graph.reshape %d [-1, 784] : tensor<?x28x28xf32> -> tensor<?x784xf32>
  // CHECK: graph.flatten %{{.*}} {axis = 1 : i64} : tensor<?x28x28xf32> -> tensor<?x784xf32>
  %f = graph.flatten %d {axis = 1} : tensor<?x28x28xf32> -> tensor<?x784xf32>
  // CHECK: graph.flatten %{{.*}} {axis = 0 : i64} : tensor<2x3xf32> -> tensor<1x6xf32>
  %f0 = graph.flatten %x {axis = 0} : tensor<2x3xf32> -> tensor<1x6xf32>
  // CHECK: graph.identity %{{.*}} : tensor<2x3xf32>
  %i = graph.identity %x : tensor<2x3xf32>
  return %c, %t, %r, %f, %f0, %i : tensor<2xf32>, tensor<3x2xf32>, tensor<?x784xf32>, tensor<?x784xf32>, tensor<1x6xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%a: tensor<1x512xf32>, %b: tensor<512xf32>, %c: tensor<?x1x4xi32>, %d: tensor<3x1xi32>)
    -> (tensor<1x512xf32>, tensor<?x3x4xi32>) {
  // CHECK: graph.add %{{.*}}, %{{.*}} : (tensor<1x512xf32>, tensor<512xf32>) -> tensor<1x512xf32>
  %0 = graph.add %a, %b : (tensor<1x512xf32>, tensor<512xf32>) -> tensor<1x512xf32>
  // CHECK: graph.sub
  %1 = graph.sub %0, %b : (tensor<1x512xf32>, tensor<512xf32>) -> tensor<1x512xf32>
  // CHECK: graph.mul
  %2 = graph.mul %1, %a : (tensor<1x512xf32>, tensor<1x512xf32>) -> tensor<1x512xf32>
  // CHECK: graph.div
  %3 = graph.div %2, %b : (tensor<1x512xf32>, tensor<512xf32>) -> tensor<1x512xf32>
  // CHECK: graph.relu %{{.*}} : tensor<1x512xf32>
  %4 = graph.relu %3 : tensor<1x512xf32>
  // CHECK: graph.sigmoid %{{.*}} : tensor<1x512xf32>
  %5 = graph.sigmoid %4 : tensor<1x512xf32>
  // CHECK: graph.tanh %{{.*}} : tensor<1x512xf32>
  %6 = graph.tanh %5 : tensor<1x512xf32>
  // CHECK: graph.add %{{.*}}, %{{.*}} : (tensor<?x1x4xi32>, tensor<3x1xi32>) -> tensor<?x3x4xi32>
  %7 = graph.add %c, %d : (tensor<?x1x4xi32>, tensor<3x1xi32>) -> tensor<?x3x4xi32>
  // CHECK: graph.relu %{{.*}} : tensor<?x3x4xi32>
  %8 = graph.relu %7 : tensor<?x3x4xi32>
  return %6, %8 : tensor<1x512xf32>, tensor<?x3x4xi32>
}

// CHECK-LABEL: func.func @contractions
func.func @contractions(%x: tensor<1x784xf32>, %w: tensor<10x784xf32>, %b: tensor<10xf32>,
                        %l: tensor<4x1x8x16xf32>, %r: tensor<3x16x2xf32>, %v: tensor<16xf32>)
    -> (tensor<1x10xf32>, tensor<1x10xf32>, tensor<4x3x8x2xf32>, tensor<3x2xf32>, tensor<1x10xf32>) {
  // CHECK: graph.gemm %{{.*}}, %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f32, beta = 2.000000e+00 : f32, trans_b = true} : (tensor<1x784xf32>, tensor<10x784xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  %0 = graph.gemm %x, %w, %b {alpha = 0.5 : f32, beta = 2.0 : f32, trans_b = true}
      : (tensor<1x784xf32>, tensor<10x784xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  // CHECK: graph.gemm %{{.*}}, %{{.*}} {trans_b = true} : (tensor<1x784xf32>, tensor<10x784xf32>) -> tensor<1x10xf32>
  %1 = graph.gemm %x, %w {trans_b = true} : (tensor<1x784xf32>, tensor<10x784xf32>) -> tensor<1x10xf32>
  // CHECK: graph.matmul %{{.*}}, %{{.*}} : (tensor<4x1x8x16xf32>, tensor<3x16x2xf32>) -> tensor<4x3x8x2xf32>
  %2 = graph.matmul %l, %r : (tensor<4x1x8x16xf32>, tensor<3x16x2xf32>) -> tensor<4x3x8x2xf32>
  // CHECK: graph.matmul %{{.*}}, %{{.*}} : (tensor<16xf32>, tensor<3x16x2xf32>) -> tensor<3x2xf32>
  %3 = graph.matmul %v, %r : (tensor<16xf32>, tensor<3x16x2xf32>) -> tensor<3x2xf32>
  // CHECK: graph.softmax %{{.*}} : tensor<1x10xf32>
  %4 = graph.softmax %1 : tensor<1x10xf32>
  return %0, %1, %2, %3, %4 : tensor<1x10xf32>, tensor<1x10xf32>, tensor<4x3x8x2xf32>, tensor<3x2xf32>, tensor<1x10xf32>
}

// CHECK-LABEL: func.func @batch_norm
// CHECK: graph.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 9.99999974E-6 : f32} : (tensor<1x?x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x4x4xf32>
func.func @batch_norm(%x: tensor<1x?x4x4xf32>, %p: tensor<8xf32>) -> tensor<1x?x4x4xf32> {
  %0 = graph.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-05 : f32} : (tensor<1x?x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x4x4xf32>
  return %0 : tensor<1x?x4x4xf32>
}
