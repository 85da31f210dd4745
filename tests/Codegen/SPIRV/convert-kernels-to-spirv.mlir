// RUN: ingot-opt --pass-pipeline='builtin.module(builtin.module(ingot-spirv-convert-kernels-to-spirv))' %s -split-input-file -verify-diagnostics | FileCheck %s

// Two distributed kernels become entry functions of one spirv.module; the
// grid and workgroup size of each are recorded on the kernel module. Bool
// buffers are bytes, private arrays function variables, erf is expanded.
// CHECK-LABEL: module @spirv_kernels
// CHECK-SAME: exec.entry_points = [#exec.entry_point<kernel = "relu", symbol = "relu", workgroup_count = [2, 1, 1], workgroup_size = [128, 1, 1]>, #exec.entry_point<kernel = "mask", symbol = "mask", workgroup_count = [1, 1, 1], workgroup_size = [4, 1, 1]>]
// CHECK: spirv.module @__spv__kernels Logical GLSL450
// CHECK: spirv.func @relu(%{{.*}}: !spirv.ptr<!spirv.struct<(!spirv.array<1024 x f32, stride=4> [0])>, StorageBuffer> {spirv.interface_var_abi = #spirv.interface_var_abi<(0, 0)>}
// CHECK-SAME: spirv.entry_point_abi = #spirv.entry_point_abi<workgroup_size = [128, 1, 1]>
// CHECK: spirv.Variable : !spirv.ptr<!spirv.struct<(!spirv.array<4 x f32>)>, Function>
// CHECK: spirv.Load "Input"
// CHECK: spirv.GL.FMax
// CHECK: spirv.func @mask(%{{.*}}: !spirv.ptr<!spirv.struct<(!spirv.array<4 x f32, stride=4> [0])>, StorageBuffer> {{.*}}, %{{.*}}: !spirv.ptr<!spirv.struct<(!spirv.array<4 x i8, stride=1> [0])>, StorageBuffer>
// CHECK: spirv.FOrdGreaterThan
// CHECK-NOT: math.erf
module {
  module @spirv_kernels attributes {spirv.target_env = #spirv.target_env<#spirv.vce<v1.3, [Shader, Int8, Int64, StorageBuffer8BitAccess], [SPV_KHR_8bit_storage, SPV_KHR_storage_buffer_storage_class]>, api=Vulkan, #spirv.resource_limits<>>} {
    func.func @relu(%a: memref<1024xf32>, %o: memref<1024xf32>) attributes {exec.workgroup_count = array<i64: 2, 1, 1>, exec.workgroup_size = array<i64: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c4 = arith.constant 4 : index
      %z = arith.constant 0.0 : f32
      %t = memref.alloca() : memref<4xf32, 6>
      %wg = gpu.block_id x
      %tid = gpu.thread_id x
      %c128 = arith.constant 128 : index
      %base = arith.muli %wg, %c128 : index
      %id = arith.addi %base, %tid : index
      %i = arith.muli %id, %c4 : index
      scf.for %k = %c0 to %c4 step %c1 {
        %idx = arith.addi %i, %k : index
        %x = memref.load %a[%idx] : memref<1024xf32>
        %r = arith.maximumf %x, %z : f32
        memref.store %r, %t[%k] : memref<4xf32, 6>
      }
      scf.for %k = %c0 to %c4 step %c1 {
        %idx = arith.addi %i, %k : index
        %x = memref.load %t[%k] : memref<4xf32, 6>
        memref.store %x, %o[%idx] : memref<1024xf32>
      }
      return
    }
    func.func @mask(%a: memref<4xf32>, %o: memref<4xi1>) attributes {exec.workgroup_count = array<i64: 1, 1, 1>, exec.workgroup_size = array<i64: 4, 1, 1>} {
      %tid = gpu.thread_id x
      %z = arith.constant 0.0 : f32
      %x = memref.load %a[%tid] : memref<4xf32>
      %e = math.erf %x : f32
      %b = arith.cmpf ogt, %e, %z : f32
      memref.store %b, %o[%tid] : memref<4xi1>
      return
    }
  }
}

// -----

module {
  // expected-error @+1 {{needs a spirv.target_env attribute}}
  module @spirv_kernels {
    func.func @k(%o: memref<4xf32>) attributes {exec.workgroup_count = array<i64: 1, 1, 1>, exec.workgroup_size = array<i64: 1, 1, 1>} {
      return
    }
  }
}

// -----

module {
  module @spirv_kernels attributes {spirv.target_env = #spirv.target_env<#spirv.vce<v1.3, [Shader], []>, #spirv.resource_limits<>>} {
    // expected-error @+1 {{lacks its workgroup count and size}}
    func.func @k(%o: memref<4xf32>) {
      return
    }
  }
}

// -----

// math.atan becomes GLSL Atan; math.atan2 is expanded to Atan of y / x moved
// to the quadrant of (x, y), and 0 at (0, 0).
// CHECK-LABEL: module @spirv_kernels
// CHECK: spirv.func @angles
// CHECK: %[[ATAN:.*]] = spirv.GL.Atan %{{.*}} : f32
// CHECK: %[[Q:.*]] = spirv.FDiv %[[Y:.*]], %[[X:.*]] : f32
// CHECK: %[[A:.*]] = spirv.GL.Atan %[[Q]] : f32
// CHECK: %[[YPOS:.*]] = spirv.FOrdGreaterThanEqual %[[Y]], %{{.*}} : f32
// CHECK: %[[SHIFT:.*]] = spirv.Select %[[YPOS]], %{{.*}}, %{{.*}} : i1, f32
// CHECK: %[[XNEG:.*]] = spirv.FOrdLessThan %[[X]], %{{.*}} : f32
// CHECK: %[[SUM:.*]] = spirv.FAdd %[[A]], %[[SHIFT]] : f32
// CHECK: %[[MOVED:.*]] = spirv.Select %[[XNEG]], %[[SUM]], %[[A]] : i1, f32
// CHECK: %[[X0:.*]] = spirv.FOrdEqual %[[X]], %{{.*}} : f32
// CHECK: %[[Y0:.*]] = spirv.FOrdEqual %[[Y]], %{{.*}} : f32
// CHECK: %[[BOTH:.*]] = spirv.LogicalAnd %[[X0]], %[[Y0]] : i1
// CHECK: spirv.Select %[[BOTH]], %{{.*}}, %[[MOVED]] : i1, f32
// CHECK-NOT: math.atan
module {
  module @spirv_kernels attributes {spirv.target_env = #spirv.target_env<#spirv.vce<v1.3, [Shader], [SPV_KHR_storage_buffer_storage_class]>, api=Vulkan, #spirv.resource_limits<>>} {
    func.func @angles(%a: memref<4xf32>, %b: memref<4xf32>, %o: memref<4xf32>, %p: memref<4xf32>) attributes {exec.workgroup_count = array<i64: 1, 1, 1>, exec.workgroup_size = array<i64: 4, 1, 1>} {
      %tid = gpu.thread_id x
      %y = memref.load %a[%tid] : memref<4xf32>
      %x = memref.load %b[%tid] : memref<4xf32>
      %t = math.atan %y : f32
      memref.store %t, %o[%tid] : memref<4xf32>
      %t2 = math.atan2 %y, %x : f32
      memref.store %t2, %p[%tid] : memref<4xf32>
      return
    }
  }
}

// -----

// GLSL.std.450's Exp, Log, Pow, ... take 16/32-bit floats only: f64 math is
// refused with the op's name instead of a SPIR-V verifier failure.
module {
  module @spirv_kernels attributes {spirv.target_env = #spirv.target_env<#spirv.vce<v1.3, [Shader, Float64], [SPV_KHR_storage_buffer_storage_class]>, api=Vulkan, #spirv.resource_limits<>>} {
    func.func @k(%a: memref<4xf64>, %o: memref<4xf64>) attributes {exec.workgroup_count = array<i64: 1, 1, 1>, exec.workgroup_size = array<i64: 4, 1, 1>} {
      %tid = gpu.thread_id x
      %x = memref.load %a[%tid] : memref<4xf64>
      %s = math.sqrt %x : f64
      // expected-error @+1 {{'math.exp' on f64 is not supported by the Vulkan target (GLSL.std.450 is 32-bit only)}}
      %e = math.exp %s : f64
      memref.store %e, %o[%tid] : memref<4xf64>
      return
    }
  }
}
