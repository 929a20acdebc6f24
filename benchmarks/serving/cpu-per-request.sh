#!/usr/bin/env bash
# Server CPU time per request for `silica serve zoo:mlp` (HTTP/JSON, HTTP binary, gRPC; batching off) and for a bare
# Kestrel endpoint answering the same body, plus the in-process `silica bench zoo:mlp` cost per inference.
# CPU seconds per request are far less sensitive to other load on a shared machine than wall-clock latency or
# request rates, so this measures the serving overhead where overhead.sh (docs/perf.md §9) cannot.
#   server: (utime + stime of the server process, /proc/PID/stat, less its idle rate) over one `silica bench --url --scenario concurrency` run (CONC requests in flight, so idle costs amortize) with no warm-up,
#           divided by the requests it issued; each protocol is warmed (JIT, pools) by an unmeasured run first.
#   in-process: `silica bench zoo:mlp --threads 1` CPU time over its measured window per inference (see below).
# The best possible keep-alive rate ratio vs bare Kestrel on the same cores is bare_cpu / serve_cpu.
# Usage: benchmarks/serving/cpu-per-request.sh [out-dir]   env: DURATION=3s REPEATS=3 CONC=8 EXE=path/to/silica
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="$(mkdir -p "${1:-artifacts/serving-cpu}" && cd "${1:-artifacts/serving-cpu}" && pwd)"
DURATION="${DURATION:-3s}" REPEATS="${REPEATS:-3}" CONC="${CONC:-8}"
if [ -z "${EXE:-}" ]; then
  dotnet build src/Silica.Cli -c Release --nologo -v quiet "-clp:ErrorsOnly;NoSummary" > /dev/null
  EXE="$PWD/src/Silica.Cli/bin/Release/net10.0/silica"
fi
dotnet build benchmarks/serving/BareKestrel -c Release --nologo -v quiet "-clp:ErrorsOnly;NoSummary" > /dev/null
bare_exe="$PWD/benchmarks/serving/BareKestrel/bin/Release/net10.0/BareKestrel"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; wait 2> /dev/null || true; }
trap cleanup EXIT
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

"$EXE" serve zoo:mlp --http-port 0 --grpc-port 0 --log-level none > "$out/serve.log" 2>&1 &
serve_pid=$!; pids+=("$serve_pid")
for _ in $(seq 600); do grep -q '^serving;' "$out/serve.log" && break; sleep 0.1; done
grep -q '^serving;' "$out/serve.log" || { cat "$out/serve.log" >&2; exit 1; }
http="$(sed -n 's|^REST *http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$out/serve.log")"
grpc="$(sed -n 's|^gRPC *http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$out/serve.log")"

python3 - "$out/request.json" << 'PY'
import json, random, sys
random.seed(42)
json.dump({"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 784],
                       "data": [float(f"{random.uniform(-1, 1):.8g}") for _ in range(784)]}]},
          open(sys.argv[1], "w"), separators=(",", ":"))
PY
curl -sf -X POST -H 'Content-Type: application/json' --data-binary @"$out/request.json" "http://127.0.0.1:$http/v2/models/mlp/infer" > "$out/response.json"
curl -sf "http://127.0.0.1:$http/v2/models/mlp" > "$out/metadata.json"
bare_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$bare_exe" "$bare_port" "$out/response.json" "$out/metadata.json" > "$out/bare.log" 2>&1 &
bare_pid=$!; pids+=("$bare_pid")
for _ in $(seq 100); do grep -q '^listening' "$out/bare.log" && break; sleep 0.1; done

# CPU seconds of a process, exited threads included (utime + stime; per-thread schedstat would lose threads the
# thread pool retires mid-run). Ticks are coarse, so runs use thousands of requests.
cpu_s() { awk -v t="$(getconf CLK_TCK)" '{ printf "%.4f\n", ($14 + $15) / t }' "/proc/$1/stat"; }
now_s() { date +%s.%N; }
issued() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['points'][0]['result']['counts']['issued'])" "$1"; }
results="$out/results.tsv"; printf 'name\trep\trequests\tcpu_s\tidle_cpu_s\tcpu_us_per_request\n' > "$results"

# server NAME PID ARGS... — CPU µs of process PID per request of one `silica bench` run, less the process's idle
# CPU rate (timers, heartbeats) measured over the same span just before, scaled to the run's wall time.
server() {
  local name="$1" pid="$2"; shift 2
  "$EXE" bench "$@" --scenario concurrency --concurrency "$CONC" --warmup 0s --duration 1s --max-duration 2s > /dev/null 2>&1 # warm
  for rep in $(seq "$REPEATS"); do
    local i0 i1 t0 t1 before after t2 n
    i0="$(cpu_s "$pid")"; t0="$(now_s)"; sleep "${DURATION%s}"; i1="$(cpu_s "$pid")"; t1="$(now_s)"
    before="$(cpu_s "$pid")"
    "$EXE" bench "$@" --scenario concurrency --concurrency "$CONC" --warmup 0s --duration "$DURATION" --max-duration "$DURATION" --json "$out/$name-$rep.json" > /dev/null 2>&1
    after="$(cpu_s "$pid")"; t2="$(now_s)"
    n="$(issued "$out/$name-$rep.json")"
    awk -v n="$n" -v b="$before" -v a="$after" -v i0="$i0" -v i1="$i1" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v name="$name" -v r="$rep" \
      'BEGIN { idle = (i1 - i0) * (t2 - t1) / (t1 - t0); printf "%s\t%s\t%d\t%.4f\t%.4f\t%.1f\n", name, r, n, a - b, idle, (a - b - idle) * 1e6 / n }' | tee -a "$results" >&2
  done
}
server bare "$bare_pid" --url "http://127.0.0.1:$bare_port" --model mlp --protocol json
server http-json "$serve_pid" --url "http://127.0.0.1:$http" --model mlp --protocol json
server http-binary "$serve_pid" --url "http://127.0.0.1:$http" --model mlp --protocol binary
server grpc "$serve_pid" --url "http://127.0.0.1:$grpc" --model mlp --protocol grpc

# in-process: `silica bench` estimates energy as TDP x its process CPU time / cores over the measured window, so with
# --cpu-tdp set to the core count its joules per inference are exactly CPU seconds per inference (the harness's own
# issuing included, start-up and model loading not). --threads 1: no spinning intra-op pool.
cores="$(nproc)"
for rep in $(seq "$REPEATS"); do
  "$EXE" bench zoo:mlp --scenario singlestream --threads 1 --warmup 1s --duration "$DURATION" --max-duration "$DURATION" \
    --cpu-tdp "$cores" --json "$out/in-process-$rep.json" > /dev/null 2>&1
  python3 -c "import json,sys; p=json.load(open(sys.argv[1]))['points'][0]; n=p['result']['counts']['issued']; j=p['energy']['joulesPerInference']; print(f'in-process\t{sys.argv[2]}\t{n}\t{j*n:.4f}\t0\t{j*1e6:.1f}')" \
    "$out/in-process-$rep.json" "$rep" | tee -a "$results" >&2
done

python3 - "$results" << 'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
med, gross = {}, {}
for name in dict.fromkeys(r["name"] for r in rows):
    mine = [r for r in rows if r["name"] == name]
    med[name] = statistics.median(float(r["cpu_us_per_request"]) for r in mine)
    gross[name] = statistics.median(float(r["cpu_s"]) * 1e6 / int(r["requests"]) for r in mine)
print(f"{'path':<12} {'net µs/req':>11} {'gross µs/req':>13} {'vs bare (gross)':>16}")
for name in med:
    ratio = gross["bare"] / gross[name] if name != "in-process" else float("nan")
    print(f"{name:<12} {med[name]:>11.1f} {gross[name]:>13.1f} {ratio:>16.2f}")
print("net = less the idle CPU rate measured just before; gross = all server CPU during the run (an upper bound).")
print("'vs bare' = bare CPU / path CPU: the best keep-alive rate ratio to bare Kestrel when CPU-bound on the same cores.")
PY
