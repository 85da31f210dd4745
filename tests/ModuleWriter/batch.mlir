// REQUIRES: compiler
// RUN: split-file %s %t
// RUN: ingot-compile --compile-from=module %t/batched.mlir -o %t/batched.ingot && ingot-dump-module %t/batched.ingot | FileCheck %s
// RUN: not ingot-compile --compile-from=module %t/wrong-tile.mlir -o %t/w.ingot 2>&1 | FileCheck %s --check-prefix=WRONG-TILE
// RUN: not ingot-compile --compile-from=module %t/no-input.mlir -o %t/n.ingot 2>&1 | FileCheck %s --check-prefix=NO-INPUT

// A function with ingot.batch_tile: batched parameters are written with
// dim 0 = -1 and buffers of one tile; unbatched ones stay static.

//--- batched.mlir
exec.binary @cpu format("cpu-elf") target("x86_64") entry_points([#exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>]) data("fake")
func.func @main(%arg0: tensor<2x4xf32> {ingot.name = "x", ingot.batched}, %arg1: tensor<1x4xf32> {ingot.name = "w"}) -> (tensor<2x4xf32> {ingot.name = "y", ingot.batched}) attributes {ingot.batch_tile = 2 : i64} {
  %0 = exec.dispatch @k(%arg0, %arg1) : (tensor<2x4xf32>, tensor<1x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
// CHECK: main(x: ?x4xf32, w: 1x4xf32) -> (y: ?x4xf32)
// CHECK-NEXT: batch tile: 2
// CHECK-NEXT: buffers: 3, arena: 0 bytes
// CHECK-NEXT: %0 = input 0, 32 bytes
// CHECK-NEXT: %1 = input 1, 16 bytes
// CHECK-NEXT: %2 = output 0, 32 bytes

//--- wrong-tile.mlir
exec.binary @cpu format("cpu-elf") target("x86_64") entry_points([#exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>]) data("fake")
// WRONG-TILE: error: 'func.func' op input #0 'x' is batched but its dim 0 is not the tile (2 rows)
func.func @main(%arg0: tensor<3x4xf32> {ingot.name = "x", ingot.batched}) -> (tensor<3x4xf32> {ingot.batched}) attributes {ingot.batch_tile = 2 : i64} {
  %0 = exec.dispatch @k(%arg0) : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

//--- no-input.mlir
exec.binary @cpu format("cpu-elf") target("x86_64") entry_points([#exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>]) data("fake")
// NO-INPUT: error: 'func.func' op has ingot.batch_tile but no batched input
func.func @main(%arg0: tensor<2x4xf32> {ingot.name = "x"}) -> (tensor<2x4xf32> {ingot.batched}) attributes {ingot.batch_tile = 2 : i64} {
  %0 = exec.dispatch @k(%arg0) : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
