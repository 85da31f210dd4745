// RUN: ingot-opt --split-input-file --verify-diagnostics --ingot-graph-drop-satisfied-checks %s | FileCheck %s

// A check that folded to a non-zero constant is dropped; a run-time one and
// ordinary results stay.
// CHECK-LABEL: func.func @satisfied
// CHECK-SAME: -> (tensor<3x2xf32> {ingot.name = "y"}, tensor<i32> {ingot.check = "shape must resolve"})
// CHECK: return %{{.*}}, %[[RUNTIME:.*]] : tensor<3x2xf32>, tensor<i32>
func.func @satisfied(%x: tensor<2x3xf32>, %s: tensor<2xi64>)
    -> (tensor<3x2xf32> {ingot.name = "y"},
        tensor<i32> {ingot.check = "folded"},
        tensor<i32> {ingot.check = "shape must resolve"},
        tensor<i8> {ingot.check = "also folded"}) {
  %y = graph.reshape %x [3, 2] : tensor<2x3xf32> -> tensor<3x2xf32>
  %ok = graph.constant dense<1> : tensor<i32>
  %c = graph.constant dense<[3, 2]> : tensor<2xi64>
  %e = graph.equal %s, %c : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi1>
  %i = graph.cast %e : tensor<2xi1> -> tensor<2xi32>
  %r = graph.reduce %i {axes = array<i64: 0>, keepdims = false, kind = "min"} : tensor<2xi32> -> tensor<i32>
  %ok8 = graph.constant dense<-1> : tensor<i8>
  return %y, %ok, %r, %ok8 : tensor<3x2xf32>, tensor<i32>, tensor<i32>, tensor<i8>
}

// -----

// A constant non-check result is not touched.
// CHECK-LABEL: func.func @not_a_check
// CHECK-SAME: -> tensor<i32>
// CHECK: return %{{.*}} : tensor<i32>
func.func @not_a_check() -> tensor<i32> {
  %c = graph.constant dense<1> : tensor<i32>
  return %c : tensor<i32>
}

// -----

// A check that folded to zero can never hold.
func.func @never(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<i32> {ingot.check = "node 'r' (Reshape): input 's' must resolve to 3x2"}) {
  %bad = graph.constant dense<0> : tensor<i32>
  // expected-error @+1 {{this module can never run: node 'r' (Reshape): input 's' must resolve to 3x2}}
  return %x, %bad : tensor<2x3xf32>, tensor<i32>
}
