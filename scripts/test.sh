#!/usr/bin/env bash
#===- scripts/test.sh - install, build and run the whole test suite --------===#
#
# Usage: scripts/test.sh [build-dir]
# The README's test command and what CI runs: installs dependencies, builds
# (compiler + runtime), runs ctest (lit, unit tests, e2e models), then builds
# the runtime alone without LLVM/MLIR and runs its tests too.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
"$root/scripts/build.sh" "$build"
jobs="$(nproc)"
(cd "$build" && ctest --output-on-failure -j "$jobs")

# The deployment build: runtime and runtime tools only, no LLVM/MLIR.
rt="$build-runtime-only"
cmake -S "$root" -B "$rt" -G Ninja -DINGOT_BUILD_COMPILER=OFF
cmake --build "$rt"
(cd "$rt" && ctest --output-on-failure -j "$jobs")
