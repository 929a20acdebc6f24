#!/usr/bin/env bash
# Issue #8 acceptance, mixed-precision part (docs/perf.md §10): the PaddleOCR recognizer (ch_PP-OCRv4_rec_infer.onnx)
# in INT8 static with min-max calibration misses a tight accuracy budget; `--accuracy-budget` ranks the 47 quantized
# layers by keep-one-out output distortion (KL divergence of the per-step character distributions, on the first 16
# evaluation lines) and keeps the k most sensitive in FP32, with k found by doubling then bisection on the task metric
# (character accuracy on all EVAL_LINES lines). Prints full INT8 against the mixed result: accuracy, layers kept
# with their sensitivity and why, candidates scored, wall time, and the speed-up over FP32 measured side by side.
# Calibration lines (seed SEED) and evaluation lines (seed SEED + 1000) are different renderings.
# Usage: benchmarks/optimize/mixed-precision.sh [out-dir]
#   env: EVAL_LINES=60 CAL_LINES=64 BUDGET=0.5% METHOD=minmax SPEED_TIME=10s SEED=1 QUIET=1.5 QUIET_MAX_WAIT=60
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source benchmarks/optimize/common.sh
out="$(mkdir -p "${1:-artifacts/optimize}" && cd "${1:-artifacts/optimize}" && pwd)"
EVAL_LINES="${EVAL_LINES:-60}" CAL_LINES="${CAL_LINES:-64}" BUDGET="${BUDGET:-0.5%}" METHOD="${METHOD:-minmax}"
SPEED_TIME="${SPEED_TIME:-10s}" SEED="${SEED:-1}"
[ -f "$REC" ] || { echo "missing $REC: run scripts/fetch-test-data.sh" >&2; exit 1; }
./silica --version > /dev/null # builds the CLI on first use

run() { # name [extra args]
  local name="$1"; shift
  local start; start="$(quiet)"
  log "$name (load $start)"
  local t0; t0=$(date +%s)
  ./silica optimize "$REC" --precision int8 --method "$METHOD" --calibration "ocr-lines:$CAL_LINES" \
    --evaluation "ocr-lines:$EVAL_LINES" --seed "$SEED" --speed-time "$SPEED_TIME" "$@" \
    --json "$out/mixed-$name.json" -o "$out/mixed-$name.onnx" > "$out/mixed-$name.log" 2>&1 \
    || { cat "$out/mixed-$name.log" >&2; exit 1; }
  printf '%s\t%s\t%s\t%s\n' "$name" "$(( $(date +%s) - t0 ))" "$start" "$(load1)" >> "$out/mixed-times.tsv"
}
printf 'name\tseconds\tload_start\tload_end\n' > "$out/mixed-times.tsv"
run full-int8
run budget --accuracy-budget "$BUDGET"

printf '\n%-12s %10s %9s %12s %11s %9s %8s %10s\n' run "char acc" drop "FP32 layers" candidates speedup seconds "load s/e"
for name in full-int8 budget; do
  j="$out/mixed-$name.json"
  read -r secs ls le < <(awk -v n="$name" '$1 == n { print $2, $3, $4 }' "$out/mixed-times.tsv")
  jq -r --arg n "$name" --arg s "$secs" --arg l "$ls/$le" '[.accuracy.metrics[] | select(.metric | test("character"))][0] as $m
    | "\($n) \($m.candidate) \($m.drop) \([.nodes.kept[] | select(.detail | startswith("kept for accuracy"))] | length) \(.mixedPrecision.evaluations // 0) \(.speed.speedup // 0) \($s) \($l)"' "$j" \
    | awk '{ printf "%-12s %9.2f%% %6.2f pt %12d %11d %8.2fx %8s %10s\n", $1, $2 * 100, $3 * 100, $4, $5, $6, $7, $8 }'
done
jq -r '"FP32 reference: \([.accuracy.metrics[] | select(.metric | test("character"))][0].reference * 100 | tostring | .[0:6])% on \(.accuracy.data.samples) lines; budget \(.accuracy.budget * 100) pt: \(if .accuracy.meetsBudget then "met" else "MISSED" end)"' "$out/mixed-budget.json"
echo "layers kept in FP32 (of $(jq '([.nodes.converted[].count] | add) + ([.nodes.kept[] | select(.detail | startswith("kept for accuracy"))] | length)' "$out/mixed-budget.json") quantizable):"
jq -r '.nodes.kept[] | select(.detail | startswith("kept for accuracy")) | "  \(.detail | sub("^kept for accuracy: "; ""))"' "$out/mixed-budget.json"
jq -r '"search: \(.mixedPrecision.method)"' "$out/mixed-budget.json"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
