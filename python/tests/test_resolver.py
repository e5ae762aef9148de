"""The Python package's contract: answers, offsets, errors, pickling, threads.

Fixtures are our own writing; the Rust tests cover matching quality, these
cover what the binding adds (types, offsets, exceptions, GIL release).
"""

import doctest
import pickle
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import canonym


@pytest.fixture(scope="module")
def default():
    return canonym.Resolver()


@pytest.fixture(scope="module")
def small():
    return canonym.Resolver.from_records(
        [
            {"id": "araghchi", "canonical": "Abbas Araghchi", "kind": "person"},
            {"id": "kyiv", "canonical": "Kyiv", "kind": "place", "aliases": ["Kiev"]},
            {"id": "khorramshahr-4", "canonical": "Khorramshahr-4", "kind": "missile"},
        ]
    )


def test_resolve_fields(default):
    r = default.resolve("Aragushi")
    assert isinstance(r, canonym.Resolution)
    assert (r.status, r.id, r.canonical, r.kind) == (
        "fuzzy",
        "abbas-araghchi",
        "Abbas Araghchi",
        "person",
    )
    assert r.match == "fuzzy" and r.matched == "Abbas Araghchi"
    assert r.query == "Aragushi"
    assert r.resolved
    assert default.threshold <= r.confidence <= 1.0
    assert r.score == r.confidence
    assert r.best.id == "abbas-araghchi" and 0.0 < r.best.score < 1.0
    assert r.explanation is None
    assert r.candidates == []


def test_exact_alias_ambiguous_unknown(default):
    assert default.resolve("Kyiv").status == "exact"
    kiev = default.resolve("Kiev")
    assert (kiev.status, kiev.id, kiev.confidence) == ("alias", "kyiv", 1.0)
    saeed = default.resolve("Saeed")
    assert saeed.status == "ambiguous"
    assert saeed.id is None and not saeed.resolved
    assert len(saeed.candidates) >= 2
    assert all(isinstance(c, canonym.Candidate) for c in saeed.candidates)
    unknown = default.resolve("Zzyzx Qwertyuiop")
    assert unknown.status == "unknown" and unknown.id is None


def test_explain(default):
    r = default.resolve("Araguchi", explain=True)
    e = r.explanation
    assert isinstance(e, canonym.Explanation)
    assert e.parts[0].name == "araghchi"
    assert all(isinstance(op, str) and cost >= 0 for op, cost in e.parts[0].edits)
    assert "Araguchi" in repr(r)


def test_floats_are_the_shortest_decimal(small):
    # 1.0 and the thresholds print as the CLI prints them.
    assert small.resolve("Kyiv").confidence == 1.0
    assert repr(small.threshold) == repr(round(small.threshold, 6))


def test_resolve_batch_is_resolve_in_order(default):
    names = ["Kiev", "Aragushi", "Saeed", "nobody at all", "", "Yadol Javani"] * 50
    batch = default.resolve_batch(names)
    assert len(batch) == len(names)
    for name, r in zip(names, batch):
        one = default.resolve(name)
        assert (r.query, r.status, r.id, r.confidence) == (
            one.query,
            one.status,
            one.id,
            one.confidence,
        )
    # Any iterable of str, a generator too.
    assert [r.id for r in default.resolve_batch(n for n in ["Kiev"])] == ["kyiv"]
    assert default.resolve_batch([]) == []


def test_resolve_batch_rejects_non_str(default):
    with pytest.raises(TypeError, match=r"names\[1\]"):
        default.resolve_batch(["Kiev", 3])
    with pytest.raises(TypeError, match="one str"):
        default.resolve_batch("Kiev")
    with pytest.raises(TypeError):
        default.resolve(None)


def test_scan_offsets_bytes_and_chars(default):
    text = "Ünïcödé first: Abbas Aragushi flew from Kiev to Kyiv. Aragushi's aide left."
    found = default.scan(text)
    assert [m.surface for m in found] == ["Abbas Aragushi", "Kiev", "Kyiv", "Aragushi"]
    raw = text.encode("utf-8")
    for m in found:
        assert isinstance(m, canonym.Mention)
        assert text[m.char_start : m.char_end] == m.surface
        assert raw[m.start : m.end].decode("utf-8") == m.surface
    assert found[0].char_start != found[0].start  # the accents before it
    assert found[0].replacement == "Abbas Araghchi"
    assert found[1].replacement == "Kyiv" and found[1].id == "kyiv"
    assert found[2].replacement is None
    assert found[3].replacement == "Araghchi"
    assert found[0].resolution.id == "abbas-araghchi"
    assert found[0].canonical == "Abbas Araghchi"
    assert found[0].status == "finding"


def test_findings_check_and_fix(default):
    text = "Abbas Aragushi flew from Kiev to Kyiv."
    assert [m.surface for m in default.findings(text)] == ["Abbas Aragushi", "Kiev"]
    assert [m.surface for m in default.check(text)] == ["Abbas Aragushi", "Kiev"]
    fixed = default.fix(text)
    assert fixed == "Abbas Araghchi flew from Kyiv to Kyiv."
    assert default.check(fixed) == []


def test_any_str_is_valid_input(default):
    for s in ["", " ", "\x00", "\ud800", "a\udfffb Aragushi", "🙂" * 100, "x" * 100_000]:
        default.resolve(s)
        default.scan(s)
        default.check(s)
        assert isinstance(default.fix(s), str)
    # A lone surrogate counts as one character: offsets stay right.
    text = "\ud800 Abbas Aragushi"
    m = default.scan(text)[0]
    assert text[m.char_start : m.char_end] == "Abbas Aragushi"
    # Nothing to fix: the very text comes back, surrogate and all.
    assert default.fix("\ud800 nothing here") == "\ud800 nothing here"


def test_tables_from_files(tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("id,canonical,kind,aliases\nkyjiw,Kyiv,place,Kiev|Kyjiw\n")
    toml = tmp_path / "t.toml"
    toml.write_text('[[entity]]\nid = "x"\ncanonical = "Abbas Araghchi"\n')
    r = canonym.Resolver([csv, str(toml)])
    assert len(r) == 2
    assert r.resolve("Kiev").id == "kyjiw"
    # One path alone, as str or PathLike.
    assert len(canonym.Resolver(csv)) == 1
    assert len(canonym.Resolver(str(csv))) == 1
    # default=True adds the embedded table.
    assert len(canonym.Resolver(csv, default=True)) > len(canonym.Resolver(csv)) + 100
    assert len(canonym.Resolver(default=False)) == 0


def test_bad_table_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,canonical\na,Alpha\nb,Beta\na,Again\n")
    with pytest.raises(canonym.TableError) as e:
        canonym.Resolver(bad)
    assert e.value.path == str(bad) and e.value.line == 4
    assert f"{bad}:4:" in str(e.value)
    assert isinstance(e.value, canonym.CanonymError)

    with pytest.raises(FileNotFoundError) as e:
        canonym.Resolver(tmp_path / "missing.csv")
    assert e.value.filename == tmp_path / "missing.csv"

    unknown = tmp_path / "t.yaml"
    unknown.write_text("x")
    with pytest.raises(canonym.TableError, match="unknown table format"):
        canonym.Resolver(unknown)

    twice = tmp_path / "twice.csv"
    twice.write_text("id,canonical\nkyiv,Kyiv\n")
    with pytest.raises(canonym.TableError, match="already defined") as e:
        canonym.Resolver(twice, default=True)
    assert e.value.path == str(twice) and e.value.line is None


def test_bad_records_and_settings():
    with pytest.raises(canonym.TableError) as e:
        canonym.Resolver.from_records([{"id": "a", "canonical": "A"}, {"id": "b"}])
    assert e.value.line == 2 and e.value.path is None
    with pytest.raises(canonym.TableError, match="duplicate id"):
        canonym.Resolver.from_records(
            [{"id": "a", "canonical": "A"}, {"id": "a", "canonical": "B"}]
        )
    with pytest.raises(canonym.TableError, match="empty"):
        canonym.Resolver.from_records([{"id": "a", "canonical": "  "}])
    with pytest.raises(TypeError, match="aliases"):
        canonym.Resolver.from_records([{"id": "a", "canonical": "A", "aliases": "B"}])
    with pytest.raises(TypeError, match="kind"):
        canonym.Resolver.from_records([{"id": "a", "canonical": "A", "kind": 3}])
    with pytest.raises(ValueError, match="threshold"):
        canonym.Resolver(threshold=1.5)
    with pytest.raises(ValueError, match="margin"):
        canonym.Resolver(margin=-1)
    with pytest.raises(TypeError):
        canonym.Resolver(3)


def test_settings_apply(small):
    strict = canonym.Resolver.from_records(
        [{"id": "araghchi", "canonical": "Abbas Araghchi"}], threshold=1.0
    )
    assert strict.threshold == 1.0
    assert strict.resolve("Aragushi").status != "fuzzy"
    assert small.resolve("Aragushi").id == "araghchi"


def test_pickle_round_trip(small, default):
    for r in [small, default, canonym.Resolver.from_records([], threshold=0.9, margin=0.2)]:
        again = pickle.loads(pickle.dumps(r))
        assert isinstance(again, canonym.Resolver)
        assert len(again) == len(r)
        assert (again.threshold, again.margin) == (r.threshold, r.margin)
    again = pickle.loads(pickle.dumps(default))
    for name in ["Aragushi", "Kiev", "Saeed", "Yadol Javani", "nobody"]:
        a, b = default.resolve(name), again.resolve(name)
        assert (a.status, a.id, a.confidence) == (b.status, b.id, b.confidence)


def test_threads_share_one_resolver(default):
    names = ["Aragushi", "Kiev", "Khorram Shahr-4", "Yadol Javani", "nobody"] * 40
    expected = [(r.status, r.id) for r in default.resolve_batch(names)]

    def work(_):
        return [(r.status, r.id) for r in map(default.resolve, names)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(work, range(8)))
    assert all(r == expected for r in results)


def test_resolve_releases_the_gil(default):
    # While one thread is inside a long batch, another thread runs Python.
    # Were the GIL held, the other thread could run only at the edges of
    # the call (before it takes the GIL back), never well inside it.
    names = ["Aragushi Khorram Shahr Javani", "Mohammad Bagher Ghalibaf"] * 4000
    seen = []
    done = threading.Event()

    def clock():
        while not done.is_set():
            seen.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=clock)
    t.start()
    try:
        start = time.perf_counter()
        default.resolve_batch(names)
        end = time.perf_counter()
    finally:
        done.set()
        t.join()
    assert end - start > 0.1, "the batch is too short to tell"
    inside = [x for x in seen if start + 0.03 < x < end - 0.03]
    assert inside, f"no Python ran during a {end - start:.2f} s batch"


def test_results_are_immutable(default):
    r = default.resolve("Kiev")
    with pytest.raises(AttributeError):
        r.id = "other"
    assert canonym.__version__


def test_docstring_examples_run():
    failed, tried = doctest.testmod(canonym)
    assert tried > 0 and failed == 0
