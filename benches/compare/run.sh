#!/usr/bin/env bash
# Side by side: canonym and rapidfuzz's process.extractOne (rapidfuzz==3.14.6,
# Jaro-Winkler and WRatio, each with a cutoff tuned on a separate sample) on
# the same generated table and queries (typos no rewrite rule of canonym
# undoes: see gen::typo), one query at a time on one thread. Prints time per query, the
# ratio to canonym, and the accuracy / false accepts of each.
#
#   benches/compare/run.sh              # 10k and 100k aliases
#   benches/compare/run.sh 1000000      # any sizes
#   benches/compare/run.sh DIR          # DIR/table.csv, DIR/queries.tsv (query<TAB>gold id)
#
# A DIR's first $QUERIES queries are measured (100 unless set); the
# peer's cutoff is tuned on DIR/tune.tsv, or on up to 300 of the queries
# after those.
#
# Makes a Python venv in target/compare-venv on first use (PyPI needed).
set -euo pipefail
cd "$(dirname "$0")/../.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)

venv=target/compare-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import rapidfuzz' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet rapidfuzz==3.14.6
fi
cargo build --quiet --release --example compare

for n in "${sizes[@]}"; do
    if [ -d "$n" ]; then
        dir=target/compare/$(basename "$n")
        queries=${QUERIES:-100} exhaustive=10
        ./target/release/examples/compare --from "$n" "$queries" "$dir" --exhaustive "$exhaustive" > /dev/null
    else
        dir=target/compare/$n
        # Fewer queries where rapidfuzz takes long; WRatio is about six times
        # slower than Jaro-Winkler, so it gets a fifth of them.
        if [ "$n" -ge 1000000 ]; then queries=100 exhaustive=10
        elif [ "$n" -ge 100000 ]; then queries=300 exhaustive=100
        else queries=1000 exhaustive=200; fi
        ./target/release/examples/compare "$n" "$queries" "$dir" --exhaustive "$exhaustive" > /dev/null
    fi
    # The peer's cutoffs are tuned on a separate sample (tune.tsv), on the
    # same criterion for both scorers: the best accuracy - false accepts.
    jw_cut=$("$venv/bin/python" benches/compare/compare.py tune "$dir" JaroWinkler)
    wr_cut=$("$venv/bin/python" benches/compare/compare.py tune "$dir" WRatio $((queries / 5)))
    "$venv/bin/python" benches/compare/compare.py run "$dir" JaroWinkler "$jw_cut" > "$dir/jw.json"
    "$venv/bin/python" benches/compare/compare.py run "$dir" WRatio "$wr_cut" $((queries / 5)) > "$dir/wratio.json"
    "$venv/bin/python" benches/compare/compare.py report "$dir"
done
