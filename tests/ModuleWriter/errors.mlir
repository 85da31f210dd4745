// REQUIRES: compiler
// RUN: split-file %s %t
// RUN: not ingot-compile --compile-from=module %t/host-op.mlir -o %t/host-op.ingot 2>&1 | FileCheck %s --check-prefix=HOST-OP
// RUN: not ingot-compile --compile-from=module %t/call.mlir -o %t/call.ingot 2>&1 | FileCheck %s --check-prefix=CALL
// RUN: not ingot-compile --compile-from=module %t/entry-point.mlir -o %t/entry-point.ingot 2>&1 | FileCheck %s --check-prefix=ENTRY-POINT
// RUN: not ingot-compile --compile-from=module %t/format.mlir -o %t/format.ingot 2>&1 | FileCheck %s --check-prefix=FORMAT
// RUN: not ingot-compile --compile-from=module %t/no-binary.mlir -o %t/no-binary.ingot 2>&1 | FileCheck %s --check-prefix=NO-BINARY
// RUN: not ingot-compile --compile-from=module %t/dynamic.mlir -o %t/dynamic.ingot 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// RUN: not ingot-compile --compile-from=module %t/element-type.mlir -o %t/element-type.ingot 2>&1 | FileCheck %s --check-prefix=ELEMENT-TYPE

// The module writer rejects what the host program cannot express, with an
// error on the offending op.

//--- host-op.mlir
exec.binary @cpu format("cpu-elf") target("x86_64") entry_points([#exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>]) data("fake")
func.func @main(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // HOST-OP: host-op.mlir:4:8: error: 'tensor.empty' op cannot be run by the host program
  %0 = tensor.empty() : tensor<4xf32>
  %1 = exec.dispatch @k(%arg0, %0) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

//--- call.mlir
func.func @main(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // CALL: error: 'func.call' op cannot be run by the host program
  %0 = func.call @helper(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func private @helper(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  return %arg0 : tensor<4xf32>
}

//--- entry-point.mlir
// ENTRY-POINT: error: 'exec.binary' op has no entry point for kernel 'k2'
exec.binary @cpu format("cpu-elf") target("x86_64") entry_points([#exec.entry_point<kernel = "k1", symbol = "k1", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>]) data("fake")
func.func @main(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  %0 = exec.dispatch @k1(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = exec.dispatch @k2(%0) : (tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

//--- format.mlir
// FORMAT: error: 'exec.binary' op has format 'ptx', which the module file cannot hold (expected 'cpu-elf' or 'spirv')
exec.binary @gpu format("ptx") target("sm_90") entry_points([#exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>]) data("fake")
func.func @main(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  %0 = exec.dispatch @k(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

//--- no-binary.mlir
func.func @main(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // NO-BINARY: error: 'exec.dispatch' op dispatches kernel 'k' but the module has no exec.binary
  %0 = exec.dispatch @k(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

//--- dynamic.mlir
exec.binary @cpu format("cpu-elf") target("x86_64") entry_points([#exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>]) data("fake")
// DYNAMIC: error: input #0 'x' has type 'tensor<?x4xf32>': dynamic shapes are not supported by the module writer yet
func.func @main(%arg0: tensor<?x4xf32> {ingot.name = "x"}) -> tensor<?x4xf32> {
  %0 = exec.dispatch @k(%arg0) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

//--- element-type.mlir
exec.binary @cpu format("cpu-elf") target("x86_64") entry_points([#exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>]) data("fake")
func.func @main(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // ELEMENT-TYPE: error: result #0 of kernel 'k' has element type 'index', which the module format cannot express
  %0 = exec.dispatch @k(%arg0) : (tensor<4xf32>) -> tensor<4xindex>
  %1 = exec.dispatch @k(%0) : (tensor<4xindex>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}
