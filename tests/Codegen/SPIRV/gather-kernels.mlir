// RUN: ingot-opt --ingot-spirv-gather-kernels %s | FileCheck %s
// RUN: ingot-opt --ingot-spirv-gather-kernels=target=desktop %s | FileCheck %s --check-prefix=DESKTOP
// RUN: not ingot-opt --ingot-spirv-gather-kernels=target=nope %s 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// Every tensor kernel is copied into one nested module with the target
// environment; the executables stay for other targets.
// CHECK-LABEL: module @spirv_kernels
// CHECK-SAME: exec.spirv_target = "default"
// CHECK-SAME: #spirv.target_env<#spirv.vce<v1.3, [Shader, Int8, Int16, Int64, Float16, Float64, StorageBuffer8BitAccess, StorageBuffer16BitAccess], [SPV_KHR_8bit_storage, SPV_KHR_16bit_storage, SPV_KHR_storage_buffer_storage_class]>, api=Vulkan, #spirv.resource_limits<>>}
// CHECK: func.func @add_bias(%{{.*}}: tensor<2x3xf32>)
// CHECK: linalg.generic
// CHECK: func.func @fill(
// CHECK: exec.executable @add_bias
// CHECK: arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]>
// CHECK: exec.executable @fill

// DESKTOP: module @spirv_kernels
// DESKTOP-SAME: exec.spirv_target = "desktop"
// DESKTOP-SAME: #spirv.vce<v1.5
// DESKTOP-SAME: max_compute_workgroup_invocations = 256

// UNKNOWN: error: unknown Vulkan target 'nope'; known targets: default, desktop

exec.executable @add_bias {
  builtin.module {
    func.func @add_bias(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
      %b = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
      %e = tensor.empty() : tensor<2x3xf32>
      %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a, %b : tensor<2x3xf32>, tensor<3xf32>) outs(%e : tensor<2x3xf32>) {
      ^bb0(%x: f32, %y: f32, %o: f32):
        %s = arith.addf %x, %y : f32
        linalg.yield %s : f32
      } -> tensor<2x3xf32>
      return %r : tensor<2x3xf32>
    }
  }
}
exec.executable @fill {
  builtin.module {
    func.func @fill() -> tensor<4xf32> {
      %c = arith.constant dense<0.5> : tensor<4xf32>
      return %c : tensor<4xf32>
    }
  }
}
