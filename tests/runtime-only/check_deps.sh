#!/bin/sh
#===- tests/runtime-only/check_deps.sh - runtime tools link no LLVM/MLIR -===#
#
# Usage: check_deps.sh <binary>...
# Fails if a binary needs libLLVM/libMLIR/libclang (readelf -d NEEDED and the
# resolved `ldd` list) or contains statically linked llvm::/mlir:: symbols;
# or if it needs the Vulkan loader (libvulkan), which the Vulkan device loads
# with dlopen so that CPU-only machines run the tools without it.
#
#===----------------------------------------------------------------------===#
set -u
status=0
if [ "$#" -eq 0 ]; then
  echo "check_deps.sh: no binaries given" >&2
  exit 2
fi
for binary in "$@"; do
  before=$status
  if [ ! -f "$binary" ]; then
    echo "FAIL: $binary does not exist" >&2
    status=1
    continue
  fi
  needed=$(readelf -d "$binary") || { echo "FAIL: readelf $binary" >&2; status=1; continue; }
  if echo "$needed" | grep -Ei 'NEEDED.*(libLLVM|libMLIR|libclang)'; then
    echo "FAIL: $binary needs LLVM/MLIR (readelf -d)" >&2
    status=1
  fi
  if echo "$needed" | grep -Ei 'NEEDED.*libvulkan'; then
    echo "FAIL: $binary links the Vulkan loader (readelf -d); it must dlopen it" >&2
    status=1
  fi
  libs=$(ldd "$binary") || { echo "FAIL: ldd $binary" >&2; status=1; continue; }
  if echo "$libs" | grep -Ei 'libLLVM|libMLIR|libclang'; then
    echo "FAIL: $binary loads LLVM/MLIR (ldd)" >&2
    status=1
  fi
  if echo "$libs" | grep -Ei 'libvulkan'; then
    echo "FAIL: $binary loads the Vulkan loader at startup (ldd)" >&2
    status=1
  fi
  if command -v nm >/dev/null 2>&1; then
    count=$(nm -C "$binary" 2>/dev/null | grep -cE ' (llvm|mlir)::' || true)
    if [ "$count" != "0" ]; then
      echo "FAIL: $binary contains $count llvm::/mlir:: symbols" >&2
      status=1
    fi
  fi
  [ "$status" = "$before" ] && echo "ok: $binary ($(echo "$needed" | grep -c NEEDED) shared libraries, none LLVM/MLIR/Vulkan)"
done
exit $status
