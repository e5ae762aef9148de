#!/usr/bin/env python3
"""Fit data/calibration.txt: the probability that a fuzzy answer is right.

A maintainer's tool, not needed to build or test canonym. It needs numpy and
scikit-learn (`python3 -m venv v && v/bin/pip install numpy scikit-learn`).

    cargo run --release --features fit --example calibration_features -- \
        ../shared/data/translit-dev > target/calibration.tsv
    v/bin/python scripts/fit_calibration.py target/calibration.tsv \
        ../shared/data/translit-dev/queries.tsv data/calibration.txt

The features are the ones src/resolver/calibrate.rs computes (the example
writes them with the library's own code, so fit and use cannot drift). The
label of a row is whether the best entity is the gold one. The model is
scikit-learn's HistGradientBoostingClassifier; its trees are written in the
plain format calibrate.rs reads. Before writing, the script reports the
cross-validated operating curve with an entity's rows kept in one fold (the
held-out split has other name groups), so the printed figures estimate what
unseen names get, not what the fit saw.
"""
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold, cross_val_predict

# Model size: 150 trees of at most 16 leaves. On the development split,
# cross-validated accuracy at a 6% false-accept rate rises from 0.70 with 50
# trees of 8 leaves to about 0.74 here and stops rising beyond (200 trees of
# 31 leaves: within noise), while the file grows with trees x leaves.
TREES = 150
LEAVES = 16
# Leaves need this many rows, so that no leaf speaks for a handful of names.
MIN_LEAF = 40
SEED = 0


def load(path):
    """The model's rows (groups, right, ambiguous, known, part view, features
    x) and the number of exact answers that are right and that are
    negatives (always accepted)."""
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    features = header[6:]
    exact = [r for r in rows if r[4] == "exact"]
    rows = [r for r in rows if r[4] != "exact"]
    groups = np.array([r[0] for r in rows])
    right = np.array([r[1] == "1" for r in rows])
    ambiguous = np.array([r[2] == "1" for r in rows])
    known = np.array([r[3] == "1" for r in rows])
    part = np.array([r[4] == "part" for r in rows])
    x = np.array([[float(v) for v in r[6:]] for r in rows], dtype=np.float64)
    exact_counts = (sum(r[1] == "1" for r in exact), sum(r[3] != "1" for r in exact))
    return features, groups, right, ambiguous, known, part, x, exact_counts


def totals(queries):
    positives = negatives = 0
    with open(queries, encoding="utf-8") as f:
        next(f)
        for line in f:
            if not line.strip():
                continue
            _, _, gold = line.rstrip("\n").partition("\t")
            if gold:
                positives += 1
            else:
                negatives += 1
    return positives, negatives


# The model may only grow more sure as the similarity rises, and less sure
# as the runner-up comes closer, as more rivals crowd in and as the edits
# cost more, whatever the other features: an editor must be able to
# predict it (a closer spelling is never less sure), and it must
# extrapolate sanely to tables unlike the development split (a newsroom
# table where most names have no near neighbour at all). On the
# development split these constraints cost 0.3 points of accuracy at the
# default threshold (cross-validated).
MONOTONE = {"similarity": 1, "runner_up": -1, "rivals": -1, "edit_cost": -1, "worst_edit": -1}


def model(features):
    return HistGradientBoostingClassifier(
        max_iter=TREES,
        max_leaf_nodes=LEAVES,
        min_samples_leaf=MIN_LEAF,
        monotonic_cst=[MONOTONE.get(f, 0) for f in features],
        early_stopping=False,
        random_state=SEED,
    )


def curve(p, right, ambiguous, known, exact_counts, positives, negatives):
    """(threshold, accuracy, false accepts) over all queries for thresholds
    on p; exact answers always accepted, ambiguous ones never."""
    out = []
    for t in np.arange(0.50, 0.951, 0.005):
        accept = (p >= t) & ~ambiguous
        acc = ((accept & right).sum() + exact_counts[0]) / positives
        fa = ((accept & ~known).sum() + exact_counts[1]) / negatives
        out.append((t, acc, fa))
    return out


def cross_validated(features, groups, right, part, x):
    """Each row's probability from a model that saw none of its entity's
    rows, fitted (like the shipped one) on whole-name rows only."""
    p = np.zeros(len(x))
    for train, test in GroupKFold(5).split(x, right, groups):
        train = train[~part[train]]
        p[test] = model(features).fit(x[train], right[train]).predict_proba(x[test])[:, 1]
    return p


def write(m, features, path, note):
    lines = ["# Calibration of fuzzy answers: written by scripts/fit_calibration.py."]
    lines += ["# " + n for n in note]
    lines.append("features " + " ".join(features))
    lines.append(f"base {float(np.ravel(m._baseline_prediction)[0]):.7g}")
    for (tree,) in m._predictors:
        lines.append("tree")
        for node in tree.nodes:
            if node["is_leaf"]:
                lines.append(f"leaf {node['value']:.6g}")
            else:
                lines.append(
                    f"split {node['feature_idx']} {node['num_threshold']:.9g} "
                    f"{node['left']} {node['right']}"
                )
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def replay(m, x):
    """The model's probabilities computed from its trees the way calibrate.rs
    does (f32 features, <= goes left), to check the written format."""
    xs = x.astype(np.float32)
    out = np.full(len(x), float(np.ravel(m._baseline_prediction)[0]))
    for (tree,) in m._predictors:
        nodes = tree.nodes
        for i, row in enumerate(xs):
            n = 0
            while not nodes[n]["is_leaf"]:
                go_left = row[nodes[n]["feature_idx"]] <= np.float32(nodes[n]["num_threshold"])
                n = nodes[n]["left"] if go_left else nodes[n]["right"]
            out[i] += nodes[n]["value"]
    return 1.0 / (1.0 + np.exp(-out))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    features, groups, right, ambiguous, known, part, x, exact_counts = load(sys.argv[1])
    positives, negatives = totals(sys.argv[2])
    p = cross_validated(features, groups, right, part, x)
    note = [
        f"{(~part).sum()} whole-name answers fit the model; {part.sum()} part-view answers and "
        f"{sum(exact_counts)} exact ones are only counted; {positives} positive and {negatives} "
        f"negative queries; {TREES} trees of <= {LEAVES} leaves.",
        "Cross-validated (5 folds, an entity's answers in one fold), over all queries:",
        "threshold  accuracy  false_accept",
    ]
    for t, acc, fa in curve(p, right, ambiguous, known, exact_counts, positives, negatives):
        step = round(t * 1000)
        if step % 50 == 0 or (750 <= step <= 850 and step % 5 == 0):
            note.append(f"{t:.3f}      {acc:.4f}    {fa:.4f}")
    print("\n".join(note))
    m = model(features).fit(x[~part], right[~part])
    probe = x[:: max(1, len(x) // 2000)]
    drift = np.abs(replay(m, probe) - m.predict_proba(probe)[:, 1]).max()
    print(f"replayed trees against scikit-learn: max difference {drift:.2e}")
    if drift > 1e-3:
        sys.exit("the written trees would not reproduce the model")
    write(m, features, sys.argv[3], note)
    print(f"wrote {sys.argv[3]}")


if __name__ == "__main__":
    main()
