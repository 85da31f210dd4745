#!/usr/bin/env bash
#===- scripts/build.sh - install dependencies and build Ingot --------------===#
#
# Usage: scripts/build.sh [build-dir] [extra cmake args...]
# Installs the Debian packages (scripts/install-deps.sh), configures with
# Ninja and builds everything. ccache keeps its default cache directory.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# Cache hits across clones: ccache rewrites paths under the checkout.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}"
build="${1:-$root/build}"
shift || true
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja "$@"
cmake --build "$build"
