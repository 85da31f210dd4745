// RUN: ingot-opt --ingot-exec-dedup-executables %s | FileCheck %s

// @k1 is @k0 under another name: its dispatch calls @k0 and it is erased.
// @k2 differs in one constant and @k3 in its argument type: they stay.
// CHECK-LABEL: exec.executable @k0
// CHECK: func.func @k0
// CHECK-NOT: exec.executable @k1
// CHECK-LABEL: exec.executable @k2
// CHECK: arith.constant 2.000000e+00 : f32
// CHECK-LABEL: exec.executable @k3
// CHECK: func.func @k3(%{{.*}}: tensor<8xf32>)
// CHECK-LABEL: func.func @main
// CHECK: %[[A:.*]] = exec.dispatch @k0(%arg0)
// CHECK: %[[B:.*]] = exec.dispatch @k0(%[[A]])
// CHECK: %[[C:.*]] = exec.dispatch @k2(%[[B]])
// CHECK: %[[D:.*]] = exec.dispatch @k3(%arg1)
// CHECK: return %[[C]], %[[D]]
exec.executable @k0 {
  builtin.module {
    func.func @k0(%a: tensor<4xf32>) -> tensor<4xf32> {
      %c = arith.constant 1.0 : f32
      %e = tensor.empty() : tensor<4xf32>
      %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : tensor<4xf32>) outs(%e : tensor<4xf32>) {
      ^bb0(%in: f32, %out: f32):
        %s = arith.addf %in, %c : f32
        linalg.yield %s : f32
      } -> tensor<4xf32>
      return %r : tensor<4xf32>
    }
  }
}
exec.executable @k1 {
  builtin.module {
    func.func @k1(%a: tensor<4xf32>) -> tensor<4xf32> {
      %c = arith.constant 1.0 : f32
      %e = tensor.empty() : tensor<4xf32>
      %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : tensor<4xf32>) outs(%e : tensor<4xf32>) {
      ^bb0(%in: f32, %out: f32):
        %s = arith.addf %in, %c : f32
        linalg.yield %s : f32
      } -> tensor<4xf32>
      return %r : tensor<4xf32>
    }
  }
}
exec.executable @k2 {
  builtin.module {
    func.func @k2(%a: tensor<4xf32>) -> tensor<4xf32> {
      %c = arith.constant 2.0 : f32
      %e = tensor.empty() : tensor<4xf32>
      %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : tensor<4xf32>) outs(%e : tensor<4xf32>) {
      ^bb0(%in: f32, %out: f32):
        %s = arith.addf %in, %c : f32
        linalg.yield %s : f32
      } -> tensor<4xf32>
      return %r : tensor<4xf32>
    }
  }
}
exec.executable @k3 {
  builtin.module {
    func.func @k3(%a: tensor<8xf32>) -> tensor<8xf32> {
      %c = arith.constant 1.0 : f32
      %e = tensor.empty() : tensor<8xf32>
      %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : tensor<8xf32>) outs(%e : tensor<8xf32>) {
      ^bb0(%in: f32, %out: f32):
        %s = arith.addf %in, %c : f32
        linalg.yield %s : f32
      } -> tensor<8xf32>
      return %r : tensor<8xf32>
    }
  }
}
func.func @main(%x: tensor<4xf32>, %y: tensor<8xf32>) -> (tensor<4xf32>, tensor<8xf32>) {
  %0 = exec.dispatch @k0(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = exec.dispatch @k1(%0) : (tensor<4xf32>) -> tensor<4xf32>
  %2 = exec.dispatch @k2(%1) : (tensor<4xf32>) -> tensor<4xf32>
  %3 = exec.dispatch @k3(%y) : (tensor<8xf32>) -> tensor<8xf32>
  return %2, %3 : tensor<4xf32>, tensor<8xf32>
}
