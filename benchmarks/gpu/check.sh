#!/usr/bin/env bash
# A quick correctness pass on the GPU machine (no peers, no benchmarks): every model in its own process (a CUDA
# fault in one model's kernels cannot poison the others' context), four at a time, all precisions, step-by-step
# diagnosis of failures, then the ONNX node tests. Results to $OUT/check.tar.gz and a summary on stdout.
# Usage (device): benchmarks/gpu/check.sh   with carry [".devcarry"] (made by benchmarks/gpu/publish.sh)
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
models="${CHECK_MODELS:-mlp resnet50 mobilenetv2 bert-base gpt2-small-prefill bert-large gpt2-medium-prefill ocr-det ocr-rec ocr-cls}"
t0=$(date +%s)
printf '%s\n' $models | xargs -P "${CHECK_PARALLEL:-4}" -n 1 benchmarks/gpu/check-one.sh
echo "== models checked after $(( $(date +%s) - t0 ))s"
timeout --kill-after=5 "${CHECK_NODE_TIMEOUT:-90}" "$silica" gpu-check --backend cuda --models mlp --precision fp32,fp16 \
  --node-tests "$work/testdata/node" --json "$work/check/node.json" > "$work/logs/node.log" 2>&1
echo "== node tests: exit $? after $(( $(date +%s) - t0 ))s"
python3 benchmarks/gpu/summarize_check.py "$work"/check/*.json
# Diagnosis lines and errors from the logs (the JSON notes hold them too, truncated).
grep -hE '^\s+step [0-9]+|Unhandled|Exception|silica:' "$work"/logs/*.log | cut -c1-300 | head -n 60
tar -czf "$OUT/check.tar.gz" -C "$work" logs check
