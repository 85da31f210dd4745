//===- GraphDialect.h - graph dialect ---------------------------*- C++ -*-===//
#ifndef INGOT_DIALECTS_GRAPH_IR_GRAPHDIALECT_H
#define INGOT_DIALECTS_GRAPH_IR_GRAPHDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/Graph/IR/GraphDialect.h.inc"

#endif // INGOT_DIALECTS_GRAPH_IR_GRAPHDIALECT_H
