// REQUIRES: compiler
// RUN: ingot-compile --compile-from=module %s -o %t.ingot && ingot-dump-module %t.ingot | FileCheck %s

// Transient buffers are packed first fit into the arena (64-byte aligned),
// reusing the space of buffers no later command reads.

exec.binary @cpu format("cpu-elf") target("x86_64-unknown-linux-gnu:skylake-avx512") entry_points([#exec.entry_point<kernel = "step", symbol = "step", workgroup_count = [4, 1, 1], workgroup_size = [1, 1, 1]>, #exec.entry_point<kernel = "combine", symbol = "combine", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>, #exec.entry_point<kernel = "split", symbol = "split", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>]) data("fake")

// A chain of 4 dispatches: the third transient reuses the first one's space
// (400 bytes each, 448 with alignment).
// CHECK-LABEL: chain(input_0: 100xf32) -> (output_0: 100xf32)
// CHECK-NEXT:     buffers: 5, arena: 896 bytes
// CHECK-NEXT:       %0 = input 0, 400 bytes
// CHECK-NEXT:       %1 = transient at arena offset 0, 400 bytes
// CHECK-NEXT:       %2 = transient at arena offset 448, 400 bytes
// CHECK-NEXT:       %3 = transient at arena offset 0, 400 bytes
// CHECK-NEXT:       %4 = output 0, 400 bytes
// CHECK-NEXT:     commands: 4
// CHECK-NEXT:       0: dispatch kernel 0 'step' bindings{{.}}%0, %1{{.}}
// CHECK-NEXT:       1: dispatch kernel 0 'step' bindings{{.}}%1, %2{{.}}
// CHECK-NEXT:       2: dispatch kernel 0 'step' bindings{{.}}%2, %3{{.}}
// CHECK-NEXT:       3: dispatch kernel 0 'step' bindings{{.}}%3, %4{{.}}
func.func @chain(%arg0: tensor<100xf32>) -> tensor<100xf32> {
  %0 = exec.dispatch @step(%arg0) : (tensor<100xf32>) -> tensor<100xf32>
  %1 = exec.dispatch @step(%0) : (tensor<100xf32>) -> tensor<100xf32>
  %2 = exec.dispatch @step(%1) : (tensor<100xf32>) -> tensor<100xf32>
  %3 = exec.dispatch @step(%2) : (tensor<100xf32>) -> tensor<100xf32>
  return %3 : tensor<100xf32>
}

// %1 is read again by the last dispatch, so %3 may not take its space.
// CHECK-LABEL: skip(input_0: 100xf32) -> (output_0: 100xf32)
// CHECK-NEXT:     buffers: 5, arena: 1344 bytes
// CHECK-NEXT:       %0 = input 0, 400 bytes
// CHECK-NEXT:       %1 = transient at arena offset 0, 400 bytes
// CHECK-NEXT:       %2 = transient at arena offset 448, 400 bytes
// CHECK-NEXT:       %3 = transient at arena offset 896, 400 bytes
// CHECK-NEXT:       %4 = output 0, 400 bytes
// CHECK-NEXT:     commands: 4
// CHECK-NEXT:       0: dispatch kernel 0 'step' bindings{{.}}%0, %1{{.}}
// CHECK-NEXT:       1: dispatch kernel 0 'step' bindings{{.}}%1, %2{{.}}
// CHECK-NEXT:       2: dispatch kernel 0 'step' bindings{{.}}%2, %3{{.}}
// CHECK-NEXT:       3: dispatch kernel 1 'combine' bindings{{.}}%1, %3, %4{{.}}
func.func @skip(%arg0: tensor<100xf32>) -> tensor<100xf32> {
  %0 = exec.dispatch @step(%arg0) : (tensor<100xf32>) -> tensor<100xf32>
  %1 = exec.dispatch @step(%0) : (tensor<100xf32>) -> tensor<100xf32>
  %2 = exec.dispatch @step(%1) : (tensor<100xf32>) -> tensor<100xf32>
  %3 = exec.dispatch @combine(%0, %2) : (tensor<100xf32>, tensor<100xf32>) -> tensor<100xf32>
  return %3 : tensor<100xf32>
}

// Results of one dispatch never share space, an unused result still gets
// its own, and a freed gap is reused first fit by offset: %4 (64 bytes) fits
// the hole %1 left at offset 0.
// CHECK-LABEL: multi(input_0: 16xf32) -> (output_0: 16xf32)
// CHECK-NEXT:     buffers: 6, arena: 192 bytes
// CHECK-NEXT:       %0 = input 0, 64 bytes
// CHECK-NEXT:       %1 = transient at arena offset 0, 64 bytes
// CHECK-NEXT:       %2 = transient at arena offset 64, 64 bytes
// CHECK-NEXT:       %3 = transient at arena offset 128, 4 bytes
// CHECK-NEXT:       %4 = transient at arena offset 0, 64 bytes
// CHECK-NEXT:       %5 = output 0, 64 bytes
// CHECK-NEXT:     commands: 3
// CHECK-NEXT:       0: dispatch kernel 2 'split' bindings{{.}}%0, %1, %2, %3{{.}}
// CHECK-NEXT:       1: dispatch kernel 0 'step' bindings{{.}}%2, %4{{.}}
// CHECK-NEXT:       2: dispatch kernel 0 'step' bindings{{.}}%4, %5{{.}}
func.func @multi(%arg0: tensor<16xf32>) -> tensor<16xf32> {
  %0:3 = exec.dispatch @split(%arg0) : (tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>, tensor<1xf32>)
  %1 = exec.dispatch @step(%0#1) : (tensor<16xf32>) -> tensor<16xf32>
  %2 = exec.dispatch @step(%1) : (tensor<16xf32>) -> tensor<16xf32>
  return %2 : tensor<16xf32>
}
