//===- dump_module.h - Human-readable dump of a module ----------*- C++ -*-===//
//
// The text printed by ingot-dump-module: version, producer, function
// signatures, host programs, kernels, executables and constants.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_TOOLING_DUMP_MODULE_H
#define INGOT_RUNTIME_TOOLING_DUMP_MODULE_H

#include "runtime/ingot_runtime.h"

#include <cstdio>

namespace ingot::tooling {

/// Writes a description of the (verified) `module` to `out`.
void dumpModule(const ingot_module_t *module, FILE *out);

} // namespace ingot::tooling

#endif // INGOT_RUNTIME_TOOLING_DUMP_MODULE_H
