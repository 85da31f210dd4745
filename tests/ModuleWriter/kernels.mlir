// REQUIRES: compiler
// RUN: ingot-compile --compile-from=module %s -o %t.ingot && ingot-dump-module %t.ingot | FileCheck %s

// Module.kernels lists the dispatched kernels in order of first use across
// functions; every executable's entry points are reordered to match, and
// entry points of kernels nothing dispatches are dropped. (The second
// binary is a second cpu-elf one: the runtime's verifier refuses a SpirV
// executable without its spirv_target and SPIR-V magic number.)

exec.binary @cpu format("cpu-elf") target("x86_64-unknown-linux-gnu:znver4") entry_points([#exec.entry_point<kernel = "unused", symbol = "unused_sym", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>, #exec.entry_point<kernel = "second", symbol = "second_sym", workgroup_count = [2, 3, 4], workgroup_size = [1, 1, 1]>, #exec.entry_point<kernel = "first", symbol = "first_sym", workgroup_count = [5, 1, 1], workgroup_size = [1, 1, 1]>]) data("cpu code")
exec.binary @arm format("cpu-elf") target("aarch64-unknown-linux-gnu") entry_points([#exec.entry_point<kernel = "first", symbol = "main_0", workgroup_count = [5, 1, 1], workgroup_size = [64, 1, 1]>, #exec.entry_point<kernel = "second", symbol = "main_1", workgroup_count = [2, 3, 4], workgroup_size = [8, 8, 1]>]) data("arm code, longer than the x86 code to move the offsets around")

// CHECK:      functions: 2
// CHECK-NEXT:   f(input_0: 8xi32) -> (output_0: 8xi32)
// CHECK:          0: dispatch kernel 0 'first'
// CHECK-NEXT:     1: dispatch kernel 1 'second'
func.func @f(%arg0: tensor<8xi32>) -> tensor<8xi32> {
  %0 = exec.dispatch @first(%arg0) : (tensor<8xi32>) -> tensor<8xi32>
  %1 = exec.dispatch @second(%0) : (tensor<8xi32>) -> tensor<8xi32>
  return %1 : tensor<8xi32>
}

// CHECK-NEXT:   g(input_0: 8xi32) -> (output_0: 8xi32)
// CHECK:          0: dispatch kernel 1 'second'
// CHECK-NEXT:     1: dispatch kernel 0 'first'
func.func @g(%arg0: tensor<8xi32>) -> tensor<8xi32> {
  %0 = exec.dispatch @second(%arg0) : (tensor<8xi32>) -> tensor<8xi32>
  %1 = exec.dispatch @first(%0) : (tensor<8xi32>) -> tensor<8xi32>
  return %1 : tensor<8xi32>
}

// CHECK-NEXT: kernels: 2
// CHECK-NEXT:   0: first
// CHECK-NEXT:   1: second
// CHECK-NEXT: executables: 2
// CHECK-NEXT:   0: CpuElf, target 'x86_64-unknown-linux-gnu:znver4', 8 bytes at offset {{[0-9]+}}
// CHECK-NEXT:     0: first_sym workgroups {{.}}5, 1, 1{{.}}
// CHECK-NEXT:     1: second_sym workgroups {{.}}2, 3, 4{{.}}
// CHECK-NEXT:   1: CpuElf, target 'aarch64-unknown-linux-gnu', 61 bytes at offset {{[0-9]+}}
// CHECK-NEXT:     0: main_0 workgroups {{.}}5, 1, 1{{.}}
// CHECK-NEXT:     1: main_1 workgroups {{.}}2, 3, 4{{.}}
// CHECK-NEXT: constants: 0
