#!/usr/bin/env python3
"""Sweep the accept threshold and ambiguity margin on a name-variant split.

Runs `canonym resolve --json` once with a low threshold and no margin, then
replays the decision rule (accept the best entity when its score >= threshold
and it leads the runner-up by >= margin) for every grid point, and prints the
best points by accuracy - false_accept and the best accuracy under FA caps.

    python3 scripts/sweep.py [--split ../shared/data/translit-dev] [--bin target/release/canonym] [-- extra canonym args]
"""
import argparse
import json
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "translit-dev"))
    ap.add_argument("--bin", default="target/release/canonym")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N queries")
    ap.add_argument("extra", nargs="*")
    a = ap.parse_args()
    rows = []
    with open(os.path.join(a.split, "queries.tsv"), encoding="utf-8") as f:
        for i, line in enumerate(f):
            q, _, g = line.rstrip("\n").partition("\t")
            if i == 0 and (q, g) == ("query", "gold_id"):
                continue
            rows.append((q, g or None))
    if a.limit:
        rows = rows[: a.limit]
    cmd = [a.bin, "resolve", "--table", os.path.join(a.split, "table.csv"), "--json",
           "--threshold", "0.55", "--margin", "0"] + a.extra
    out = subprocess.run(cmd, input="\n".join(q for q, _ in rows) + "\n", capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(out) == len(rows), (len(out), len(rows))
    res = []
    for (q, g), line in zip(rows, out):
        o = json.loads(line)
        best = o.get("best")
        s1 = best["score"] if best else 0.0
        bid = best["id"] if best else None
        s2 = o["runner_up"]["score"] if o.get("runner_up") else 0.0
        res.append((g, bid, s1, s2))
    pos = sum(1 for r in res if r[0])
    neg = len(res) - pos
    grid = []
    # The resolver's rule (src/resolver/decide.rs): confidence =
    # (s1 + 1.5 * min(s1 - s2, 0.2)) / 1.3 >= threshold, lead >= margin.
    for ti in range(600, 1000, 5):
        t = ti / 1000
        for mi in range(0, 4):
            m = mi / 100
            right = fa = 0
            for g, bid, s1, s2 in res:
                conf = (s1 + 1.5 * min(max(s1 - s2, 0), 0.2)) / 1.3
                if bid is None or conf < t or s1 - s2 < m:
                    continue
                if g is None:
                    fa += 1
                elif g == bid:
                    right += 1
            grid.append((right / pos, fa / neg, t, m))
    best = max(grid, key=lambda x: x[0] - x[1])
    print(f"best acc-FA: acc {best[0]:.4f} FA {best[1]:.4f} threshold {best[2]} margin {best[3]}")
    for cap in (0.10, 0.05):
        ok = [x for x in grid if x[1] <= cap]
        if ok:
            b = max(ok, key=lambda x: x[0])
            print(f"best acc at FA<={cap}: acc {b[0]:.4f} FA {b[1]:.4f} threshold {b[2]} margin {b[3]}")
    top = sum(1 for g, bid, *_ in res if g and bid == g)
    print(f"ceiling (gold is top candidate): {top / pos:.4f}")


if __name__ == "__main__":
    sys.exit(main())
