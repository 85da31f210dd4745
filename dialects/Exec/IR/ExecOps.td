//===- ExecOps.td - exec dialect ops -----------------------*- tablegen -*-===//
#ifndef INGOT_DIALECTS_EXEC_IR_EXECOPS_TD
#define INGOT_DIALECTS_EXEC_IR_EXECOPS_TD

include "dialects/Exec/IR/ExecBase.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

def Exec_EntryPointAttr : Exec_Attr<"EntryPoint", "entry_point"> {
  let summary = "One kernel's entry point inside an exec.binary";
  let description = [{
    Names the kernel (the exec.executable it came from), the symbol that
    implements it in the binary, its grid of workgroups and the threads per
    workgroup.

    ```mlir
    #exec.entry_point<kernel = "dispatch_0", symbol = "dispatch_0",
                      workgroup_count = [16, 1, 1], workgroup_size = [1, 1, 1]>
    ```
  }];
  let parameters = (ins "StringAttr":$kernel, "StringAttr":$symbol,
                        ArrayRefParameter<"int64_t">:$workgroup_count,
                        ArrayRefParameter<"int64_t">:$workgroup_size);
  let assemblyFormat = [{
    `<` `kernel` `=` $kernel `,` `symbol` `=` $symbol `,`
    `workgroup_count` `=` `[` $workgroup_count `]`
    `,` `workgroup_size` `=` `[` $workgroup_size `]` `>`
  }];
}

//===----------------------------------------------------------------------===//
// exec.executable
//===----------------------------------------------------------------------===//

def Exec_ExecutableOp : Exec_Op<"executable", [
    IsolatedFromAbove, Symbol, SingleBlock, NoTerminator,
    NoRegionArguments]> {
  let summary = "The source of one kernel";
  let description = [{
    Holds a `builtin.module` with one public function named like the
    executable: the kernel. Before code generation the function works on
    tensors (`(tensor...) -> (tensor...)`); CPU code generation lowers the
    inner module in place.

    ```mlir
    exec.executable @dispatch_0 {
      builtin.module {
        func.func @dispatch_0(%a: tensor<4xf32>) -> tensor<4xf32> { ... }
      }
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let extraClassDeclaration = [{
    /// The inner module holding the kernel, or null if malformed.
    ::mlir::ModuleOp getInnerModule();
    /// The kernel function (named like the executable), or null.
    ::mlir::func::FuncOp getKernel();
  }];
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "StringRef":$name)>];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// exec.dispatch
//===----------------------------------------------------------------------===//

def Exec_DispatchOp : Exec_Op<"dispatch", [
    Pure, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Runs a kernel over tensor operands";
  let description = [{
    Runs the kernel of executable `@kernel` with the operands as its inputs
    and returns its results. Value semantics: results are fresh tensors.

    ```mlir
    %0 = exec.dispatch @dispatch_0(%a, %w) : (tensor<1x4xf32>, tensor<4x8xf32>) -> tensor<1x8xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$kernel,
                       Variadic<AnyRankedTensor>:$arguments);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let assemblyFormat = [{
    $kernel `(` $arguments `)` attr-dict `:` functional-type($arguments, $results)
  }];
}

//===----------------------------------------------------------------------===//
// exec.binary
//===----------------------------------------------------------------------===//

def Exec_BinaryOp : Exec_Op<"binary", [Symbol]> {
  let summary = "Code for every kernel of the module in one target format";
  let description = [{
    Produced by a target's serializer. `format` is the module-file executable
    format (`cpu-elf`, `spirv`), `target` describes the target (CPU and
    triple, or SPIR-V environment), `data` holds the bytes. The optional
    `target_config` dictionary carries what a format needs beyond that; a
    `spirv` binary requires it with the target environment its kernels need:
    `name` (string), `spirv_version` and `vulkan_version` (integers, encoded
    as in docs/design/executable-abi.md), `capabilities` and `extensions`
    (arrays of SPIR-V names) and `max_workgroup_invocations` (integer, at
    least every entry point's workgroup size).

    ```mlir
    exec.binary @cpu format("cpu-elf") target("x86_64-unknown-linux-gnu:skylake-avx512")
        entry_points([#exec.entry_point<...>]) data("\7FELF...")
    exec.binary @spirv format("spirv") target("vulkan:default")
        entry_points([#exec.entry_point<...>]) data("\03\02#\07...")
        {target_config = {capabilities = ["Shader"], extensions = [],
                          max_workgroup_invocations = 128 : i64,
                          name = "default", spirv_version = 66304 : i64,
                          vulkan_version = 4198400 : i64}}
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, StrAttr:$format,
                       StrAttr:$target,
                       TypedArrayAttrBase<Exec_EntryPointAttr,
                                          "entry points">:$entry_points,
                       StrAttr:$data,
                       OptionalAttr<DictionaryAttr>:$target_config);
  let assemblyFormat = [{
    $sym_name `format` `(` $format `)` `target` `(` $target `)`
    `entry_points` `(` $entry_points `)` `data` `(` $data `)` attr-dict
  }];
  let extraClassDeclaration = [{
    /// Checks the target environment of a `spirv` binary.
    ::mlir::LogicalResult verifySpirvTargetConfig();
  }];
  let hasVerifier = 1;
}

#endif // INGOT_DIALECTS_EXEC_IR_EXECOPS_TD
