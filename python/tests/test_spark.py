"""The Spark example on local[2] gives what the CLI gives on the same input.

Thousands of names and a thousand short articles, made here from the
default table's own names (respelled by a seeded generator) and sentences
of our own. Runs when pyspark is installed; `scripts/test` installs it and
sets CANONYM_REQUIRE_SPARK=1, so that there a missing Spark fails instead
of skipping.
"""

import csv
import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

if os.environ.get("CANONYM_REQUIRE_SPARK") != "1":
    pytest.importorskip("pyspark")
    pytest.importorskip("pyarrow")



def _example():
    path = REPO / "python" / "examples" / "spark_job.py"
    spec = importlib.util.spec_from_file_location("spark_job", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cli() -> str:
    cli = os.environ.get("CANONYM_CLI") or str(REPO / "target" / "release" / "canonym")
    if not Path(cli).exists():
        if shutil.which("cargo") is None:
            pytest.skip("no canonym CLI and no cargo to build it")
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    return cli


def _table_names():
    with open(REPO / "data" / "default.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    names = []
    for row in rows:
        names.append(row["canonical"])
        names.extend(a for a in row.get("aliases", "").split("|") if a)
    return names


def _respell(rng: random.Random, name: str) -> str:
    """One edit a copy desk sees: a letter dropped, doubled, swapped or
    replaced by a vowel, or two parts run together."""
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if not letters:
        return name
    i = rng.choice(letters)
    kind = rng.randrange(5)
    if kind == 0 and len(letters) > 4:
        return name[:i] + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i] + name[i:]
    if kind == 2 and i + 1 < len(name) and name[i + 1].isalpha():
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == 3 and " " in name:
        return name.replace(" ", "", 1)
    return name[:i] + rng.choice("aeiouy") + name[i + 1 :]


SYLLABLES = ["ka", "lo", "mir", "zan", "te", "rud", "vi", "sha", "nor", "pel", "qu", "bex"]

SENTENCES = [
    "{a} met {b} on Tuesday to discuss the border.",
    "Officials said {a} would travel next week.",
    "In a statement, {a} rejected the report.",
    "The talks between {a} and {b} ended without a deal.",
    "Reporters waited outside as {a} arrived.",
    "{a} told the committee that the figures were wrong.",
    "According to {b}, the plan was delayed again.",
    "Both sides praised {a} for the ceasefire.",
]


def _inputs(seed: int = 20261129):
    rng = random.Random(seed)
    table = _table_names()
    names = []
    for _ in range(3000):
        pick = rng.random()
        name = rng.choice(table)
        if pick < 0.3:
            names.append(name)
        elif pick < 0.85:
            names.append(_respell(rng, name))
        else:
            parts = rng.randrange(1, 3)
            names.append(
                " ".join(
                    "".join(rng.choice(SYLLABLES) for _ in range(rng.randrange(2, 4))).title()
                    for _ in range(parts)
                )
            )
    names = [n for n in names if n.strip() == n and n]
    texts = []
    for _ in range(1000):
        sentences = []
        for _ in range(rng.randrange(2, 5)):
            a, b = rng.choice(table), rng.choice(table)
            if rng.random() < 0.5:
                a = _respell(rng, a)
            sentences.append(rng.choice(SENTENCES).format(a=a, b=b))
        texts.append(" ".join(sentences))
    return names, texts


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    """The example job run once on local[2]: its inputs and its output."""
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    names, texts = _inputs()
    root = tmp_path_factory.mktemp("spark")
    (root / "names.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
    articles = root / "articles"
    articles.mkdir()
    for i, text in enumerate(texts):
        (articles / f"doc{i:04}.txt").write_text(text, encoding="utf-8")
    out = root / "out"
    _example().main(
        [
            "--master",
            "local[2]",
            "--names",
            str(root / "names.txt"),
            "--articles",
            str(articles),
            "--out",
            str(out),
        ]
    )
    return names, articles, out


def _read_json_lines(folder: Path):
    rows = []
    for part in sorted(folder.glob("part-*.json")):
        rows.extend(json.loads(line) for line in part.read_text(encoding="utf-8").splitlines())
    return rows


def test_spark_resolve_equals_cli(job):
    names, _, out = job
    assert len(names) > 2900
    got = _read_json_lines(out / "resolved")

    cli = subprocess.run(
        [_cli(), "resolve", "--json"],
        input="\n".join(names) + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cli = [json.loads(line) for line in cli.splitlines()]
    assert len(cli) == len(names)
    want = sorted(
        (c["input"], c["status"], c["id"] or "", c["canonical"] or "", round(c["score"], 4))
        for c in cli
    )
    have = sorted(
        (
            g["name"],
            g["status"],
            g.get("id") or "",
            g.get("canonical") or "",
            round(g["confidence"], 4),
        )
        for g in got
    )
    assert have == want
    # The input is not all of one kind: every status occurs.
    assert {w[1] for w in want} >= {"exact", "alias", "fuzzy", "unknown"}


def test_spark_check_equals_cli(job):
    _, articles, out = job
    got = _read_json_lines(out / "checked")

    files = sorted(str(p) for p in articles.glob("*.txt"))
    run = subprocess.run([_cli(), "check", "--json", *files], capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    cli = [json.loads(line) for line in run.stdout.splitlines()]
    want = sorted(
        (
            Path(c["path"]).stem,
            c["start"],
            c["end"],
            c["found"],
            c["replacement"] or "",
            c["status"],
            c["id"] or "",
            round(c["score"], 4),
        )
        for c in cli
    )
    have = sorted(
        (
            Path(g["doc_id"]).stem,
            g["start"],
            g["end"],
            g["found"],
            g.get("replacement") or "",
            g["status"],
            g.get("id") or "",
            round(g["confidence"], 4),
        )
        for g in got
    )
    assert len(want) > 200, "too few reports to compare"
    assert have == want
    # Character offsets index the text.
    for g in got:
        text = (articles / (Path(g["doc_id"]).stem + ".txt")).read_text(encoding="utf-8")
        assert text[g["char_start"] : g["char_end"]] == g["found"]
