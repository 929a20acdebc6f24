#!/usr/bin/env python3
"""One line per (model, precision) from gpu-check JSON files, plus node-test totals: the compact view of a device run."""
import json
import sys
from pathlib import Path


def main(paths):
    for p in sorted(paths):
        try:
            d = json.loads(Path(p).read_text())
        except (OSError, ValueError) as e:
            print(f"{p}: unreadable ({e})")
            continue
        for m in d.get("models", []):
            err = m.get("maxRelativeError")
            cos = m.get("cosine")
            ms = m.get("milliseconds")
            print(f"{m['model']:<12} {m['precision']:<5} {m['status']:<4} err={err if err is None else f'{err:.2e}'} "
                  f"cos={cos if cos is None else f'{cos:.5f}'} ms={ms if ms is None else f'{ms:.2f}'} {(m.get('note') or '')[:700]}")
        for n in d.get("nodeTests", []):
            print(f"node tests {n.get('precision')}: passed {n.get('passed')} failed {n.get('failed')} skipped {n.get('skipped')}")
            fails = [t for t in n.get("tests", []) if t.get("outcome") == "failed"]
            skips = sorted({t.get("op") for t in n.get("tests", []) if t.get("outcome") == "skipped"})
            print(f"  ops skipped: {', '.join(skips)}")
            for t in fails[:25]:
                print(f"  FAIL {t.get('name')}: rel {t.get('maxRelativeError')} {(t.get('reason') or '')[:160]}")


if __name__ == "__main__":
    main(sys.argv[1:])
