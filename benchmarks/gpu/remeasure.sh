#!/usr/bin/env bash
# The short GPU run (about 3 minutes on an H200): correctness of the models whose kernels differ most (fp16),
# then Silica's speed figures and the PyTorch peers in the same run. For when device time is nearly spent; run.sh
# is the whole validation. Results: $OUT/summary.txt, $OUT/peers.json, $OUT/results.tar.gz.
# Usage (device): benchmarks/gpu/remeasure.sh   with carry [".devcarry"] (made by benchmarks/gpu/publish.sh)
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
export CHECK_PRECISIONS=fp16
t0=$(date +%s)
printf '%s\n' ocr-det ocr-rec mobilenetv2 gpt2-small-prefill | xargs -P 4 -n 1 benchmarks/gpu/check-one.sh
echo "== correctness after $(( $(date +%s) - t0 ))s"
timing() {
  local name=$1; shift
  timeout --kill-after=5 "${LIMIT:-45}" "$silica" gpu-check --backend cuda "$@" --json "$work/check/$name.json" > "$work/logs/$name.log" 2>&1
  echo "== $name: exit $? after $(( $(date +%s) - t0 ))s"
}
timing bert-base-b1 --models bert-base --precision fp16 --batch 1 --timing 100
timing bert-base-b64 --models bert-base --precision fp16 --batch 64 --timing 20 --efficiency
timing resnet50-b1 --models resnet50 --precision fp16 --batch 1 --timing 100
timing resnet50-b128 --models resnet50 --precision fp16 --batch 128 --timing 10 --efficiency
SILICA_CUDNN_FUSED=0 timing resnet50-b128-unfused --models resnet50 --precision fp16 --batch 128 --timing 10
LIMIT=70 timing bert-large-b64 --models bert-large --precision fp16,fp8 --batch 64 --timing 10
timeout 90 python3 benchmarks/peers/torch_peers.py --json "$OUT/peers.json" --iters 20 --warmup 5 \
  --only bert-base,resnet50,bert-large --compile-models bert-base --resnet-layouts channels_last > "$work/logs/peers.log" 2>&1
echo "== peers: exit $? after $(( $(date +%s) - t0 ))s"
{
  python3 benchmarks/gpu/summarize_check.py "$work"/check/*.json
  grep -hE '^\s+(step|timing|gemm|mem) ' "$work"/logs/*.log | cut -c1-240
  grep -hE 'ms .*inf/s|torch ' "$work/logs/peers.log"
} > "$OUT/summary.txt" 2>&1
cut -c1-300 "$OUT/summary.txt"
tar -czf "$OUT/results.tar.gz" -C "$work" logs check
