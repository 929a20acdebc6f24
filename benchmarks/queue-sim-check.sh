#!/usr/bin/env bash
# Does the batcher simulation predict the real batcher? Measures a model's service-time curve, simulates the dynamic
# batcher at ~30%, ~60% and ~85% of its simulated capacity, runs the real batcher under the same Poisson loads, and
# compares p99 (docs/perf.md §6 quotes it). Repeats the whole measurement and compares medians, because on a shared
# VM two runs of the same configuration already differ in p99 by tens of percent.
# Usage: benchmarks/queue-sim-check.sh [model] [out-dir]
#   env: BATCHING (max=8,delay=2ms), THREADS (1), DURATION (20s), LOADS (0.3 0.6 0.85), REPEATS (3),
#        CALIBRATION (0.08: the light load whose latency measures the platform overhead), TOLERANCE (0.20)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
model="${1:-zoo:mobilenetv2}"
out="${2:-artifacts/queue-sim}"
batching="${BATCHING:-max=8,delay=2ms}"
threads="${THREADS:-1}"
duration="${DURATION:-20s}"
loads="${LOADS:-0.3 0.6 0.85}"
repeats="${REPEATS:-3}"
calibration="${CALIBRATION:-0.08}"
tolerance="${TOLERANCE:-0.20}"
mkdir -p "$out"
echo "queue-sim-check: $model, batching $batching, threads $threads, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, {'d': d}))" "$@"; }

for rep in $(seq 1 "$repeats"); do
  dir="$out/rep$rep"
  mkdir -p "$dir"
  # 1. Service times: one query at a time, each query one batch through the batcher with no delay, so the batcher's
  #    own per-batch work (staging rows in and out, waking the worker) is part of the service time.
  ./silica bench "$model" --scenario singlestream --batching "max=8,delay=0ms" --batch 1,2,4,8 --threads "$threads" \
    --duration 5s --max-duration 20s --json "$dir/curve.json" > "$dir/curve.txt" 2>&1
  # The simulated capacity: the highest rate that keeps utilization below 98% (a p99 bound too loose to bind). Each
  # repeat takes its loads from its own curve: on a shared VM the model's speed drifts by tens of percent within
  # minutes, and 85% of an earlier capacity can be 100% of the present one.
  ./silica simulate --curve "$dir/curve.json" --batching "$batching" --slo-p99 600s --json "$dir/capacity.json" > "$dir/capacity.txt"
  capacity=$(json "$dir/capacity.json" "d['capacity']['maxQps']")
  # 2. The platform's overhead around the batcher (thread hops, timer lateness past the deadline, completing the
  #    caller, the load generator's own lateness): a run of the real batcher at a light load, where nothing queues;
  #    simulate --calibrate takes its gap to the simulation at p50, p90 and p99.
  light=$(python3 -c "import sys; print(f'{float(sys.argv[1]) * float(sys.argv[2]):.2f}')" "$calibration" "$capacity")
  ./silica bench "$model" --scenario server --batching "$batching" --qps "$light" --threads "$threads" --duration 30s \
    --max-duration 30s --json "$dir/light.json" > "$dir/light.txt" 2>&1
  echo "repeat $rep: simulated capacity $capacity QPS, light load $light QPS measured (load average $(cut -d' ' -f1 /proc/loadavg))"
  # 3. Each load: the real batcher behind the load generator, and the simulation of the same rate.
  for f in $loads; do
    qps=$(python3 -c "import sys; print(f'{float(sys.argv[1]) * float(sys.argv[2]):.2f}')" "$f" "$capacity")
    ./silica bench "$model" --scenario server --batching "$batching" --qps "$qps" --threads "$threads" --duration "$duration" \
      --max-duration 40s --json "$dir/server-$f.json" > "$dir/server-$f.txt" 2>&1
    ./silica simulate --curve "$dir/curve.json" --batching "$batching" --qps "$qps" --calibrate "$dir/light.json" \
      --arrivals bench --json "$dir/sim-$f.json" > "$dir/sim-$f.txt"
    # The same without the platform overhead: the queueing model alone.
    ./silica simulate --curve "$dir/curve.json" --batching "$batching" --qps "$qps" --arrivals bench --json "$dir/bare-$f.json" > /dev/null
  done
done

# 4. Compare medians over the repeats.
python3 - "$out" "$tolerance" "$repeats" $loads <<'PY'
import json, statistics, sys
out, tol, repeats, loads = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
med = statistics.median
print(f"{'load':>5} {'QPS (each run)':<20}  {'measured p99 (each run)':<24} {'simulated p99 (each run)':<24} {'median meas.':>12} {'median sim.':>11} {'error':>7}  {'no overhead':>11} {'error':>7}  {'p50 meas./sim.':>15}  {'batch meas./sim.':>16}  verdict")
failed = 0
for f in loads:
    m = [json.load(open(f"{out}/rep{r}/server-{f}.json"))["points"][0] for r in range(1, repeats + 1)]
    s = [json.load(open(f"{out}/rep{r}/sim-{f}.json"))["results"][0] for r in range(1, repeats + 1)]
    mp99 = [x["result"]["latency"]["p99Us"] / 1000 for x in m]
    sp99 = [x["p99Ms"] for x in s]
    bare = med([json.load(open(f"{out}/rep{r}/bare-{f}.json"))["results"][0]["p99Ms"] for r in range(1, repeats + 1)])
    err = (med(sp99) - med(mp99)) / med(mp99)
    ok = abs(err) <= tol
    failed += not ok
    p50 = f"{med([x['result']['latency']['p50Us'] / 1000 for x in m]):.1f}/{med([x['p50Ms'] for x in s]):.1f}"
    batch = f"{med([x.get('averageBatchSize') or 0 for x in m]):.2f}/{med([x['meanBatch'] for x in s]):.2f}"
    qps = ", ".join(f"{x['qps']:.1f}" for x in s)
    print(f"{float(f):>5.0%} {qps:<20}  {', '.join(f'{v:.1f}' for v in mp99):<24} {', '.join(f'{v:.1f}' for v in sp99):<24}"
          f" {med(mp99):>9.1f} ms {med(sp99):>8.1f} ms {err:>+7.1%}  {bare:>8.1f} ms {(bare - med(mp99)) / med(mp99):>+7.1%}"
          f"  {p50:>15}  {batch:>16}  {'PASS' if ok else 'FAIL'}")
print(f"{len(loads) - failed}/{len(loads)} loads within {tol:.0%} (median p99 of {repeats} runs each; latencies in ms)")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
