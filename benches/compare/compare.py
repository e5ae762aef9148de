"""rapidfuzz's half of benches/compare/run.sh, and its report.

usage: python compare.py tune DIR SCORER [MAX_QUERIES]
       python compare.py run DIR SCORER CUTOFF [MAX_QUERIES]
       python compare.py report DIR

Reads DIR/table.csv and DIR/queries.tsv (written by examples/compare.rs),
runs process.extractOne for every query over all table names (canonical
and aliases, lowercased once up front, as a pipeline would), and prints one
JSON line: per-query timing and the accuracy / false-accept measures of
translit-score. SCORER is JaroWinkler or WRatio; a query counts as
resolved when extractOne returns a choice at or above CUTOFF. `tune`
prints the CUTOFF with the best accuracy - false accepts on DIR/tune.tsv,
a sample apart from the measured queries.
"""

import csv
import json
import sys
import time

from rapidfuzz import distance, fuzz, process, utils


def read_queries(path):
    queries = []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            query, gold = line.rstrip("\n").split("\t")[:2]
            queries.append((query, gold or None))
    return queries


def read_choices(folder):
    choices, owners = [], []
    with open(f"{folder}/table.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names = [row["canonical"]] + [a for a in (row.get("aliases") or "").split("|") if a]
            for name in names:
                choices.append(utils.default_process(name))
                owners.append(row["id"])
    return choices, owners


SCORERS = {"JaroWinkler": distance.JaroWinkler.normalized_similarity, "WRatio": fuzz.WRatio}


def tune(argv):
    """Prints the cutoff with the best accuracy - false accepts on
    DIR/tune.tsv (a sample apart from the measured queries)."""
    folder, scorer_name = argv[0], argv[1]
    limit = int(argv[2]) if len(argv) > 2 else None
    choices, owners = read_choices(folder)
    queries = read_queries(f"{folder}/tune.tsv")[:limit]
    scorer = SCORERS[scorer_name]
    best = []
    for query, gold in queries:
        hit = process.extractOne(utils.default_process(query), choices, scorer=scorer)
        best.append((hit[1], owners[hit[2]], gold) if hit else (0.0, None, gold))
    pos = sum(1 for *_, g in best if g) or 1
    neg = sum(1 for *_, g in best if not g) or 1
    top = max(s for s, *_ in best) if best else 1.0
    grid = [top * i / 100 for i in range(50, 101)]

    def gain(cut):
        right = sum(1 for s, a, g in best if g and s >= cut and a == g)
        fa = sum(1 for s, a, g in best if not g and s >= cut)
        return right / pos - fa / neg

    print(f"{max(grid, key=gain):.4f}")


def run(argv):
    folder, scorer_name, cutoff = argv[0], argv[1], float(argv[2])
    limit = int(argv[3]) if len(argv) > 3 else None
    choices, owners = read_choices(folder)
    queries = read_queries(f"{folder}/queries.tsv")
    if limit:
        queries = queries[:limit]
    scorer = SCORERS[scorer_name]
    for query, _ in queries[:5]:  # warm-up
        process.extractOne(utils.default_process(query), choices, scorer=scorer, score_cutoff=cutoff)
    times, answers = [], []
    for query, _ in queries:
        start = time.perf_counter()
        hit = process.extractOne(
            utils.default_process(query), choices, scorer=scorer, score_cutoff=cutoff
        )
        times.append(time.perf_counter() - start)
        answers.append(owners[hit[2]] if hit else None)
    positives = [(g, a) for (_, g), a in zip(queries, answers) if g]
    negatives = [a for (_, g), a in zip(queries, answers) if not g]
    times.sort()
    print(
        json.dumps(
            {
                "scorer": scorer_name,
                "cutoff": cutoff,
                "queries": len(queries),
                "mean_s": sum(times) / len(times),
                "p50_s": times[len(times) // 2],
                "p99_s": times[min(len(times) - 1, round((len(times) - 1) * 0.99))],
                "accuracy": sum(g == a for g, a in positives) / max(1, len(positives)),
                "false_accept": sum(a is not None for a in negatives) / max(1, len(negatives)),
            }
        )
    )


def report(folder):
    """Prints one table row per engine with its time per query relative to
    canonym's (read from DIR/canonym.json, DIR/jw.json, DIR/wratio.json)."""
    with open(f"{folder}/canonym.json") as f:
        ours = json.load(f)
    rows = [("canonym", ours)]
    for name, file in [("rapidfuzz JaroWinkler", "jw.json"), ("rapidfuzz WRatio", "wratio.json")]:
        try:
            with open(f"{folder}/{file}") as f:
                theirs = json.load(f)
            rows.append((f"{name} (cutoff {theirs['cutoff']:g})", theirs))
        except FileNotFoundError:
            pass
    print(f"\n{ours['aliases']:,} aliases, canonym build {ours['build_s']:.2f} s")
    print(f"{'engine':34} {'queries':>7} {'mean':>10} {'p50':>10} {'p99':>10} {'x canonym':>9} {'accuracy':>8} {'false acc':>9}")
    for name, r in rows:
        print(
            f"{name:34} {r['queries']:>7} {r['mean_s'] * 1e6:>8.1f}us {r['p50_s'] * 1e6:>8.1f}us "
            f"{r['p99_s'] * 1e6:>8.1f}us {r['mean_s'] / ours['mean_s']:>9.1f} {r['accuracy']:>8.3f} {r['false_accept']:>9.3f}"
        )
    if ours["exhaustive_checked"]:
        print(
            f"index recall: {ours['exhaustive_agree']} of {ours['exhaustive_checked']} queries "
            "answered as by the exhaustive search"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["tune"]:
        tune(sys.argv[2:])
    elif sys.argv[1:2] == ["run"]:
        run(sys.argv[2:])
    elif sys.argv[1:2] == ["report"]:
        report(sys.argv[2])
    else:
        sys.exit(__doc__)
