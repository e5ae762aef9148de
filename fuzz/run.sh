#!/usr/bin/env bash
# A fuzz campaign of one target: fuzz/run.sh TARGET SECONDS [OUT]
#
# Builds the targets with cargo-afl (installed if missing), fuzzes TARGET
# from its seeds in fuzz/corpus/TARGET for SECONDS, prints the campaign's
# figures and fails if it found a crash or a hang. Findings are kept in
# OUT (default target/fuzz/TARGET; AFL_* variables pass through): replay one with
#   cargo run --release -p canonym-fuzz --bin replay -- TARGET FILE
# and, once fixed, copy it to tests/fuzz_regressions/TARGET/ so that
# `cargo test` keeps it fixed.
set -euo pipefail

target=${1:?usage: fuzz/run.sh TARGET SECONDS [OUT]}
seconds=${2:?usage: fuzz/run.sh TARGET SECONDS [OUT]}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${3:-$root/target/fuzz/$target}

if ! cargo afl --version >/dev/null 2>&1; then
    # Builds AFL++ too (about a minute).
    cargo install --locked cargo-afl
fi
if [ ! -d "$root/fuzz/corpus/$target" ]; then
    echo "no target $target (fuzz/corpus has: $(ls "$root/fuzz/corpus"))" >&2
    exit 2
fi
# Instrumented builds in a target directory of their own, so that they
# and the plain ones do not rebuild each other.
export CARGO_TARGET_DIR=$root/target/afl
(cd "$root/fuzz" && cargo afl build --release --quiet --bin "$target")

rm -rf "$out"
mkdir -p "$out"
# No UI, no CPU governor check (CI machines do not let us set it), no core
# pattern check (containers cannot change it); -V stops after SECONDS.
AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    cargo afl fuzz -i "$root/fuzz/corpus/$target" -o "$out" \
    -x "$root/fuzz/names.dict" -V "$seconds" \
    "$CARGO_TARGET_DIR/release/$target" >"$out/afl.log" 2>&1 || {
    tail -20 "$out/afl.log" >&2
    exit 1
}

stats=$out/default/fuzzer_stats
field() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
crashes=$(field saved_crashes)
hangs=$(field saved_hangs)
echo "$target: $(field execs_done) execs, $(field execs_per_sec) exec/s," \
    "coverage $(field bitmap_cvg), corpus $(field corpus_count)," \
    "crashes $crashes, hangs $hangs, $(field run_time) s"
if [ "$crashes" != 0 ] || [ "$hangs" != 0 ]; then
    echo "$target: findings in $out/default/crashes and $out/default/hangs" >&2
    exit 1
fi
