//===- flags.h - Command-line flags of the runtime tools --------*- C++ -*-===//
//
// A small flag parser in the style of IREE's tools: `--name=value` (or
// `-name=value`), booleans as `--name` / `--name=false`, repeatable list
// flags. Unknown flags are an error unless the tool asks to pass them through
// (ingot-benchmark-module hands them to Google Benchmark).
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_TOOLING_FLAGS_H
#define INGOT_RUNTIME_TOOLING_FLAGS_H

#include "runtime/ingot_runtime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ingot::tooling {

/// A set of flags bound to variables.
class FlagSet {
public:
  /// Adds a string flag.
  void addString(const char *name, std::string *target, const char *help);
  /// Adds a repeatable string flag; each occurrence appends.
  void addList(const char *name, std::vector<std::string> *target,
               const char *help);
  /// Adds an integer flag; `*isSet` (if given) becomes true when it is used.
  void addInt(const char *name, int64_t *target, const char *help,
              bool *isSet = nullptr);
  /// Adds a floating-point flag.
  void addDouble(const char *name, double *target, const char *help);
  /// Adds a boolean flag.
  void addBool(const char *name, bool *target, const char *help);

  /// Parses `argv[1, argc)`. Arguments not starting with '-' go to
  /// `positional`. Unknown flags go to `unknown` if it is not NULL and are an
  /// error otherwise.
  ingot_status_t parse(int argc, char **argv,
                       std::vector<std::string> &positional,
                       std::vector<std::string> *unknown) const;

  /// Returns the flag reference printed by --help.
  std::string help() const;

private:
  enum class Kind { String, List, Int, Double, Bool };
  struct Flag {
    const char *name;
    Kind kind;
    void *target;
    const char *help;
    bool *isSet;
  };
  std::vector<Flag> flags_;
};

} // namespace ingot::tooling

#endif // INGOT_RUNTIME_TOOLING_FLAGS_H
