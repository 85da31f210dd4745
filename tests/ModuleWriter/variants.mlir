// REQUIRES: compiler
// RUN: split-file %s %t
// RUN: ingot-compile --compile-from=module %t/variants.mlir -o %t/variants.ingot && ingot-dump-module %t/variants.ingot | FileCheck %s
// RUN: not ingot-compile --compile-from=module %t/missing.mlir -o %t/m.ingot 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not ingot-compile --compile-from=module %t/other-size.mlir -o %t/o.ingot 2>&1 | FileCheck %s --check-prefix=OTHER-SIZE
// RUN: not ingot-compile --compile-from=module %t/shared.mlir -o %t/s.ingot 2>&1 | FileCheck %s --check-prefix=SHARED

// A private declaration with ingot.variants is written as an exported
// function with -1 in its dynamic dims, no host program and the indices of
// its variants, which follow the exported functions; the module is
// version 2.

//--- variants.mlir
exec.binary @cpu format("cpu-elf") target("x86_64") entry_points([#exec.entry_point<kernel = "k4", symbol = "k4", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>, #exec.entry_point<kernel = "k8", symbol = "k8", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>]) data("fake")
func.func private @main(tensor<2x?xf32> {ingot.name = "x", ingot.batched}) -> (tensor<2x?xf32> {ingot.name = "y", ingot.batched}) attributes {ingot.batch_tile = 2 : i64, ingot.variants = [@main_S4, @main_S8]}
func.func @main_S4(%arg0: tensor<2x4xf32> {ingot.name = "x", ingot.batched}) -> (tensor<2x4xf32> {ingot.name = "y", ingot.batched}) attributes {ingot.batch_tile = 2 : i64} {
  %0 = exec.dispatch @k4(%arg0) : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
func.func @other(%arg0: tensor<3xf32> {ingot.name = "a"}) -> (tensor<3xf32> {ingot.name = "b"}) {
  return %arg0 : tensor<3xf32>
}
func.func @main_S8(%arg0: tensor<2x8xf32> {ingot.name = "x", ingot.batched}) -> (tensor<2x8xf32> {ingot.name = "y", ingot.batched}) attributes {ingot.batch_tile = 2 : i64} {
  %0 = exec.dispatch @k8(%arg0) : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}
// CHECK: version 2
// CHECK-NEXT: functions: 2
// CHECK-NEXT: main(x: ?x?xf32) -> (y: ?x?xf32)
// CHECK-NEXT: batch tile: 2
// CHECK-NEXT: size variants: 2
// CHECK-NEXT: variant 0 = function 2:
// CHECK-NEXT: main_S4(x: ?x4xf32) -> (y: ?x4xf32)
// CHECK-NEXT: batch tile: 2
// CHECK-NEXT: buffers: 2, arena: 0 bytes
// CHECK-NEXT: %0 = input 0, 32 bytes
// CHECK: variant 1 = function 3:
// CHECK-NEXT: main_S8(x: ?x8xf32) -> (y: ?x8xf32)
// CHECK: buffers: 2, arena: 0 bytes
// CHECK-NEXT: %0 = input 0, 64 bytes
// CHECK: other(a: 3xf32) -> (b: 3xf32)

//--- missing.mlir
// MISSING: error: 'func.func' op lists variant @main_S4, which is not a public function with a body
func.func private @main(tensor<?xf32>) -> tensor<?xf32> attributes {ingot.variants = [@main_S4]}

//--- other-size.mlir
// OTHER-SIZE: error: size variant 'main_S4' of 'main': input #0 'x' has dim 0 = 4 where the function has 5
func.func private @main(tensor<5x?xf32> {ingot.name = "x"}) -> tensor<5x?xf32> attributes {ingot.variants = [@main_S4]}
func.func @main_S4(%arg0: tensor<4x4xf32> {ingot.name = "x"}) -> tensor<4x4xf32> {
  return %arg0 : tensor<4x4xf32>
}

//--- shared.mlir
// SHARED: error: 'func.func' op lists variant @v that another function or this one already lists
func.func private @main(tensor<?xf32>) -> tensor<?xf32> attributes {ingot.variants = [@v]}
func.func private @second(tensor<?xf32>) -> tensor<?xf32> attributes {ingot.variants = [@v]}
func.func @v(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  return %arg0 : tensor<4xf32>
}
