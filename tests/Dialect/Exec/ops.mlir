// RUN: ingot-opt %s | ingot-opt | FileCheck %s

// CHECK-LABEL: exec.executable @k
// CHECK: func.func @k(%{{.*}}: tensor<4xf32>) -> tensor<4xf32>
exec.executable @k {
  builtin.module {
    func.func @k(%a: tensor<4xf32>) -> tensor<4xf32> {
      return %a : tensor<4xf32>
    }
  }
}

// CHECK: exec.binary @cpu format("cpu-elf") target("x86_64-pc-linux-gnu:skylake")
// CHECK-SAME: #exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [4, 1, 1], workgroup_size = [1, 1, 1]>
// CHECK-SAME: data("\7FELF")
exec.binary @cpu format("cpu-elf") target("x86_64-pc-linux-gnu:skylake") entry_points([#exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [4, 1, 1], workgroup_size = [1, 1, 1]>]) data("\7FELF")

// A SPIR-V binary carries its target environment in target_config.
// CHECK: exec.binary @spirv format("spirv") target("vulkan:default")
// CHECK-SAME: workgroup_count = [2, 3, 1], workgroup_size = [64, 1, 1]
// CHECK-SAME: target_config = {capabilities = ["Shader", "Int64"], extensions = ["SPV_KHR_8bit_storage"], max_workgroup_invocations = 128 : i64, name = "default", spirv_version = 66304 : i64, vulkan_version = 4198400 : i64}
exec.binary @spirv format("spirv") target("vulkan:default") entry_points([#exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [2, 3, 1], workgroup_size = [64, 1, 1]>]) data("\03\02#\07") {target_config = {name = "default", spirv_version = 66304 : i64, vulkan_version = 4198400 : i64, capabilities = ["Shader", "Int64"], extensions = ["SPV_KHR_8bit_storage"], max_workgroup_invocations = 128 : i64}}

// CHECK-LABEL: func.func @main
// CHECK: %[[R:.*]] = exec.dispatch @k(%{{.*}}) : (tensor<4xf32>) -> tensor<4xf32>
// CHECK: return %[[R]]
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = exec.dispatch @k(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
