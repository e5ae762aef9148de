"""canonym's Python package against rapidfuzz, in one process, on one table.

usage: python bench.py DIR [MAX_QUERIES]

Reads DIR/table.csv and DIR/queries.tsv (as benches/compare/run.sh writes
them with examples/compare.rs, or any table and `query<TAB>gold_id` file,
scale-dev's included) and times, on the same queries:

- canonym `Resolver.resolve` one query at a time (one thread), and
  `Resolver.resolve_batch` on all of them (all cores, GIL released);
- rapidfuzz `process.extractOne` one query at a time (Jaro-Winkler, names
  lowercased once up front as a pipeline would);
- rapidfuzz `process.cdist` of all queries against all names with
  `workers=-1` (all cores), the best per row.

The bench's own tables are frozen out of Python's garbage collector before
anything is timed (see `main`). rapidfuzz's answer counts when its best
similarity reaches a cutoff chosen
on DIR/tune.tsv when it exists (the best accuracy - false accepts, as
benches/compare does), else 0.9. Prints time per query, the ratio to
canonym's `resolve_batch`, accuracy and false accepts (translit-score's
measures) for each.
"""

import gc
import os
import sys
import time

import numpy as np
from rapidfuzz import distance, process, utils

import canonym

# The table and query readers of benches/compare, so that both benches read
# a DIR alike.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "compare"))
from compare import read_choices, read_queries  # noqa: E402

SCORER = distance.JaroWinkler.normalized_similarity


def measures(queries, answers):
    positives = [(g, a) for (_, g), a in zip(queries, answers) if g]
    negatives = [a for (_, g), a in zip(queries, answers) if not g]
    accuracy = sum(g == a for g, a in positives) / max(1, len(positives))
    false_accept = sum(a is not None for a in negatives) / max(1, len(negatives))
    return accuracy, false_accept


def tuned_cutoff(folder, choices, owners):
    path = os.path.join(folder, "tune.tsv")
    if not os.path.exists(path):
        return 0.9
    best = []
    for query, gold in read_queries(path)[:200]:
        hit = process.extractOne(utils.default_process(query), choices, scorer=SCORER)
        best.append((hit[1], owners[hit[2]], gold) if hit else (0.0, None, gold))
    pos = sum(1 for *_, g in best if g) or 1
    neg = sum(1 for *_, g in best if not g) or 1

    def gain(cut):
        right = sum(1 for s, a, g in best if g and s >= cut and a == g)
        fa = sum(1 for s, a, g in best if not g and s >= cut)
        return right / pos - fa / neg

    return max((i / 100 for i in range(50, 101)), key=gain)


def main(argv):
    folder = argv[0]
    limit = int(argv[1]) if len(argv) > 1 else None
    queries = read_queries(os.path.join(folder, "queries.tsv"))[:limit]
    names = [q for q, _ in queries]
    table = os.path.join(folder, "table.csv")

    start = time.perf_counter()
    resolver = canonym.Resolver(table)
    build = time.perf_counter() - start
    choices, owners = read_choices(folder)
    cutoff = tuned_cutoff(folder, choices, owners)
    # The bench's own data (a million choices for rapidfuzz) is frozen out
    # of Python's garbage collector: else the first loop timed pays for the
    # full collection that the answers' objects set off, which scans it all
    # (scale-dev at 1M, 200 queries: canonym's `resolve` loop at 372 µs a
    # query, 160 µs when run again).
    gc.collect()
    gc.freeze()
    rows = []

    resolver.resolve_batch(names[:20])  # warm-up
    start = time.perf_counter()
    batch = resolver.resolve_batch(names)
    batch_s = (time.perf_counter() - start) / len(names)
    rows.append(("canonym resolve_batch (all cores)", batch_s, [r.id for r in batch]))

    start = time.perf_counter()
    one = [resolver.resolve(n) for n in names]
    rows.append(("canonym resolve (one thread)", (time.perf_counter() - start) / len(names), [r.id for r in one]))

    processed = [utils.default_process(n) for n in names]
    start = time.perf_counter()
    answers = []
    for q in processed:
        hit = process.extractOne(q, choices, scorer=SCORER, score_cutoff=cutoff)
        answers.append(owners[hit[2]] if hit else None)
    rows.append(
        (f"rapidfuzz extractOne JW (one thread, cutoff {cutoff:g})", (time.perf_counter() - start) / len(names), answers)
    )

    # cdist holds a queries x names matrix: in slices of queries, so that
    # a million names do not need gigabytes.
    start = time.perf_counter()
    answers = []
    step = max(1, 20_000_000 // max(1, len(choices)))
    for i in range(0, len(processed), step):
        m = process.cdist(processed[i : i + step], choices, scorer=SCORER, dtype=np.float32, workers=-1)
        best = m.argmax(axis=1)
        for row, j in enumerate(best):
            answers.append(owners[j] if m[row, j] >= cutoff else None)
    rows.append(("rapidfuzz cdist JW (all cores)", (time.perf_counter() - start) / len(names), answers))

    print(f"{folder}: {len(choices):,} names, {len(names):,} queries; canonym build {build:.2f} s (from Python)")
    print(f"{'engine':52} {'per query':>11} {'x batch':>8} {'accuracy':>8} {'false acc':>9}")
    for name, per_query, answers in rows:
        accuracy, false_accept = measures(queries, answers)
        print(
            f"{name:52} {per_query * 1e6:>9.1f}us {per_query / batch_s:>8.1f} {accuracy:>8.3f} {false_accept:>9.3f}"
        )


if __name__ == "__main__":
    if not sys.argv[1:]:
        sys.exit(__doc__)
    main(sys.argv[1:])
