// RUN: ingot-opt --split-input-file --verify-diagnostics --ingot-exec-form-dispatches %s | FileCheck %s

// Matmul + bias + relu become one kernel; the weight is an operand, the
// scalar zero and the empty/fill init (small constants too) are cloned into the kernel.
// CHECK-LABEL: exec.executable @main_dispatch_0_matmul
// CHECK: func.func @main_dispatch_0_matmul(%[[X:.*]]: tensor<2x8xf32>, %[[W:.*]]: tensor<8x32xf32>, %[[B:.*]]: tensor<32xf32>) -> tensor<2x32xf32>
// CHECK: linalg.fill
// CHECK: linalg.matmul
// CHECK: linalg.generic
// CHECK: func.func @main(%[[ARG:.*]]: tensor<2x8xf32>)
// CHECK-DAG: %[[WC:.*]] = arith.constant dense<5.000000e-01> : tensor<8x32xf32>
// CHECK-DAG: %[[BC:.*]] = arith.constant dense<2.500000e-01> : tensor<32xf32>
// CHECK: %[[R:.*]] = exec.dispatch @main_dispatch_0_matmul(%[[ARG]], %[[WC]], %[[BC]])
// CHECK: return %[[R]]
func.func @main(%x: tensor<2x8xf32>) -> tensor<2x32xf32> {
  %w = arith.constant dense<0.5> : tensor<8x32xf32>
  %bias = arith.constant dense<0.25> : tensor<32xf32>
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x32xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<2x32xf32>) -> tensor<2x32xf32>
  %m = linalg.matmul ins(%x, %w : tensor<2x8xf32>, tensor<8x32xf32>) outs(%f : tensor<2x32xf32>) -> tensor<2x32xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0,d1)->(d0,d1)>, affine_map<(d0,d1)->(d1)>, affine_map<(d0,d1)->(d0,d1)>], iterator_types = ["parallel","parallel"]} ins(%m, %bias : tensor<2x32xf32>, tensor<32xf32>) outs(%e : tensor<2x32xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %z = arith.maximumf %s, %cst : f32
    linalg.yield %z : f32
  } -> tensor<2x32xf32>
  return %r : tensor<2x32xf32>
}

// -----

// A result used twice is not fused into its consumer; reshapes stay on the
// host between dispatches.
// CHECK-LABEL: exec.executable @twice_dispatch_0_generic
// CHECK-LABEL: exec.executable @twice_dispatch_1_generic
// CHECK-LABEL: func.func @twice
// CHECK: %[[A:.*]] = exec.dispatch @twice_dispatch_0_generic
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[A]]
// CHECK: exec.dispatch @twice_dispatch_1_generic(%[[A]])
func.func @twice(%x: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<16xf32>) {
  %e = tensor.empty() : tensor<4x4xf32>
  %a = linalg.generic {indexing_maps = [affine_map<(d0,d1)->(d0,d1)>, affine_map<(d0,d1)->(d0,d1)>], iterator_types = ["parallel","parallel"]} ins(%x : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%i: f32, %o: f32):
    %n = arith.negf %i : f32
    linalg.yield %n : f32
  } -> tensor<4x4xf32>
  %c = tensor.collapse_shape %a [[0, 1]] : tensor<4x4xf32> into tensor<16xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(d0,d1)->(d0,d1)>, affine_map<(d0,d1)->(d0,d1)>, affine_map<(d0,d1)->(d0,d1)>], iterator_types = ["parallel","parallel"]} ins(%a, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %s = arith.addf %i, %j : f32
    linalg.yield %s : f32
  } -> tensor<4x4xf32>
  return %b, %c : tensor<4x4xf32>, tensor<16xf32>
}

// -----

// expected-error @+1 {{dynamic shapes are not supported yet: input 0 'x' has type 'tensor<?x4xf32>'}}
func.func @dynamic(%x: tensor<?x4xf32> {ingot.name = "x"}) -> tensor<?x4xf32> {
  return %x : tensor<?x4xf32>
}
