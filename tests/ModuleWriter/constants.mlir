// REQUIRES: compiler
// RUN: ingot-compile --compile-from=module %s -o %t.ingot
// RUN: ingot-dump-module %t.ingot | FileCheck %s
// RUN: ingot-dump-module %t.ingot > %t.dump
// RUN: %python %S/Inputs/read_constants.py %t.ingot %t.dump | FileCheck %s --check-prefix=BYTES

// One module Constant per distinct value (identical attributes share one,
// across functions too), only for constants the host program uses. Data is
// little-endian after the FlatBuffer; splats are expanded and i1 takes one
// byte per element.

exec.binary @cpu format("cpu-elf") target("x86_64-unknown-linux-gnu:skylake-avx512") entry_points([#exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>, #exec.entry_point<kernel = "b", symbol = "b", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>]) data("fake")

// CHECK-LABEL: f(input_0: 2xf32) -> (output_0: 2xf32)
// CHECK-NEXT:     buffers: 6, arena: 128 bytes
// CHECK-NEXT:       %0 = input 0, 8 bytes
// CHECK-NEXT:       %1 = constant 0 'weights', 8 bytes
// CHECK-NEXT:       %2 = transient at arena offset 0, 8 bytes
// CHECK-NEXT:       %3 = transient at arena offset 64, 8 bytes
// CHECK-NEXT:       %4 = constant 1 'constant_1', 8 bytes
// CHECK-NEXT:       %5 = output 0, 8 bytes
// CHECK-NEXT:     commands: 3
// CHECK-NEXT:       0: dispatch kernel 0 'k' bindings{{.}}%0, %1, %2{{.}}
// CHECK-NEXT:       1: dispatch kernel 0 'k' bindings{{.}}%2, %1, %3{{.}}
// CHECK-NEXT:       2: dispatch kernel 0 'k' bindings{{.}}%3, %4, %5{{.}}
func.func @f(%arg0: tensor<2xf32>) -> tensor<2xf32> {
  %w = arith.constant {ingot.name = "weights"} dense<[1.0, -2.0]> : tensor<2xf32>
  %same = arith.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %other = arith.constant dense<[0.5, 3.0]> : tensor<2xf32>
  %unused = arith.constant dense<7.0> : tensor<1024xf32>
  %0 = exec.dispatch @k(%arg0, %w) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %1 = exec.dispatch @k(%0, %same) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %2 = exec.dispatch @k(%1, %other) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %2 : tensor<2xf32>
}

// CHECK-LABEL: g(input_0: 2x3xi1) -> (output_0: 2xf32, output_1: 3xu8)
// CHECK-NEXT:     buffers: 9, arena: 64 bytes
// CHECK-NEXT:       %0 = input 0, 6 bytes
// CHECK-NEXT:       %1 = constant 2 'constant_2', 6 bytes
// CHECK-NEXT:       %2 = constant 3 'constant_3', 6 bytes
// CHECK-NEXT:       %3 = constant 4 'constant_4', 12 bytes
// CHECK-NEXT:       %4 = output 0, 8 bytes
// CHECK-NEXT:       %5 = constant 0 'weights', 8 bytes
// CHECK-NEXT:       %6 = transient at arena offset 0, 3 bytes
// CHECK-NEXT:       %7 = constant 5 'constant_5', 3 bytes
// CHECK-NEXT:       %8 = output 1, 3 bytes
// CHECK-NEXT:     commands: 3
// CHECK-NEXT:       0: dispatch kernel 1 'b' bindings{{.}}%0, %1, %2, %3, %4{{.}}
// CHECK-NEXT:       1: dispatch kernel 1 'b' bindings{{.}}%5, %6{{.}}
// CHECK-NEXT:       2: copy %7 -> %8, 3 bytes
func.func @g(%arg0: tensor<2x3xi1>) -> (tensor<2xf32>, tensor<3xui8>) {
  %bits = arith.constant dense<[[true, false, true], [false, false, true]]> : tensor<2x3xi1>
  %ones = arith.constant dense<true> : tensor<2x3xi1>
  %splat = arith.constant dense<-1.5> : tensor<3xf32>
  %w = arith.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %bytes = arith.constant dense<[1, 128, 255]> : tensor<3xui8>
  %0 = exec.dispatch @b(%arg0, %bits, %ones, %splat) : (tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<3xf32>) -> tensor<2xf32>
  %1 = exec.dispatch @b(%w) : (tensor<2xf32>) -> tensor<3xui8>
  return %0, %bytes : tensor<2xf32>, tensor<3xui8>
}

// Dense resources (how large weights are usually stored) are written as is.
// CHECK-LABEL: h(input_0: 2xf32) -> (output_0: 2xf32)
// CHECK:         %1 = constant 6 'constant_6', 8 bytes
func.func @h(%arg0: tensor<2xf32>) -> tensor<2xf32> {
  %r = arith.constant dense_resource<weights_blob> : tensor<2xf32>
  %0 = exec.dispatch @k(%arg0, %r) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weights_blob: "0x040000000000803F00000040"
    }
  }
#-}

// CHECK:      constants: 7
// CHECK-NEXT:   0: 'weights' 2xf32, 8 bytes
// CHECK-NEXT:   1: 'constant_1' 2xf32, 8 bytes
// CHECK-NEXT:   2: 'constant_2' 2x3xi1, 6 bytes
// CHECK-NEXT:   3: 'constant_3' 2x3xi1, 6 bytes
// CHECK-NEXT:   4: 'constant_4' 3xf32, 12 bytes
// CHECK-NEXT:   5: 'constant_5' 3xu8, 3 bytes
// CHECK-NEXT:   6: 'constant_6' 2xf32, 8 bytes

// BYTES:      0: 0000803f000000c0
// BYTES-NEXT: 1: 0000003f00004040
// BYTES-NEXT: 2: 010001000001
// BYTES-NEXT: 3: 010101010101
// BYTES-NEXT: 4: 0000c0bf0000c0bf0000c0bf
// BYTES-NEXT: 5: 0180ff
// BYTES-NEXT: 6: 0000803f00000040
