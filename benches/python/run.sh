#!/usr/bin/env bash
# The Python package against rapidfuzz (extractOne and cdist) in one
# process: benches/python/bench.py on generated tables of 10k and 100k
# aliases (examples/compare.rs, as benches/compare/run.sh), or on any DIR
# holding table.csv and queries.tsv.
#
#   benches/python/run.sh                 # 10k and 100k generated aliases
#   benches/python/run.sh DIR [QUERIES]   # a table of your own
#
# Uses the virtualenv of scripts/test (target/py; run that first), adding
# rapidfuzz (the same version as benches/compare) and numpy.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/py
[ -x "$venv/bin/python" ] || { echo "run scripts/test first (it makes $venv with the wheel)" >&2; exit 1; }
"$venv/bin/pip" install --quiet --disable-pip-version-check rapidfuzz==3.14.6 numpy
if [ $# -gt 0 ]; then
    "$venv/bin/python" benches/python/bench.py "$@"
    exit
fi
cargo build --quiet --release --example compare
for n in 10000 100000; do
    dir=target/compare/$n
    [ -f "$dir/queries.tsv" ] || ./target/release/examples/compare "$n" 1000 "$dir" > /dev/null
    "$venv/bin/python" benches/python/bench.py "$dir" 1000
done
