#!/usr/bin/env python3
"""Accuracy report on a name-variant split: overall, by edit distance between
query and canonical (after folding), the most common failure patterns, and
ablations (each part of the fuzzy core switched off).

    python3 scripts/report.py [--split ../shared/data/translit-dev] [--bin target/release/canonym] [--no-ablations]
"""
import argparse
import collections
import csv
import difflib
import json
import os
import re
import subprocess
import unicodedata


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub("[ʼʹ’']", "", s).replace("-", " ")
    return re.sub(" +", " ", re.sub("[^a-z ]", "", s)).strip()


def lev(a, b):
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def run(binary, split, rows, extra=()):
    cmd = [binary, "resolve", "--table", os.path.join(split, "table.csv"), "--json", *extra]
    out = subprocess.run(cmd, input="\n".join(q for q, _ in rows) + "\n", capture_output=True,
                         text=True, check=True).stdout.splitlines()
    return [json.loads(l).get("id") for l in out]


def score(rows, got):
    pos = [(g, x) for (q, g), x in zip(rows, got) if g]
    neg = [x for (q, g), x in zip(rows, got) if not g]
    acc = sum(1 for g, x in pos if g == x) / len(pos)
    fa = sum(1 for x in neg if x) / len(neg)
    return acc, fa


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "translit-dev"))
    ap.add_argument("--bin", default="target/release/canonym")
    ap.add_argument("--no-ablations", action="store_true")
    a = ap.parse_args()
    table = {r["id"]: r["canonical"] for r in csv.DictReader(open(os.path.join(a.split, "table.csv"), encoding="utf-8"))}
    rows = []
    with open(os.path.join(a.split, "queries.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            q, _, g = line.rstrip("\n").partition("\t")
            rows.append((q, g or None))
    got = run(a.bin, a.split, rows)
    acc, fa = score(rows, got)
    print(f"default: accuracy {acc:.4f} false_accept {fa:.4f}")
    buckets = collections.defaultdict(lambda: [0, 0])
    patterns = collections.Counter()
    for (q, g), x in zip(rows, got):
        if not g:
            continue
        fq, fc = fold(q), fold(table[g])
        d = lev(fq.replace(" ", ""), fc.replace(" ", ""))
        b = str(d) if d < 4 else "4+"
        buckets[b][0] += x == g
        buckets[b][1] += 1
        if x != g:
            sm = difflib.SequenceMatcher(a=fc, b=fq, autojunk=False)
            for op, i1, i2, j1, j2 in sm.get_opcodes():
                if op != "equal":
                    patterns[f"{fc[i1:i2] or '-'} -> {fq[j1:j2] or '-'}"] += 1
    print("accuracy by edit distance (folded query vs canonical):")
    for b in ["1", "2", "3", "4+"]:
        r, n = buckets[b]
        print(f"  {b:>2}: {r / n:.4f} of {n}" if n else f"  {b}: none")
    print("most common edits in missed positives (canonical -> query):")
    for p, n in patterns.most_common(10):
        print(f"  {n:5d}  {p}")
    if a.no_ablations:
        return
    for flag in ["--no-endings", "--no-rules", "--unit-costs", "--indexed"]:
        acc, fa = score(rows, run(a.bin, a.split, rows, [flag]))
        print(f"{flag}: accuracy {acc:.4f} false_accept {fa:.4f}")


if __name__ == "__main__":
    main()
