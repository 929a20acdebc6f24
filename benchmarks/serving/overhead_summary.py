"""Summarizes benchmarks/serving/overhead.sh's runs.tsv: prints the table of docs/perf.md §9 and writes overhead.json.

Usage: overhead_summary.py RUNS_TSV OUT_JSON REPEATS SOAK_SECONDS CONNECTIONS P99_BOUND MODELS BATCH_PROTOCOLS
Medians over the repetitions; a difference or ratio is the median of the per-repetition values (both sides of a
comparison ran back to back in the same repetition).
"""
import json
import statistics
import subprocess
import sys

runs, dest = sys.argv[1], sys.argv[2]
repeats, soak, conc, bound = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
models, protocols = sys.argv[7].split(), sys.argv[8].split()
TINY = "mlp-tiny"  # the "tiny model": the targets of parts 1-2 are judged on it

rows = [line.rstrip("\n").split("\t") for line in open(runs)][1:]


def vals(part, name, metric):
    return [float(r[4]) for r in rows if r[0] == str(part) and r[2] == name and r[3] == metric and r[4] != ""]


def med(part, name, metric):
    v = vals(part, name, metric)
    return statistics.median(v) if v else None


def per_rep(part, a, b, metric, f):
    ra = {r[1]: float(r[4]) for r in rows if r[0] == str(part) and r[2] == a and r[3] == metric and r[4] != ""}
    rb = {r[1]: float(r[4]) for r in rows if r[0] == str(part) and r[2] == b and r[3] == metric and r[4] != ""}
    v = [f(ra[k], rb[k]) for k in ra if k in rb]
    return statistics.median(v) if v else None


def verdict(ok):
    return "met" if ok else "NOT met"


loads = [float(r[5]) for r in rows]
cpu = subprocess.run(["sh", "-c", "lscpu | sed -n 's/^Model name: *//p'"], capture_output=True, text=True).stdout.strip()
cores = int(subprocess.run(["nproc"], capture_output=True, text=True).stdout)
res = {"machine": {"cpu": cpu, "cores": cores}, "repeats": repeats, "load1_max": max(loads) if loads else None, "parts": {}}
lines = []

# 1. Latency: the target applies to the tiny model; zoo:mlp is shown beside it.
p1 = {}
for model in models:
    local = med(1, f"{model}/in-process", "p50_us")
    if local is None:
        continue
    judged = model == TINY
    entry = {"in_process_p50_us": local}
    lines.append(f"1. {model}: latency at low load (singlestream p50, median of {repeats}; added = per-run difference, median)")
    lines.append(f"   in-process                 p50 {local:8.1f} µs")
    for name, target in (("http-json", 150), ("wrk-json", 150), ("http-binary", None), ("grpc", 100), ("h2load-grpc", 100),
                         ("h2load-grpc-bare", None)):
        p50 = med(1, f"{model}/{name}", "p50_us")
        if p50 is None:
            continue
        added = per_rep(1, f"{model}/{name}", f"{model}/in-process", "p50_us", lambda a, b: a - b)
        failed = sum(vals(1, f"{model}/{name}", "failed"))
        met = None if target is None or not judged else added < target
        entry[name] = {"p50_us": p50, "added_us": added, "target_us": target if judged else None, "met": met, "failed": failed}
        tail = "" if met is None else f"  target < {target} µs: {verdict(met)}"
        lines.append(f"   {name:<26} p50 {p50:8.1f} µs  added {added:8.1f} µs  (failed {failed:.0f}){tail}")
    p1[model] = entry
if p1:
    res["parts"]["1_latency"] = p1

# 2. Rate vs a bare Kestrel endpoint answering the same bytes.
p2 = {}
for model in models:
    if not vals(2, f"{model}/silica-client-serve", "qps"):
        continue
    judged = model == TINY
    entry = {"concurrency": conc}
    lines.append(f"2. {model}: sustained rate, HTTP/1.1 keep-alive, {conc} connections (median of {repeats})")
    for client in ("silica-client", "wrk"):
        if not vals(2, f"{model}/{client}-serve", "qps"):
            continue
        s, b = med(2, f"{model}/{client}-serve", "qps"), med(2, f"{model}/{client}-bare", "qps")
        ratio = per_rep(2, f"{model}/{client}-serve", f"{model}/{client}-bare", "qps", lambda a, c: a / c)
        failed = sum(vals(2, f"{model}/{client}-serve", "failed")) + sum(vals(2, f"{model}/{client}-bare", "failed"))
        met = ratio >= 0.6 if judged else None
        entry[client] = {"serve_qps": s, "bare_qps": b, "ratio": ratio, "failed": failed, "met": met}
        tail = "" if met is None else f"  target >= 60%: {verdict(met)}"
        lines.append(f"   {client:<14} serve {s:9.0f}/s  bare {b:9.0f}/s  ratio {ratio:5.1%}  (failed {failed:.0f}){tail}")
    p2[model] = entry
if p2:
    res["parts"]["2_rate"] = p2

# 3. Batching on vs off on zoo:mlp, per protocol.
p3 = {"p99_bound": bound}
for protocol in protocols:
    if not vals(3, f"{protocol}/batching-off", "max_qps"):
        continue
    off, on = med(3, f"{protocol}/batching-off", "max_qps"), med(3, f"{protocol}/batching-on", "max_qps")
    ratio = per_rep(3, f"{protocol}/batching-on", f"{protocol}/batching-off", "max_qps", lambda a, b: a / b)
    p3[protocol] = {"off_max_qps": off, "on_max_qps": on, "off_p99_us": med(3, f"{protocol}/batching-off", "p99_us"),
                    "on_p99_us": med(3, f"{protocol}/batching-on", "p99_us"), "ratio": ratio, "met": ratio >= 3}
    lines.append(f"3. zoo:mlp batching (max=32,delay=2ms) vs off, highest Poisson rate with p99 <= {bound}, {protocol} (median of {repeats})")
    lines.append(f"   off {off:9.0f}/s  on {on:9.0f}/s  ratio {ratio:5.2f}x  target >= 3x: {verdict(ratio >= 3)}")
if len(p3) > 1:
    res["parts"]["3_batching"] = p3

# 4. Soak.
if vals(4, "soak", "rate_qps"):
    rate, r0, r1 = vals(4, "soak", "rate_qps")[0], vals(4, "soak", "rss_start_kb")[0], vals(4, "soak", "rss_end_kb")[0]
    failed = vals(4, "soak", "failed")[0] + sum(vals(4, "soak-warmup", "failed"))
    growth = r1 / r0 - 1
    p99 = vals(4, "soak", "p99_us")[0]
    res["parts"]["4_soak"] = {"seconds": soak, "rate_qps": rate, "achieved_qps": vals(4, "soak", "qps")[0], "p99_us": p99,
                              "failed": failed, "rss_start_kb": r0, "rss_end_kb": r1, "rss_growth": growth,
                              "met": failed == 0 and growth < 0.05}
    lines.append(f"4. soak {soak} s at {rate:.0f}/s (70% of part 3's batching-off HTTP/JSON capacity)")
    lines.append(f"   failed {failed:.0f} (must be 0)  RSS {r0 / 1024:.1f} MiB -> {r1 / 1024:.1f} MiB ({growth:+.1%}, < 5%)"
                 f"  p99 {p99 / 1000:.2f} ms: {verdict(failed == 0 and growth < 0.05)}")

lines.append(f"machine: {cpu}, {cores} cores; highest 1-minute load average at a measurement: {res['load1_max']}")
print("\n".join(lines))
json.dump(res, open(dest, "w"), indent=2)
print(f"written {dest}")
