#!/usr/bin/env bash
#===- benchmarks/gemm_sweep.sh - GEMM GFLOP/s vs the FMA peak and ORT ------===#
#
# Usage: benchmarks/gemm_sweep.sh [--threads 1,2] [--reps 10] [MxKxN ...]
# For each shape (default: square 64..2048, GEMV 1x1024x1024, a BERT-base FFN
# 128x768x3072, a resnet 3x3 conv as GEMM 3136x64x576... given as M x K x N),
# builds a single-op MatMul model (W an initializer), compiles it with
# ingot-compile, checks Ingot's output against a float64 reference, and
# measures ingot-benchmark-module and ONNX Runtime 1.30 medians at each
# thread count. The FMA peak (benchmarks/fma_peak.c) is measured in the same
# run at each thread count; the table gives GFLOP/s and percent of it.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${INGOT_BIN:-$here/../build/bin}"
py=/usr/bin/python3
threads="1,2"; reps=10
while [[ $# -gt 0 && "$1" == --* ]]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    *) echo "gemm_sweep.sh: error: unknown flag '$1'" >&2; exit 1 ;;
  esac
done
shapes=("$@")
if [[ ${#shapes[@]} -eq 0 ]]; then
  shapes=(64x64x64 128x128x128 256x256x256 512x512x512 1024x1024x1024
          2048x2048x2048 1x1024x1024 128x768x3072 3136x576x64 49x4608x512)
fi

ort_dir="${INGOT_ORT_DIR:-$HOME/.cache/ingot/ort}"
if [[ ! -d "$ort_dir/node_modules/onnxruntime-node" ]]; then
  mkdir -p "$ort_dir"
  (cd "$ort_dir" && npm init -y >/dev/null && npm install --ignore-scripts --silent onnxruntime-node@1.30.0 >/dev/null)
fi
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cc -O2 -march=native -pthread "$here/fma_peak.c" -o "$work/fma_peak"
"$py" "$here/make_gemm.py" "$work" "${shapes[@]}"

declare -A peak
for t in ${threads//,/ }; do
  peak[$t]=$("$work/fma_peak" "$t" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["gflops"])')
  echo "FMA peak, $t thread(s): ${peak[$t]} GFLOP/s"
done
printf '%-16s %4s %9s %9s %8s %8s %7s %6s %9s\n' shape thr ingot_ms ort_ms ingot_GF ort_GF '%peak' ratio compile_s
for shape in "${shapes[@]}"; do
  IFS=x read -r m k n <<< "$shape"
  base="$work/gemm_$shape"
  start=$(date +%s%N)
  "$bin/ingot-compile" "$base.onnx" -o "$base.ingot"
  compile=$(( ($(date +%s%N) - start) / 1000000 ))
  "$bin/ingot-run-module" --module="$base.ingot" --input=@"$base.x.npy" \
    --output=@"$base.y.npy" >/dev/null
  "$py" -c '
import numpy as np, sys
y, ref = np.load(sys.argv[1]), np.load(sys.argv[2])
err = np.abs(y - ref).max() / max(np.abs(ref).max(), 1e-30)
if err > 1e-4: sys.exit(f"gemm_sweep.sh: error: {sys.argv[3]}: relative error {err:.2e}")' \
    "$base.y.npy" "$base.ref.npy" "$shape"
  for t in ${threads//,/ }; do
    "$bin/ingot-benchmark-module" --module="$base.ingot" --input=@"$base.x.npy" \
      --threads="$t" --benchmark_repetitions="$reps" --benchmark_min_time=0.05 \
      --benchmark_format=json > "$work/ingot.json" 2>/dev/null
    imed=$("$py" -c '
import json,sys
d={b["name"].rsplit("_",1)[-1]: b["real_time"] for b in json.load(open(sys.argv[1]))["benchmarks"] if b.get("run_type")=="aggregate"}
print(d["median"])' "$work/ingot.json")
    omed=$(NODE_PATH="$ort_dir/node_modules" node "$here/ort_latency.js" "$base.onnx" \
      --threads "$t" --reps "$reps" "$base.x.npy" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["median_ms"])')
    "$py" -c '
import sys
shape, t, imed, omed, peak, compile_ms = sys.argv[1:]
m, k, n = (int(s) for s in shape.split("x"))
flop = 2.0 * m * k * n
ig, og = flop / float(imed) / 1e6, flop / float(omed) / 1e6
print(f"{shape:<16} {t:>4} {float(imed):9.4f} {float(omed):9.4f} {ig:8.1f} {og:8.1f} "
      f"{100 * ig / float(peak):6.1f}% {float(imed) / float(omed):6.2f} {int(compile_ms) / 1000:9.2f}")' \
      "$shape" "$t" "$imed" "$omed" "${peak[$t]}" "$compile"
  done
done
