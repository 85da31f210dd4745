//===- ExecDialect.h - exec dialect -----------------------------*- C++ -*-===//
#ifndef INGOT_DIALECTS_EXEC_IR_EXECDIALECT_H
#define INGOT_DIALECTS_EXEC_IR_EXECDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/Exec/IR/ExecDialect.h.inc"

#endif // INGOT_DIALECTS_EXEC_IR_EXECDIALECT_H
