//===- ExecBase.td - exec dialect definition ---------------*- tablegen -*-===//
//
// The exec dialect describes what the host does: executables (target-neutral
// kernel sources, later target binaries) and dispatches of their kernels.
//
//===----------------------------------------------------------------------===//
#ifndef INGOT_DIALECTS_EXEC_IR_EXECBASE_TD
#define INGOT_DIALECTS_EXEC_IR_EXECBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Exec_Dialect : Dialect {
  let name = "exec";
  let cppNamespace = "::mlir::ingot::exec";
  let summary = "Host-side execution: executables and dispatches";
  let description = [{
    The exec dialect sits between dispatch formation and code generation.
    `exec.executable` holds the source of one kernel (a `builtin.module` with
    one function on tensors, later lowered per target); `exec.dispatch` runs a
    kernel from the host program with tensor operands and results;
    `exec.binary` holds the code of all kernels in one target format.
  }];
  let useDefaultAttributePrinterParser = 1;
}

class Exec_Op<string mnemonic, list<Trait> traits = []>
    : Op<Exec_Dialect, mnemonic, traits>;

class Exec_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Exec_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

#endif // INGOT_DIALECTS_EXEC_IR_EXECBASE_TD
