#!/usr/bin/env bash
#===- scripts/install-deps.sh - install Ingot's Debian packages -----------===#
#
# Installs every Debian 12 package that Ingot's build, tests and examples need.
# Idempotent: packages already present are skipped, `apt-get update` runs once
# and only when something is missing. Works as root or through sudo.
#
#===----------------------------------------------------------------------===#
set -euo pipefail

PACKAGES=(
  # Toolchain.
  cmake ninja-build ccache clang-19 lld-19 git
  # LLVM / MLIR 19 and in-process lld.
  llvm-19-dev libmlir-19-dev mlir-19-tools llvm-19-tools liblld-19-dev
  # ONNX import.
  libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
  # Module format.
  libflatbuffers-dev flatbuffers-compiler
  # Tests and benchmarks.
  libgtest-dev libbenchmark-dev
  # Vulkan (lavapipe) and SPIR-V tooling.
  libvulkan-dev mesa-vulkan-drivers spirv-tools
  # Python used by the tests to build models and reference values.
  python3 python3-onnx python3-numpy
  # Misc: build-id / dependency inspection in tests.
  binutils file time
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo -E)
  else
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
