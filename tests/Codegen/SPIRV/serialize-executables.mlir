// RUN: ingot-opt --pass-pipeline='builtin.module(ingot-spirv-kernel-pipeline,ingot-spirv-serialize-executables)' %s | FileCheck %s
// RUN: ingot-opt --pass-pipeline='builtin.module(ingot-spirv-kernel-pipeline,ingot-spirv-serialize-executables{keep-executables=1})' %s | FileCheck %s --check-prefix=KEEP

// Two kernels end up in one SPIR-V binary (magic 0x07230203, little endian)
// whose entry points carry each grid and workgroup size, and whose
// target_config lists only the capabilities, extensions and SPIR-V version
// the kernels use (the bool output is stored as bytes: 8-bit storage).
// CHECK-NOT: exec.executable
// CHECK-NOT: module @spirv_kernels
// CHECK: exec.binary @spirv format("spirv") target("vulkan:default")
// CHECK-SAME: #exec.entry_point<kernel = "neg", symbol = "neg", workgroup_count = [32, 1, 1], workgroup_size = [128, 1, 1]>
// CHECK-SAME: #exec.entry_point<kernel = "positive", symbol = "positive", workgroup_count = [1, 1, 1], workgroup_size = [4, 1, 1]>
// CHECK-SAME: data("\03\02#\07
// CHECK-SAME: target_config = {capabilities = ["Shader", "StorageBuffer8BitAccess", "Int8"], extensions = ["SPV_KHR_storage_buffer_storage_class", "SPV_KHR_8bit_storage"], max_workgroup_invocations = 128 : i64, name = "default", spirv_version = 65536 : i64, vulkan_version = 4198400 : i64}
// CHECK: func.func @main

// KEEP: exec.binary @spirv format("spirv")
// KEEP: exec.executable @neg
// KEEP: exec.executable @positive
exec.executable @neg {
  builtin.module {
    func.func @neg(%a: tensor<64x256xf32>) -> tensor<64x256xf32> {
      %e = tensor.empty() : tensor<64x256xf32>
      %1 = linalg.generic {indexing_maps = [affine_map<(d0,d1)->(d0,d1)>, affine_map<(d0,d1)->(d0,d1)>], iterator_types = ["parallel","parallel"]} ins(%a : tensor<64x256xf32>) outs(%e : tensor<64x256xf32>) {
      ^bb0(%x: f32, %o: f32):
        %n = arith.negf %x : f32
        linalg.yield %n : f32
      } -> tensor<64x256xf32>
      return %1 : tensor<64x256xf32>
    }
  }
}
exec.executable @positive {
  builtin.module {
    func.func @positive(%a: tensor<16xf32>) -> tensor<16xi1> {
      %z = arith.constant 0.0 : f32
      %e = tensor.empty() : tensor<16xi1>
      %1 = linalg.generic {indexing_maps = [affine_map<(d0)->(d0)>, affine_map<(d0)->(d0)>], iterator_types = ["parallel"]} ins(%a : tensor<16xf32>) outs(%e : tensor<16xi1>) {
      ^bb0(%x: f32, %o: i1):
        %p = arith.cmpf ogt, %x, %z : f32
        linalg.yield %p : i1
      } -> tensor<16xi1>
      return %1 : tensor<16xi1>
    }
  }
}
func.func @main(%a: tensor<64x256xf32>, %b: tensor<16xf32>) -> (tensor<64x256xf32>, tensor<16xi1>) {
  %0 = exec.dispatch @neg(%a) : (tensor<64x256xf32>) -> tensor<64x256xf32>
  %1 = exec.dispatch @positive(%b) : (tensor<16xf32>) -> tensor<16xi1>
  return %0, %1 : tensor<64x256xf32>, tensor<16xi1>
}
