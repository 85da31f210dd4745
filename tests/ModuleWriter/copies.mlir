// REQUIRES: compiler
// RUN: ingot-compile --compile-from=module %s -o %t.ingot && ingot-dump-module %t.ingot | FileCheck %s

// A returned value that cannot be the output buffer itself (an input, a
// constant, or a buffer already returned as another output) gets a fresh
// output buffer and a copy after the dispatches.

exec.binary @cpu format("cpu-elf") target("x86_64-unknown-linux-gnu:skylake-avx512") entry_points([#exec.entry_point<kernel = "add", symbol = "add", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>]) data("fake")

func.func @main(%arg0: tensor<4xf32> {ingot.name = "x"}) -> (tensor<4xf32>, tensor<4xf32> {ingot.name = "same_as_x"}, tensor<4xf32>, tensor<2x2xf32>, tensor<4xf32>) {
  %cst = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %0 = exec.dispatch @add(%arg0, %cst) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = tensor.expand_shape %0 [[0, 1]] output_shape [2, 2] : tensor<4xf32> into tensor<2x2xf32>
  return %0, %arg0, %cst, %1, %0 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x2xf32>, tensor<4xf32>
}

// CHECK:      functions: 1
// CHECK-NEXT:   main(x: 4xf32) -> (output_0: 4xf32, same_as_x: 4xf32, output_2: 4xf32, output_3: 2x2xf32, output_4: 4xf32)
// CHECK-NEXT:     buffers: 7, arena: 0 bytes
// CHECK-NEXT:       %0 = input 0, 16 bytes
// CHECK-NEXT:       %1 = constant 0 'constant_0', 16 bytes
// CHECK-NEXT:       %2 = output 0, 16 bytes
// CHECK-NEXT:       %3 = output 1, 16 bytes
// CHECK-NEXT:       %4 = output 2, 16 bytes
// CHECK-NEXT:       %5 = output 3, 16 bytes
// CHECK-NEXT:       %6 = output 4, 16 bytes
// CHECK-NEXT:     commands: 5
// CHECK-NEXT:       0: dispatch kernel 0 'add' bindings{{.}}%0, %1, %2{{.}}
// CHECK-NEXT:       1: copy %0 -> %3, 16 bytes
// CHECK-NEXT:       2: copy %1 -> %4, 16 bytes
// CHECK-NEXT:       3: copy %2 -> %5, 16 bytes
// CHECK-NEXT:       4: copy %2 -> %6, 16 bytes
