#!/usr/bin/env bash
# `silica serve` overhead on this machine (docs/perf.md §9), every comparison side by side in one run:
#   1. latency added at low load: p50 of an in-process singlestream run vs the same model over HTTP/JSON, HTTP
#      binary and gRPC against `silica serve zoo:mlp` on 127.0.0.1 (batching off);
#   2. sustained request rate over HTTP/1.1 keep-alive vs a bare Kestrel endpoint (BareKestrel/) answering with a
#      body of the same byte length, loaded by `silica bench --url --scenario concurrency` and by wrk;
#   3. batching off vs --batching max=32,delay=2ms: the highest Poisson rate whose p99 stays within a bound;
#   4. a soak at 70% of the measured capacity (part 3, batching off): failed requests and the server's RSS.
# Each comparison is repeated REPEATS times (medians quoted); before each measurement the script waits while the
# 1-minute load average is above QUIET (other work on a shared machine), at most QUIET_MAX_WAIT seconds each time.
# Prints a table and writes OUT/overhead.json.
# Usage: benchmarks/serving/overhead.sh [out-dir]
#   env: REPEATS=3 SOAK=120 (seconds) CONC=8 BOUND=20ms QUIET=1.5 QUIET_MAX_WAIT=600 PARTS="1 2 3 4"
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="$(mkdir -p "${1:-artifacts/serving}" && cd "${1:-artifacts/serving}" && pwd)"
REPEATS="${REPEATS:-3}" SOAK="${SOAK:-120}" CONC="${CONC:-8}" BOUND="${BOUND:-20ms}"
QUIET="${QUIET:-1.5}" QUIET_MAX_WAIT="${QUIET_MAX_WAIT:-600}" PARTS="${PARTS:-1 2 3 4}"
raw="$out/raw"; rm -rf "$raw"; mkdir -p "$raw"
runs="$out/runs.tsv"; printf 'part\trep\tname\tmetric\tvalue\tload1\n' > "$runs"

# shellcheck source=../lib/quiet.sh
source benchmarks/lib/quiet.sh

# --- build ------------------------------------------------------------------------------------------------------
./silica --version > /dev/null # builds the CLI on first use
dotnet build benchmarks/serving/BareKestrel -c Release --nologo -v quiet "-clp:ErrorsOnly;NoSummary" > /dev/null
exe="$PWD/src/Silica.Cli/bin/Release/net10.0/silica"
bare_exe="$PWD/benchmarks/serving/BareKestrel/bin/Release/net10.0/BareKestrel"
have_wrk=0; command -v wrk > /dev/null && have_wrk=1

# --- processes --------------------------------------------------------------------------------------------------
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; wait 2> /dev/null || true; }
trap cleanup EXIT

# start_serve NAME ARGS... → sets ${NAME}_pid, ${NAME}_http, ${NAME}_grpc (ports)
start_serve() {
  local name="$1"; shift
  "$exe" serve zoo:mlp --http-port 0 --grpc-port 0 --log-level none "$@" > "$raw/serve-$name.log" 2>&1 &
  local pid=$!; pids+=("$pid")
  for _ in $(seq 600); do grep -q '^serving;' "$raw/serve-$name.log" && break; sleep 0.1; done
  grep -q '^serving;' "$raw/serve-$name.log" || { cat "$raw/serve-$name.log" >&2; exit 1; }
  printf -v "${name}_pid" '%s' "$pid"
  printf -v "${name}_http" '%s' "$(sed -n 's|^REST *http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$raw/serve-$name.log")"
  printf -v "${name}_grpc" '%s' "$(sed -n 's|^gRPC *http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$raw/serve-$name.log")"
  log "serve $name: pid $pid, REST :$(eval echo "\$${name}_http"), gRPC :$(eval echo "\$${name}_grpc")"
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$runs"; }

jq_py() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); p=r['points'][0]; print($2)" "$1"; }

# bench PART REP NAME ARGS... (a `silica bench` run writing raw/PART-REP-NAME.json; records p50, p99, qps, failures)
bench() {
  local part="$1" rep="$2" name="$3"; shift 3
  local load; load="$(quiet)"
  local json="$raw/$part-$rep-$name.json"
  "$exe" bench "$@" --json "$json" > "$raw/$part-$rep-$name.txt" 2>&1 || { cat "$raw/$part-$rep-$name.txt" >&2; exit 1; }
  local line
  line="$(jq_py "$json" "'%s %s %s %s %s' % (p['result']['latency']['p50Us'], p['result']['latency']['p99Us'], p['result']['throughput']['queriesPerSecond'], p['result']['counts']['failed'] + p['result']['counts']['issued'] - p['result']['counts']['completed'], p.get('maxQps') or 0)")"
  read -r p50 p99 qps failed maxqps <<< "$line"
  record "$part" "$rep" "$name" p50_us "$p50" "$load"
  record "$part" "$rep" "$name" p99_us "$p99" "$load"
  record "$part" "$rep" "$name" qps "$qps" "$load"
  record "$part" "$rep" "$name" failed "$failed" "$load"
  [ "$maxqps" != 0 ] && record "$part" "$rep" "$name" max_qps "$maxqps" "$load"
  log "part $part rep $rep $name: p50 ${p50} µs, p99 ${p99} µs, ${qps} q/s, max ${maxqps} q/s, failed ${failed} (load $load)"
}

start_serve off
start_serve batched --batching max=32,delay=2ms
base="http://127.0.0.1:$off_http"

# A request body like the client's (784 random floats) and the server's answer to it, for wrk and the bare endpoint.
python3 - "$raw/request.json" <<'PY'
import json, random, sys
random.seed(42)
json.dump({"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 784],
                       "data": [float(f"{random.uniform(-1, 1):.8g}") for _ in range(784)]}]},
          open(sys.argv[1], "w"), separators=(",", ":"))
PY
curl -sf -X POST -H 'Content-Type: application/json' --data-binary @"$raw/request.json" "$base/v2/models/mlp/infer" > "$raw/response.json"
curl -sf "$base/v2/models/mlp" > "$raw/metadata.json"
bare_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$bare_exe" "$bare_port" "$raw/response.json" "$raw/metadata.json" > "$raw/bare.log" 2>&1 &
bare_pid=$!; pids+=("$bare_pid")
for _ in $(seq 100); do grep -q '^listening' "$raw/bare.log" && break; sleep 0.1; done
log "bare Kestrel: pid $bare_pid, :$bare_port, body $(wc -c < "$raw/response.json") bytes"
cat > "$raw/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$raw/request.json", "rb"); wrk.body = f:read("*a"); f:close()
EOF

wants() { [[ " $PARTS " == *" $1 "* ]]; }
common=(--warmup 1s --duration 3s --max-duration 10s)

# --- 1. latency added at low load -------------------------------------------------------------------------------
if wants 1; then
  for rep in $(seq "$REPEATS"); do
    bench 1 "$rep" in-process zoo:mlp --scenario singlestream "${common[@]}"
    bench 1 "$rep" http-json --url "$base" --model mlp --protocol json --scenario singlestream "${common[@]}"
    bench 1 "$rep" http-binary --url "$base" --model mlp --protocol binary --scenario singlestream "${common[@]}"
    bench 1 "$rep" grpc --url "http://127.0.0.1:$off_grpc" --model mlp --protocol grpc --scenario singlestream "${common[@]}"
  done
fi

# --- 2. sustained rate vs bare Kestrel --------------------------------------------------------------------------
wrk_run() { # PART REP NAME URL
  local load; load="$(quiet)"
  local txt="$raw/$1-$2-$3.txt"
  wrk -t1 -c"$CONC" -d5s --latency -s "$raw/post.lua" "$4" > "$txt" 2>&1
  local rps non2xx errors
  rps="$(awk '/^Requests\/sec:/ { print $2 }' "$txt")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$txt")"
  errors="$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$txt")"
  record "$1" "$2" "$3" qps "$rps" "$load"
  record "$1" "$2" "$3" failed "$(( ${non2xx:-0} + ${errors:-0} ))" "$load"
  log "part $1 rep $2 $3: ${rps} req/s, non-2xx ${non2xx:-0}, socket errors ${errors:-0} (load $load)"
}
if wants 2; then
  for rep in $(seq "$REPEATS"); do
    bench 2 "$rep" silica-client-serve --url "$base" --model mlp --protocol json --scenario concurrency --concurrency "$CONC" "${common[@]}"
    bench 2 "$rep" silica-client-bare --url "http://127.0.0.1:$bare_port" --model mlp --protocol json --scenario concurrency --concurrency "$CONC" "${common[@]}"
    if [ "$have_wrk" = 1 ]; then
      wrk_run 2 "$rep" wrk-serve "$base/v2/models/mlp/infer"
      wrk_run 2 "$rep" wrk-bare "http://127.0.0.1:$bare_port/v2/models/mlp/infer"
    fi
  done
fi

# --- 3. batching off vs on, highest rate at the same p99 bound --------------------------------------------------
if wants 3; then
  search=(--scenario server --qps auto --latency-bound "$BOUND" --warmup 500ms --duration 3s --max-duration 6s)
  for rep in $(seq "$REPEATS"); do
    bench 3 "$rep" batching-off --url "$base" --model mlp --protocol json "${search[@]}"
    bench 3 "$rep" batching-on --url "http://127.0.0.1:$batched_http" --model mlp --protocol json "${search[@]}"
  done
fi

# --- 4. soak at 70% of capacity ---------------------------------------------------------------------------------
if wants 4; then
  capacity="$(awk -F'\t' '$1 == 3 && $3 == "batching-off" && $4 == "max_qps" { print $5 }' "$runs" | sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }')"
  [ -n "$capacity" ] || { log "part 4 needs part 3's capacity; pass CAPACITY"; capacity="${CAPACITY:?}"; }
  rate="$(awk -v c="$capacity" 'BEGIN { printf "%.0f", 0.7 * c }')"
  soak_args=(--url "$base" --model mlp --protocol json --scenario server --qps "$rate" --no-stability --warmup 0s)
  bench 4 0 soak-warmup "${soak_args[@]}" --duration 20s --max-duration 20s
  rss0="$(rss_kb "$off_pid")"
  ( while kill -0 "$off_pid" 2> /dev/null; do printf '%s\t%s\n' "$(date +%s)" "$(rss_kb "$off_pid")"; sleep 10; done ) > "$raw/soak-rss.tsv" &
  sampler=$!; pids+=("$sampler")
  bench 4 1 soak "${soak_args[@]}" --duration "${SOAK}s" --max-duration "$((SOAK + 30))s"
  rss1="$(rss_kb "$off_pid")"
  kill "$sampler" 2> /dev/null || true
  record 4 1 soak rate_qps "$rate" "$(load1)"
  record 4 1 soak rss_start_kb "$rss0" "$(load1)"
  record 4 1 soak rss_end_kb "$rss1" "$(load1)"
  curl -sf "$base/metrics" > "$raw/soak-metrics.txt" || true
  log "soak: ${rate} q/s for ${SOAK}s, RSS ${rss0} kB → ${rss1} kB"
fi

# --- summary ----------------------------------------------------------------------------------------------------
python3 - "$runs" "$out/overhead.json" "$REPEATS" "$SOAK" "$CONC" "$BOUND" <<'PY'
import json, statistics, sys, subprocess
runs, dest, repeats, soak, conc, bound = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
rows = [l.rstrip("\n").split("\t") for l in open(runs)][1:]
def vals(part, name, metric): return [float(r[4]) for r in rows if r[0] == str(part) and r[2] == name and r[3] == metric]
def med(part, name, metric):
    v = vals(part, name, metric); return statistics.median(v) if v else None
def per_rep(part, a, b, metric, f):
    ra = {r[1]: float(r[4]) for r in rows if r[0] == str(part) and r[2] == a and r[3] == metric}
    rb = {r[1]: float(r[4]) for r in rows if r[0] == str(part) and r[2] == b and r[3] == metric}
    v = [f(ra[k], rb[k]) for k in ra if k in rb]; return statistics.median(v) if v else None
loads = [float(r[5]) for r in rows]
cpu = subprocess.run(["sh", "-c", "lscpu | sed -n 's/^Model name: *//p'"], capture_output=True, text=True).stdout.strip()
res = {"machine": {"cpu": cpu, "cores": int(subprocess.run(["nproc"], capture_output=True, text=True).stdout)},
       "repeats": repeats, "load1_max": max(loads) if loads else None, "parts": {}}
lines = []
def verdict(ok): return "met" if ok else "NOT met"
if vals(1, "in-process", "p50_us"):
    local = med(1, "in-process", "p50_us"); p1 = {"in_process_p50_us": local}
    lines.append(f"1. latency at low load (singlestream p50, median of {repeats}; added = per-run difference, median)")
    lines.append(f"   in-process                 p50 {local:8.1f} µs")
    for name, target in (("http-json", 150), ("http-binary", None), ("grpc", 100)):
        p50 = med(1, name, "p50_us"); added = per_rep(1, name, "in-process", "p50_us", lambda a, b: a - b)
        p1[name] = {"p50_us": p50, "added_us": added, "target_us": target, "met": None if target is None else added < target}
        tail = "" if target is None else f"  target < {target} µs: {verdict(added < target)}"
        lines.append(f"   {name:<26} p50 {p50:8.1f} µs  added {added:8.1f} µs{tail}")
    res["parts"]["1_latency"] = p1
if vals(2, "silica-client-serve", "qps"):
    p2 = {"concurrency": conc}
    lines.append(f"2. sustained rate, HTTP/1.1 keep-alive, {conc} connections (median of {repeats})")
    for client in ("silica-client", "wrk"):
        if not vals(2, f"{client}-serve", "qps"): continue
        s, b = med(2, f"{client}-serve", "qps"), med(2, f"{client}-bare", "qps")
        ratio = per_rep(2, f"{client}-serve", f"{client}-bare", "qps", lambda a, c: a / c)
        failed = sum(vals(2, f"{client}-serve", "failed")) + sum(vals(2, f"{client}-bare", "failed"))
        p2[client] = {"serve_qps": s, "bare_qps": b, "ratio": ratio, "failed": failed, "met": ratio >= 0.6}
        lines.append(f"   {client:<14} serve {s:9.0f}/s  bare {b:9.0f}/s  ratio {ratio:5.1%}  target >= 60%: {verdict(ratio >= 0.6)}  (failed {failed:.0f})")
    res["parts"]["2_rate"] = p2
if vals(3, "batching-off", "max_qps"):
    off, on = med(3, "batching-off", "max_qps"), med(3, "batching-on", "max_qps")
    ratio = per_rep(3, "batching-on", "batching-off", "max_qps", lambda a, b: a / b)
    res["parts"]["3_batching"] = {"p99_bound": bound, "off_max_qps": off, "on_max_qps": on, "off_p99_us": med(3, "batching-off", "p99_us"),
                                  "on_p99_us": med(3, "batching-on", "p99_us"), "ratio": ratio, "met": ratio >= 3}
    lines.append(f"3. batching (max=32,delay=2ms) vs off, highest Poisson rate with p99 <= {bound} over HTTP/JSON (median of {repeats})")
    lines.append(f"   off {off:9.0f}/s  on {on:9.0f}/s  ratio {ratio:5.2f}x  target >= 3x: {verdict(ratio >= 3)}")
if vals(4, "soak", "rate_qps"):
    rate, r0, r1 = vals(4, "soak", "rate_qps")[0], vals(4, "soak", "rss_start_kb")[0], vals(4, "soak", "rss_end_kb")[0]
    failed = vals(4, "soak", "failed")[0] + sum(vals(4, "soak-warmup", "failed"))
    growth = r1 / r0 - 1
    res["parts"]["4_soak"] = {"seconds": soak, "rate_qps": rate, "achieved_qps": vals(4, "soak", "qps")[0], "p99_us": vals(4, "soak", "p99_us")[0],
                              "failed": failed, "rss_start_kb": r0, "rss_end_kb": r1, "rss_growth": growth, "met": failed == 0 and growth < 0.05}
    lines.append(f"4. soak {soak} s at {rate:.0f}/s (70% of part 3's batching-off capacity)")
    lines.append(f"   failed {failed:.0f} (must be 0)  RSS {r0/1024:.1f} MiB -> {r1/1024:.1f} MiB ({growth:+.1%}, < 5%)  p99 {vals(4, 'soak', 'p99_us')[0]/1000:.2f} ms: {verdict(failed == 0 and growth < 0.05)}")
lines.append(f"machine: {cpu}, {res['machine']['cores']} cores; highest 1-minute load average at a measurement: {res['load1_max']}")
print("\n".join(lines))
json.dump(res, open(dest, "w"), indent=2)
print(f"written {dest}")
PY
