#!/usr/bin/env bash
# The one command run on the GPU machine (no .NET there): unpacks .devcarry/bundle.tar.xz (made by publish.sh),
# then correctness (gpu-check per model, diagnosed), timing and kernel efficiency, silica bench on cuda, and the
# PyTorch peers. Every stage has its own timeout and the script goes on after a failure; the whole run keeps within
# GPU_RUN_BUDGET_S (default 470 s). Results go to $OUT: summary.txt (one line per check, timings, efficiency),
# peers.json, results.tar.gz (every gpu-check JSON, bench JSON and stage log).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
budget="${GPU_RUN_BUDGET_S:-470}"
started=$(date +%s)
logs="$work/logs"
bench="$work/bench"
mkdir -p "$bench"
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


stage nvidia-smi 20 4 nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,power.limit --format=csv

# 1. Correctness: every model in its own process (a CUDA fault in one model cannot poison the others), five at a
#    time, all precisions, failures diagnosed step by step against the reference interpreter; then node tests.
models="${CHECK_MODELS:-mlp resnet50 mobilenetv2 bert-base gpt2-small-prefill bert-large gpt2-medium-prefill ocr-det ocr-rec ocr-cls}"
export CHECK_PRECISIONS="${CHECK_PRECISIONS:-fp32,tf32,fp16,bf16,fp8}"
stage correctness 150 12 bash -c "printf '%s\\n' $models | xargs -P 5 -n 1 benchmarks/gpu/check-one.sh"
[ "${NODE_TESTS:-1}" = 1 ] && stage node-tests 60 6 "$silica" gpu-check --backend cuda --models mlp --precision fp32,fp16 --node-tests "$work/testdata/node" --json "$work/check/node.json"

# 2. Speed (GPU to itself, one process at a time): device time by CUDA events over graph replays, wall time with
#    host copies, and kernel efficiency against bare cuBLASLt and copy bandwidth.
timing() { stage "timing-$1-$2-b$3" "$4" 12 "$silica" gpu-check --backend cuda --models "$1" --precision "$2" --batch "$3" --timing "$5" ${6:-} --json "$work/check/timing-$1-$2-b$3.json"; }
timing bert-base fp16 1 40 200
SILICA_CUDA_FUSE_ATTENTION=1 stage timing-bert-base-fp16-b1-fused-attention 40 12 "$silica" gpu-check --backend cuda --models bert-base --precision fp16 --batch 1 --timing 200
SILICA_CUDA_FUSE_ATTENTION=1 stage timing-bert-base-fp16-b64-fused-attention 60 12 "$silica" gpu-check --backend cuda --models bert-base --precision fp16 --batch 64 --timing 30
timing bert-base fp16 64 60 30 --efficiency
timing resnet50 fp16 1 40 200
timing resnet50 fp16 128 60 20 --efficiency
timing bert-large fp16,fp8 64 90 20

# 3. The peers, measured in this same run.
stage torch-peers 170 40 python3 benchmarks/peers/torch_peers.py --json "$OUT/peers.json" --iters 20 --warmup 5

# 4. silica bench on the cuda backend (offline and server scenarios; NVML energy).
short=(--warmup 1s --duration 2s --max-duration 4s --no-stability --min-queries 10)
stage bench-offline 45 14 "$silica" bench zoo:bert-base --backend cuda --precision fp16 --batch 1,64 --scenario offline "${short[@]}" --json "$bench/bert-base-fp16.json"
stage bench-server 30 14 "$silica" bench zoo:resnet50 --backend cuda --precision fp16 --scenario server --qps 500 "${short[@]}" --json "$bench/resnet50-server.json"

python3 benchmarks/gpu/summarize_check.py "$work"/check/*.json > "$OUT/summary.txt" 2>&1
grep -hE '^\s+(step|timing|gemm|mem) ' "$logs"/*.log "$work"/logs/check-*.log 2>/dev/null | cut -c1-260 >> "$OUT/summary.txt"
cat "$OUT/summary.txt" | cut -c1-330

tar -czf "$OUT/results.tar.gz" -C "$work" bench logs check
echo "== done in $(( $(date +%s) - started ))s; \$OUT holds: $(ls "$OUT" | tr '\n' ' ')"
