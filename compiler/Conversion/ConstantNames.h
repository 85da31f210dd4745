//===- ConstantNames.h - names of rewritten weights --------------*- C++
//-*-===//
//
// Passes that replace a weight by a rewritten copy (transposed, reshaped,
// packed) keep the weight's name for the module's constant table.
//
//===----------------------------------------------------------------------===//
#ifndef INGOT_COMPILER_CONVERSION_CONSTANTNAMES_H
#define INGOT_COMPILER_CONVERSION_CONSTANTNAMES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace mlir::ingot {

/// Gives `to` the name of the weight `from` as an `ingot.name` attribute:
/// `from`'s own attribute, or its NameLoc (locations do not survive the
/// constant folder's deduplication, which the copy goes through).
inline void copyConstantName(arith::ConstantOp from, Operation *to) {
  if (auto name = from->getAttrOfType<StringAttr>("ingot.name"))
    to->setAttr("ingot.name", name);
  else if (auto loc = dyn_cast<NameLoc>(from.getLoc()))
    to->setAttr("ingot.name", loc.getName());
}

} // namespace mlir::ingot

#endif // INGOT_COMPILER_CONVERSION_CONSTANTNAMES_H
