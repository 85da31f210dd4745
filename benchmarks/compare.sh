#!/usr/bin/env bash
#===- benchmarks/compare.sh - Ingot vs ONNX Runtime, side by side ----------===#
#
# Usage: benchmarks/compare.sh [--threads 1,2] [--reps 20] MODEL.onnx INPUT.npy...
# Compiles MODEL with ingot-compile, then for each thread count measures
# ingot-benchmark-module and ONNX Runtime 1.30 (onnxruntime-node, installed
# into $INGOT_ORT_DIR, default ~/.cache/ingot/ort, on first use) on the same
# inputs, and prints medians, p90s and the ratio Ingot / ORT.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${INGOT_BIN:-$here/../build/bin}"
threads="1,2"; reps=20
while [[ $# -gt 0 && "$1" == --* ]]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    *) echo "compare.sh: error: unknown flag '$1'" >&2; exit 1 ;;
  esac
done
[[ $# -ge 2 ]] || { echo "usage: compare.sh [--threads 1,2] [--reps N] MODEL.onnx INPUT.npy..." >&2; exit 1; }
model="$1"; shift
inputs=("$@")

ort_dir="${INGOT_ORT_DIR:-$HOME/.cache/ingot/ort}"
if [[ ! -d "$ort_dir/node_modules/onnxruntime-node" ]]; then
  mkdir -p "$ort_dir"
  (cd "$ort_dir" && npm init -y >/dev/null && npm install --ignore-scripts --silent onnxruntime-node@1.30.0 >/dev/null)
fi

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
start=$(date +%s%N)
"$bin/ingot-compile" "$model" -o "$work/m.ingot"
compile_s=$(( ($(date +%s%N) - start) / 1000000 ))
flags=(); for i in "${inputs[@]}"; do flags+=("--input=@$i"); done

printf 'model %s (compile %d ms)\n' "$(basename "$model")" "$compile_s"
printf '%-8s %12s %12s %12s %12s %8s\n' threads ingot_med ingot_p90 ort_med ort_p90 ratio
for t in ${threads//,/ }; do
  "$bin/ingot-benchmark-module" --module="$work/m.ingot" "${flags[@]}" --threads="$t" \
    --benchmark_repetitions="$reps" --benchmark_min_time=0.05 --benchmark_format=json \
    > "$work/ingot.json" 2>/dev/null
  read -r imed ip90 < <(/usr/bin/python3 -c '
import json,sys
d={b["name"].rsplit("_",1)[-1]: b["real_time"] for b in json.load(open(sys.argv[1]))["benchmarks"] if b.get("run_type")=="aggregate"}
print(d["median"], d["p90"])' "$work/ingot.json")
  ort=$(NODE_PATH="$ort_dir/node_modules" node "$here/ort_latency.js" "$model" --threads "$t" --reps "$reps" "${inputs[@]}")
  read -r omed op90 < <(echo "$ort" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["median_ms"], d["p90_ms"])')
  printf '%-8s %12.4f %12.4f %12.4f %12.4f %8.2f\n' "$t" "$imed" "$ip90" "$omed" "$op90" \
    "$(/usr/bin/python3 -c "print($imed / $omed)")"
done
