// RUN: ingot-opt --pass-pipeline='builtin.module(exec.executable(builtin.module(ingot-cpu-kernel-pipeline)),ingot-cpu-serialize-executables{target-cpu=x86-64-v3 target-triple=x86_64-unknown-linux-gnu})' %s | FileCheck %s

// Two kernels are lowered, compiled in process and linked into one ELF
// shared object; each entry point records its workgroup grid.
// CHECK-NOT: exec.executable
// CHECK: exec.binary @cpu format("cpu-elf") target("x86_64-unknown-linux-gnu:x86-64-v3")
// CHECK-SAME: #exec.entry_point<kernel = "neg", symbol = "neg", workgroup_count = [{{[0-9]+}}, 1, 1], workgroup_size = [1, 1, 1]>
// CHECK-SAME: #exec.entry_point<kernel = "add", symbol = "add", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>
// CHECK-SAME: data("\7FELF
// CHECK: func.func @main
exec.executable @neg {
  builtin.module {
    func.func @neg(%a: tensor<64x256xf32>) -> tensor<64x256xf32> {
      %0 = arith.negf %a : tensor<64x256xf32>
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
exec.executable @add {
  builtin.module {
    func.func @add(%a: tensor<f32>, %b: tensor<f32>) -> tensor<f32> {
      %e = tensor.empty() : tensor<f32>
      %1 = linalg.generic {indexing_maps = [affine_map<() -> ()>, affine_map<() -> ()>, affine_map<() -> ()>], iterator_types = []} ins(%a, %b : tensor<f32>, tensor<f32>) outs(%e : tensor<f32>) {
      ^bb0(%x: f32, %y: f32, %o: f32):
        %s = arith.addf %x, %y : f32
        linalg.yield %s : f32
      } -> tensor<f32>
      return %1 : tensor<f32>
    }
  }
}
func.func @main(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = exec.dispatch @neg(%x) : (tensor<64x256xf32>) -> tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}
