#!/usr/bin/env bash
# A quick correctness pass on the GPU machine (no peers, no benchmarks): every model in its own process (a CUDA
# fault in one model's kernels cannot poison the others' context), four at a time, all precisions, step-by-step
# diagnosis of failures, then the ONNX node tests. Results to $OUT/check.tar.gz and a summary on stdout.
# Usage (device): benchmarks/gpu/check.sh   with carry [".devcarry"] (made by benchmarks/gpu/publish.sh)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
OUT="${OUT:-$root/out}"
mkdir -p "$OUT"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export NO_COLOR=1 COLUMNS=220 SILICA_KERNEL_CACHE="$work/kcache"
tar -xJf .devcarry/bundle.tar.xz -C "$work" || { echo "check.sh: cannot unpack the bundle" >&2; exit 2; }
silica="$work/silica/silica"
mkdir -p "$work/logs"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
models="${CHECK_MODELS:-mlp resnet50 mobilenetv2 bert-base gpt2 bert-large gpt2-medium ocr-det ocr-rec ocr-cls}"
t0=$(date +%s)
printf '%s\n' $models | xargs -P "${CHECK_PARALLEL:-4}" -I{} bash -c \
  "timeout --kill-after=5 ${CHECK_MODEL_TIMEOUT:-100} '$silica' gpu-check --backend cuda --models {} --ocr-dir '$work/testdata/ocr-models' \
     --diagnose --json '$work/logs/{}.json' > '$work/logs/{}.log' 2>&1; echo \"== {}: exit \$? after \$(( \$(date +%s) - $t0 ))s\""
timeout --kill-after=5 "${CHECK_NODE_TIMEOUT:-90}" "$silica" gpu-check --backend cuda --models mlp --precision fp32,fp16 \
  --node-tests "$work/testdata/node" --json "$work/logs/node.json" > "$work/logs/node.log" 2>&1
echo "== node tests: exit $? after $(( $(date +%s) - t0 ))s"
python3 benchmarks/gpu/summarize_check.py "$work"/logs/*.json
# Diagnosis lines and errors from the logs (the JSON notes hold them too, truncated).
grep -hE '^\s+step [0-9]+|Unhandled|Exception|silica:' "$work"/logs/*.log | cut -c1-300 | head -n 60
tar -czf "$OUT/check.tar.gz" -C "$work" logs
