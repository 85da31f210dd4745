// RUN: ingot-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{expects its module to hold a function named @k}}
exec.executable @k {
  builtin.module {
    func.func @other() { return }
  }
}

// -----

// expected-error @+1 {{expects a single builtin.module in its body}}
exec.executable @k {
  func.func @k() { return }
}

// -----

// expected-error @+1 {{entry point 'k' has an empty workgroup grid}}
exec.binary @cpu format("cpu-elf") target("t") entry_points([#exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [0, 1, 1], workgroup_size = [1, 1, 1]>]) data("")

// -----

// expected-error @+1 {{in format 'spirv' needs a target_config}}
exec.binary @spirv format("spirv") target("vulkan:default") entry_points([#exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>]) data("\03\02#\07")

// -----

// expected-error @+1 {{target_config needs an integer 'vulkan_version'}}
exec.binary @spirv format("spirv") target("vulkan:default") entry_points([#exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>]) data("\03\02#\07") {target_config = {name = "default", spirv_version = 66304 : i64, capabilities = ["Shader"], extensions = [], max_workgroup_invocations = 128 : i64}}

// -----

// expected-error @+1 {{target_config needs 'capabilities' as an array of strings}}
exec.binary @spirv format("spirv") target("vulkan:default") entry_points([#exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [1, 1, 1], workgroup_size = [1, 1, 1]>]) data("\03\02#\07") {target_config = {name = "default", spirv_version = 66304 : i64, vulkan_version = 4198400 : i64, capabilities = [1], extensions = [], max_workgroup_invocations = 128 : i64}}

// -----

// expected-error @+1 {{entry point 'k' has 256 invocations per workgroup; the target allows 1 to 128}}
exec.binary @spirv format("spirv") target("vulkan:default") entry_points([#exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [1, 1, 1], workgroup_size = [256, 1, 1]>]) data("\03\02#\07") {target_config = {name = "default", spirv_version = 66304 : i64, vulkan_version = 4198400 : i64, capabilities = ["Shader"], extensions = [], max_workgroup_invocations = 128 : i64}}

// -----

// expected-error @+1 {{entry point 'k' has a workgroup count above 65535 in one dimension}}
exec.binary @spirv format("spirv") target("vulkan:default") entry_points([#exec.entry_point<kernel = "k", symbol = "k", workgroup_count = [70000, 1, 1], workgroup_size = [64, 1, 1]>]) data("\03\02#\07") {target_config = {name = "default", spirv_version = 66304 : i64, vulkan_version = 4198400 : i64, capabilities = ["Shader"], extensions = [], max_workgroup_invocations = 128 : i64}}

// -----

exec.executable @k {
  builtin.module {
    func.func @k(%a: tensor<4xf32>) -> tensor<4xf32> {
      return %a : tensor<4xf32>
    }
  }
}
func.func @main(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{type mismatch with kernel @k}}
  %0 = exec.dispatch @k(%x) : (tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
