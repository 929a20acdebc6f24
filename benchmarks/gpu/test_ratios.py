#!/usr/bin/env python3
"""Checks ratios.py on fabricated bench and peer files: python3 benchmarks/gpu/test_ratios.py (exit 0 = pass)."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def bench(model, precision, points):
    return {"model": {"name": "zoo:" + model}, "configuration": {"precision": precision},
            "points": [{"batchSize": b, "result": {"throughput": {"samplesPerSecond": s}}} for b, s in points]}


def main():
    with tempfile.TemporaryDirectory() as d:
        os.mkdir(os.path.join(d, "bench"))
        json.dump(bench("bert-base", "fp16", [(1, 1000.0), (64, 9000.0)]), open(os.path.join(d, "bench", "a.json"), "w"))
        json.dump(bench("resnet50", "fp16", [(128, 12000.0)]), open(os.path.join(d, "bench", "b.json"), "w"))
        open(os.path.join(d, "bench", "broken.json"), "w").write("{not json")  # a timed-out stage's half file
        json.dump({"torch": "2.11", "device": "H100", "copy": {"GBps": 2500.0}, "runs": [
            {"model": "bert-base", "variant": "eager", "batch": 1, "inferences_per_s": 500.0},
            {"model": "bert-base", "variant": "compile", "batch": 1, "inferences_per_s": 800.0},
            {"model": "bert-base", "variant": "eager", "batch": 64, "inferences_per_s": 9000.0},
            {"model": "resnet50", "variant": "eager-channels_last", "batch": 128, "inferences_per_s": 10000.0},
            {"model": "resnet50", "variant": "eager-nchw", "batch": 128, "inferences_per_s": 6000.0},
            {"model": "resnet50", "variant": "compile-channels_last", "batch": 128, "inferences_per_s": 15000.0}]},
            open(os.path.join(d, "peers.json"), "w"))
        json.dump({"device": "H100", "models": [{"model": "mlp", "precision": "fp32", "status": "pass"},
                                                 {"model": "gpt2", "precision": "fp8", "status": "fail", "maxRelativeError": 0.5, "cosine": 0.9}],
                   "nodeTests": [{"precision": "fp32", "passed": 800, "failed": 2, "skipped": 100}]}, open(os.path.join(d, "check.json"), "w"))
        out = os.path.join(d, "r.md")
        subprocess.run([sys.executable, os.path.join(HERE, "ratios.py"), "--bench-dir", os.path.join(d, "bench"),
                        "--peers", os.path.join(d, "peers.json"), "--gpu-check", os.path.join(d, "check.json"), "--out", out],
                       check=True, capture_output=True)
        t = open(out).read()
    expected = [
        "| bert-base | fp16 | 1 | 1,000.0 | 500.0 | 800.0 | 2.00 | 1.25 |",
        "| bert-base | fp16 | 64 | 9,000.0 | 9,000.0 | - | 1.00 | - |",
        "| resnet50 | fp16 | 128 | 12,000.0 | 10,000.0 | 15,000.0 | 1.20 | 0.80 |",  # best eager layout, compile
        "FAIL gpt2 fp8",
        "2500 GB/s",
    ]
    missing = [e for e in expected if e not in t]
    if missing:
        print("test_ratios: missing lines:\n" + "\n".join(missing) + "\n--- got:\n" + t)
        return 1
    print("test_ratios: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
