// REQUIRES: compiler
// RUN: ingot-compile --compile-from=module %s -o %t.ingot && ingot-dump-module %t.ingot | FileCheck %s

// Module.kernels lists the dispatched kernels in order of first use across
// functions; every executable's entry points are reordered to match, and
// entry points of kernels nothing dispatches are dropped.

exec.binary @cpu format("cpu-elf") target("x86_64-unknown-linux-gnu:znver4") entry_points([#exec.entry_point<kernel = "unused", symbol = "unused_sym", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>, #exec.entry_point<kernel = "second", symbol = "second_sym", workgroup_count = [2, 3, 4], workgroup_size = [1, 1, 1]>, #exec.entry_point<kernel = "first", symbol = "first_sym", workgroup_count = [5, 1, 1], workgroup_size = [1, 1, 1]>]) data("cpu code")
exec.binary @vulkan format("spirv") target("vulkan1.1") entry_points([#exec.entry_point<kernel = "first", symbol = "main_0", workgroup_count = [5, 1, 1], workgroup_size = [64, 1, 1]>, #exec.entry_point<kernel = "second", symbol = "main_1", workgroup_count = [2, 3, 4], workgroup_size = [8, 8, 1]>]) data("spirv code, longer than the cpu code to move the offsets around") {target_config = {name = "default", spirv_version = 66304 : i64, vulkan_version = 4198400 : i64, capabilities = ["Shader"], extensions = [], max_workgroup_invocations = 128 : i64}}

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
// CHECK-NEXT:   1: SpirV, target 'vulkan1.1', 63 bytes at offset {{[0-9]+}}
// CHECK-NEXT:     0: main_0 workgroups {{.}}5, 1, 1{{.}}
// CHECK-NEXT:     1: main_1 workgroups {{.}}2, 3, 4{{.}}
// CHECK-NEXT: constants: 0
