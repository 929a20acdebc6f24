#!/usr/bin/env python3
"""Joins `silica bench` JSON files and torch_peers.py's JSON into a markdown table of throughput ratios.

Usage: ratios.py --bench-dir DIR --peers peers.json [--gpu-check gpu-check.json] [--out ratios.md]
A ratio above 1 means Silica is faster. Missing inputs leave '-' cells instead of failing: the table
is printed even when some stages of run.sh timed out.
"""
import argparse
import glob
import json
import os
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"ratios: skipping {path}: {e}", file=sys.stderr)
        return None


def silica_rows(bench_dir):
    """(model, precision, batch) -> samples/s, from every bench report in the folder."""
    rows = {}
    for path in sorted(glob.glob(os.path.join(bench_dir, "*.json"))):
        d = load(path)
        if not d or "points" not in d:
            continue
        model = d["model"]["name"].removeprefix("zoo:")
        precision = d.get("configuration", {}).get("precision", "fp32")
        for p in d["points"]:
            rows[(model, precision, p["batchSize"])] = p["result"]["throughput"]["samplesPerSecond"]
    return rows


def peer_best(peers, model, batch, mode):
    """Best inferences/s of a peer mode (eager or compile) over its layouts (resnet: channels_last, nchw)."""
    best = None
    for r in (peers or {}).get("runs", []):
        variant = r["variant"].split("-")[0] if r["variant"].startswith(("eager", "compile")) else r["variant"]
        if r["model"] == model and r["batch"] == batch and variant == mode and r.get("inferences_per_s"):
            best = max(best or 0, r["inferences_per_s"])
    return best


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def ratio(a, b):
    return None if a is None or not b else a / b


def table(silica, peers):
    lines = [
        "| model | precision | batch | Silica inf/s | torch eager inf/s | torch.compile inf/s | Silica / eager | Silica / compile |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for (model, precision, batch), ips in sorted(silica.items()):
        # The peers run FP16 only; other precisions compare against the FP16 peer, which the column says.
        eager = peer_best(peers, model, batch, "eager")
        comp = peer_best(peers, model, batch, "compile")
        lines.append(f"| {model} | {precision} | {batch} | {fmt(ips, ',.1f')} | {fmt(eager, ',.1f')} | {fmt(comp, ',.1f')} "
                     f"| {fmt(ratio(ips, eager), '.2f')} | {fmt(ratio(ips, comp), '.2f')} |")
    return lines


def gpu_check_summary(check):
    if not check:
        return []
    models = check.get("models", [])
    fails = [m for m in models if m["status"] == "fail"]
    out = ["", f"gpu-check on {check.get('device', '?')}: {sum(m['status'] == 'pass' for m in models)} pass, "
               f"{len(fails)} fail, {sum(m['status'] == 'skip' for m in models)} skip"]
    out += [f"- FAIL {m['model']} {m['precision']}: rel {m.get('maxRelativeError')}, cos {m.get('cosine')} {m.get('note') or ''}".rstrip() for m in fails]
    for n in check.get("nodeTests", []):
        out.append(f"- node tests {n['precision']}: {n['passed']} passed, {n['failed']} failed, {n['skipped']} skipped")
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description="Silica vs PyTorch throughput ratios as markdown")
    p.add_argument("--bench-dir", required=True)
    p.add_argument("--peers")
    p.add_argument("--gpu-check")
    p.add_argument("--out")
    a = p.parse_args(argv)
    peers = load(a.peers) if a.peers else None
    lines = ["# Silica vs PyTorch (FP16 peers, ratio > 1 = Silica faster)", ""]
    if peers:
        lines += [f"torch {peers.get('torch')} on {peers.get('device')}", ""]
    lines += table(silica_rows(a.bench_dir), peers)
    if peers and peers.get("copy"):
        lines += ["", f"D2D copy (torch clone, 1 GiB): {peers['copy']['GBps']:.0f} GB/s"]
    lines += gpu_check_summary(load(a.gpu_check) if a.gpu_check else None)
    text = "\n".join(lines) + "\n"
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
