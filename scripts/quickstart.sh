#!/usr/bin/env bash
#===- scripts/quickstart.sh - build Ingot and run the bundled example ------===#
#
# Installs dependencies, builds, compiles examples/mlp/mlp.onnx to an .ingot
# module and runs it on the CPU, printing the outputs and checking them
# against the reference computed with numpy.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
"$root/scripts/build.sh" "$build"
ex="$root/examples/mlp"
"$build/bin/ingot-compile" "$ex/mlp.onnx" -o "$build/mlp.ingot"
"$build/bin/ingot-dump-module" "$build/mlp.ingot"
"$build/bin/ingot-run-module" --module="$build/mlp.ingot" \
  --input=@"$ex/input.npy" --expected_output=@"$ex/expected.npy"
