#!/usr/bin/env bash
# The one command run on the GPU machine (no .NET there): unpacks .devcarry/bundle.tar.xz (made by publish.sh),
# then gpu-check, silica bench on cuda, the PyTorch peers, and the ratio table. Every stage has its own timeout
# and the script goes on after a failure; the whole run keeps within GPU_RUN_BUDGET_S (default 540 s) so the
# ratio table and the results are always written. Results go to $OUT (at most 8 files come back):
#   gpu-check.json  peers.json  ratios.md  results.tar.gz (bench JSONs + every stage's log + nvidia-smi)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
OUT="${OUT:-$root/out}"
mkdir -p "$OUT"
budget="${GPU_RUN_BUDGET_S:-540}"
started=$(date +%s)
work="$(mktemp -d)"
logs="$work/logs"
bench="$work/bench"
mkdir -p "$logs" "$bench"
trap 'rm -rf "$work"' EXIT
export SILICA_CACHE="$work/cache" NO_COLOR=1 COLUMNS=200 DOTNET_CLI_TELEMETRY_OPTOUT=1

# stage NAME LIMIT_S TAIL_LINES CMD...: runs CMD under timeout (capped by what is left of the budget, keeping
# 20 s for the ratio table), logs to $logs/NAME.log, prints the log's tail.
stage() {
  local name=$1 limit=$2 tail_lines=$3
  shift 3
  local left=$(( budget - ($(date +%s) - started) - 20 ))
  if [ "$left" -lt 10 ]; then
    echo "== $name: skipped, budget spent"
    return 0
  fi
  [ "$limit" -gt "$left" ] && limit=$left
  echo "== $name (timeout ${limit}s)"
  local t0=$(date +%s)
  timeout --kill-after=10 "$limit" "$@" >"$logs/$name.log" 2>&1
  local rc=$?
  tail -n "$tail_lines" "$logs/$name.log"
  echo "== $name: exit $rc after $(( $(date +%s) - t0 ))s$([ $rc -eq 124 ] && echo ' (TIMED OUT)')"
}

if [ ! -f .devcarry/bundle.tar.xz ]; then
  echo "run.sh: .devcarry/bundle.tar.xz is missing; run benchmarks/gpu/publish.sh and carry .devcarry" >&2
  exit 2
fi
tar -xJf .devcarry/bundle.tar.xz -C "$work" || { echo "run.sh: cannot unpack the bundle" >&2; exit 2; }
silica="$work/silica/silica"

stage nvidia-smi 20 12 bash -c 'nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,power.limit --format=csv; nvidia-smi'
stage gpu-check 200 70 "$silica" gpu-check --backend cuda --ocr-dir "$work/testdata/ocr-models" \
  --node-tests "$work/testdata/node" --json "$OUT/gpu-check.json"

# Offline scenario, short windows: throughput, not a stability study.
short=(--scenario offline --warmup 1s --duration 2s --max-duration 4s --no-stability --min-queries 10)
stage bench-bert-base-fp16 60 8 "$silica" bench zoo:bert-base --backend cuda --precision fp16 --batch 1,64 "${short[@]}" --json "$bench/bert-base-fp16.json"
stage bench-resnet50-fp16 60 8 "$silica" bench zoo:resnet50 --backend cuda --precision fp16 --batch 1,128 "${short[@]}" --json "$bench/resnet50-fp16.json"
stage bench-bert-large-fp16 60 8 "$silica" bench zoo:bert-large --backend cuda --precision fp16 --batch 64 "${short[@]}" --json "$bench/bert-large-fp16.json"
stage bench-bert-large-fp8 60 8 "$silica" bench zoo:bert-large --backend cuda --precision fp8 --batch 64 "${short[@]}" --json "$bench/bert-large-fp8.json"

stage torch-peers 170 45 python3 benchmarks/peers/torch_peers.py --json "$OUT/peers.json" --iters 30 --warmup 5

# The ratio table runs whatever happened above (budget kept for it).
timeout 20 python3 benchmarks/gpu/ratios.py --bench-dir "$bench" --peers "$OUT/peers.json" \
  --gpu-check "$OUT/gpu-check.json" --out "$OUT/ratios.md" 2>>"$logs/ratios.log" || echo "== ratios: failed (see logs)"

tar -czf "$OUT/results.tar.gz" -C "$work" bench logs
echo "== done in $(( $(date +%s) - started ))s; \$OUT holds: $(ls "$OUT" | tr '\n' ' ')"
