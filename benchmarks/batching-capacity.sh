#!/usr/bin/env bash
# "Does batching pay?" For each model: the highest Poisson arrival rate whose p99 stays within a bound, served
# unbatched and behind Silica's dynamic batcher, measured side by side in one run (docs/perf.md quotes it).
# Usage: benchmarks/batching-capacity.sh [out-dir] [mlp]   (the second argument runs only the MLP pair)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-artifacts/batching}"
mkdir -p "$out"

capacity() { # name model bound extra-args...
  local name="$1" model="$2" bound="$3"; shift 3
  for mode in unbatched batched; do
    local batching=()
    [ "$mode" = batched ] && batching=(--batching "max=64,delay=0ms")
    ./silica bench "$model" --scenario server --qps auto --latency-bound "$bound" --threads 1 \
      --warmup 500ms "$@" "${batching[@]}" --json "$out/$name-$mode.json" > "$out/$name-$mode.txt" 2>&1
    python3 - "$out/$name-$mode.json" "$name" "$mode" "$bound" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["points"][0]
print(f"{sys.argv[2]:<22} {sys.argv[3]:<10} p99<={sys.argv[4]:<6} max QPS {p['maxQps']:>10.1f}  p99 {p['result']['latency']['p99Us']/1000:7.2f} ms  avg batch {p.get('averageBatchSize') or 1:5.1f}  probes {len(p['probes'])}")
PY
  done
}

only="${2:-}"
[ -z "$only" ] || [ "$only" = mlp ] && capacity mlp zoo:mlp 20ms --duration 3s --max-duration 6s
[ -n "$only" ] && exit 0
capacity mobilenetv2 zoo:mobilenetv2 100ms --duration 5s --max-duration 10s
capacity bert-base-seq32 zoo:bert-base 500ms --bind seq=32 --duration 8s --max-duration 16s
