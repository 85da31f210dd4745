// REQUIRES: compiler
// RUN: ingot-compile --compile-from=module %s -o %t.ingot && ingot-dump-module %t.ingot | FileCheck %s

// Views (collapse_shape, expand_shape, reshape, cast) share their source's
// buffer: the dispatch result returned through them is the output buffer
// itself, with no copy. Leftover exec.executable ops are ignored.

exec.binary @cpu format("cpu-elf") target("x86_64-unknown-linux-gnu:skylake-avx512") entry_points([#exec.entry_point<kernel = "main_dispatch_0", symbol = "main_dispatch_0", workgroup_count = [8, 1, 1], workgroup_size = [1, 1, 1]>]) data("\7FELFfake")

exec.executable @main_dispatch_0 {
  builtin.module {
    func.func @main_dispatch_0(%a: tensor<1x784xf32>, %w: tensor<784x512xf32>) -> tensor<1x512xf32> {
      %0 = tensor.empty() : tensor<1x512xf32>
      return %0 : tensor<1x512xf32>
    }
  }
}

func.func @main(%arg0: tensor<1x784xf32> {ingot.name = "input"}) -> (tensor<2x256xf32> {ingot.name = "output"}) {
  %cst = arith.constant dense<1.0> : tensor<784x512xf32>
  %v = tensor.cast %arg0 : tensor<1x784xf32> to tensor<1x784xf32>
  %0 = exec.dispatch @main_dispatch_0(%v, %cst) : (tensor<1x784xf32>, tensor<784x512xf32>) -> tensor<1x512xf32>
  %1 = tensor.collapse_shape %0 [[0, 1]] : tensor<1x512xf32> into tensor<512xf32>
  %2 = tensor.expand_shape %1 [[0, 1]] output_shape [2, 256] : tensor<512xf32> into tensor<2x256xf32>
  return %2 : tensor<2x256xf32>
}

// Private functions are not exported.
func.func private @helper(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  return %arg0 : tensor<4xf32>
}

// CHECK:      module '{{.*}}': version 1, producer 'ingot-compile {{.*}}'
// CHECK-NEXT: functions: 1
// CHECK-NEXT:   main(input: 1x784xf32) -> (output: 2x256xf32)
// CHECK-NEXT:     buffers: 3, arena: 0 bytes
// CHECK-NEXT:       %0 = input 0, 3136 bytes
// CHECK-NEXT:       %1 = constant 0 'constant_0', 1605632 bytes
// CHECK-NEXT:       %2 = output 0, 2048 bytes
// CHECK-NEXT:     commands: 1
// CHECK-NEXT:       0: dispatch kernel 0 'main_dispatch_0' bindings(%0, %1, %2)
// CHECK-NEXT: kernels: 1
// CHECK-NEXT:   0: main_dispatch_0
// CHECK-NEXT: executables: 1
// CHECK-NEXT:   0: CpuElf, target 'x86_64-unknown-linux-gnu:skylake-avx512', 8 bytes at offset {{[0-9]+}}
// CHECK-NEXT:     0: main_dispatch_0 workgroups {{.}}8, 1, 1{{.}}
// CHECK-NEXT: constants: 1
// CHECK-NEXT:   0: 'constant_0' 784x512xf32, 1605632 bytes at offset {{[0-9]+}}
