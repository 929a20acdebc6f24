#!/usr/bin/env bash
# Issue #8 acceptance, speed part (docs/perf.md §10): one run, on this machine's CPU (ONNX Runtime `cpu` backend),
# each optimized model timed side by side with its FP32 original by `silica optimize --speed-time` (alternating
# runs of the two sessions, batch 1, medians):
#   zoo:resnet50       INT8 static (QDQ), default passes first (fold-batchnorm among them), calibrated on synthetic:16
#   zoo:bert-base      INT8 dynamic, seq bound to 128
#   OCR recognizer     INT8 static (METHOD), calibrated on rendered lines
# plus model size ratios. Before each model the script waits while the 1-minute load average is above QUIET (other
# work on a shared machine), at most QUIET_MAX_WAIT seconds, and records the load at the start and end.
# ONNX Runtime fuses Conv+BatchNormalization itself at session creation, so the FP32 original (BatchNorm unfolded in
# the file) is not handicapped by the missing fold.
# Usage: benchmarks/optimize/speed.sh [out-dir]   env: SPEED_TIME=20s METHOD=percentile QUIET=1.5 QUIET_MAX_WAIT=60
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source benchmarks/optimize/common.sh
out="$(mkdir -p "${1:-artifacts/optimize}" && cd "${1:-artifacts/optimize}" && pwd)"
SPEED_TIME="${SPEED_TIME:-20s}" METHOD="${METHOD:-percentile}"
./silica --version > /dev/null # builds the CLI on first use
loads="$out/speed-loads.tsv"; printf 'name\tload_start\tload_end\n' > "$loads"

run() { # name model precision [extra args]
  local name="$1" model="$2" precision="$3"; shift 3
  local start; start="$(quiet)"
  log "$name (load $start)"
  ./silica optimize "$model" --precision "$precision" "$@" --speed-time "$SPEED_TIME" \
    --json "$out/speed-$name.json" -o "$out/speed-$name.onnx" > "$out/speed-$name.log" 2>&1 \
    || { cat "$out/speed-$name.log" >&2; exit 1; }
  printf '%s\t%s\t%s\n' "$name" "$start" "$(load1)" >> "$loads"
}
run resnet50-int8 zoo:resnet50 int8 --calibration synthetic:16
run bert-base-int8-dynamic zoo:bert-base int8-dynamic --bind seq=128 --evaluation synthetic:4
run ocr-rec-int8 "$REC" int8 --method "$METHOD" --calibration ocr-lines:64 --evaluation ocr-lines:32

printf '\n%-24s %12s %12s %8s %6s %11s %12s\n' model "FP32 ms" "opt ms" speedup runs "size ratio" "load s/e"
for name in resnet50-int8 bert-base-int8-dynamic ocr-rec-int8; do
  l="$(awk -v n="$name" '$1 == n { print $2 "/" $3 }' "$loads")"
  jq -r --arg n "$name" --arg l "$l" '"\($n) \(.speed.originalMedianMs) \(.speed.optimizedMedianMs) \(.speed.speedup) \(.speed.runs) \(.size.ratio) \($l)"' \
    "$out/speed-$name.json" | awk '{ printf "%-24s %12.1f %12.1f %7.2fx %6d %11.3f %12s\n", $1, $2, $3, $4, $5, $6, $7 }'
done
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
