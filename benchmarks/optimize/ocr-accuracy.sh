#!/usr/bin/env bash
# Issue #8 acceptance, accuracy part (docs/perf.md §10): character accuracy of the PaddleOCR recognizer
# (ch_PP-OCRv4_rec_infer.onnx) on EVAL_LINES rendered text lines for FP32 (the reference every run reports), FP16,
# INT8 static with each calibration method (minmax, percentile, entropy) and INT8 dynamic, all through
# `silica optimize`; then the end-to-end OCR pipeline (detect → crop → classify → recognize) in FP32 on PAGES rendered
# pages (OcrEndToEnd/).
# Calibration and evaluation sets are different renderings: `silica optimize` renders --calibration ocr-lines with
# --seed and --evaluation ocr-lines with --seed + 1000 (other text and looks), so no evaluated line was seen
# by the calibrator.
# Accuracy does not depend on machine load, so no quiet-waiting here.
# Usage: benchmarks/optimize/ocr-accuracy.sh [out-dir]   env: EVAL_LINES=200 CAL_LINES=64 PAGES=40 SEED=1
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source benchmarks/optimize/common.sh
out="$(mkdir -p "${1:-artifacts/optimize}" && cd "${1:-artifacts/optimize}" && pwd)"
EVAL_LINES="${EVAL_LINES:-200}" CAL_LINES="${CAL_LINES:-64}" PAGES="${PAGES:-40}" SEED="${SEED:-1}"
[ -f "$REC" ] || { echo "missing $REC: run scripts/fetch-test-data.sh" >&2; exit 1; }
./silica --version > /dev/null # builds the CLI on first use

run() { # name precision [extra args]
  local name="$1" precision="$2"; shift 2
  log "$name"
  ./silica optimize "$REC" --precision "$precision" "$@" --evaluation "ocr-lines:$EVAL_LINES" --seed "$SEED" \
    --speed-time 0 --json "$out/rec-$name.json" -o "$out/rec-$name.onnx" > "$out/rec-$name.log" 2>&1 \
    || { cat "$out/rec-$name.log" >&2; exit 1; }
}
run fp16 fp16
for m in minmax percentile entropy; do
  run "int8-$m" int8 --method "$m" --calibration "ocr-lines:$CAL_LINES"
done
run int8-dynamic int8-dynamic

printf '\n%-22s %10s %10s %12s %10s\n' precision accuracy "vs FP32" "size ratio" "samples"
first=1
for name in fp16 int8-minmax int8-percentile int8-entropy int8-dynamic; do
  j="$out/rec-$name.json"
  if [ "$first" = 1 ]; then
    jq -r '.accuracy.metrics[] | select(.metric | test("character")) | "\("fp32 (reference)" ) \(.reference)"' "$j" \
      | awk '{ printf "%-22s %9.2f%% %10s %12s\n", $1 " " $2, $3 * 100, "-", "1.00" }'
    first=0
  fi
  jq -r --arg n "$name" '[.accuracy.metrics[] | select(.metric | test("character"))][0] as $m
    | "\($n) \($m.candidate) \($m.drop) \(.size.ratio) \(.accuracy.data.samples)"' "$j" \
    | awk '{ printf "%-22s %9.2f%% %+9.2f pt %12.3f %10d\n", $1, $2 * 100, -$3 * 100 + 0, $4, $5 }'
done
best=$(for m in minmax percentile entropy; do
  jq -r --arg m "$m" '[.accuracy.metrics[] | select(.metric | test("character"))][0] | "\(.drop) \($m)"' "$out/rec-int8-$m.json"
done | sort -g | head -1)
echo "best INT8 static method: ${best#* } (drop $(awk -v d="${best%% *}" 'BEGIN { printf "%.2f", d * 100 }') points; target <= 1 point: $(awk -v d="${best%% *}" 'BEGIN { print (d <= 0.01 ? "met" : "MISSED") }'))"

log "end-to-end OCR pipeline, FP32, $PAGES pages"
dotnet build benchmarks/optimize/OcrEndToEnd -c Release --nologo -v quiet "-clp:ErrorsOnly;NoSummary" > /dev/null
benchmarks/optimize/OcrEndToEnd/bin/Release/net10.0/OcrEndToEnd "$SILICA_TESTDATA/ocr-models" "$PAGES" 3 | tee "$out/e2e-fp32.txt"
