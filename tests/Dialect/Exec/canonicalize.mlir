// RUN: ingot-opt %s -canonicalize | FileCheck %s

exec.executable @k {
  builtin.module {
    func.func @k(%a: tensor<4xf32>) -> tensor<4xf32> {
      return %a : tensor<4xf32>
    }
  }
}

// Dispatches have value semantics: an unused one is dead, and two identical
// ones are one (CSE runs in the dispatch phase).
// CHECK-LABEL: func.func @dead
// CHECK-NOT: exec.dispatch
// CHECK: return %arg0
func.func @dead(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = exec.dispatch @k(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %x : tensor<4xf32>
}
