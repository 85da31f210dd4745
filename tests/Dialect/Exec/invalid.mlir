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
