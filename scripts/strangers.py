#!/usr/bin/env python3
"""Make a split of strangers from a table and its queries, for false accepts.

Takes the queries FROM..TO of SRC/queries.tsv (query<TAB>gold id), removes
their gold entities from SRC/table.csv (id first, header line first), and
writes OUT/table.csv and OUT/queries.tsv: those queries with an empty gold
(the right answer is unknown: their people are gone, but their given and
family names are still spelled by other people of the table), followed by
the KNOWN queries after TO with their gold kept (the tuning sample
`examples/compare --from` takes after the measured ones).

    python3 scripts/strangers.py target/scale-dev target/sd-strangers
    RAYON_NUM_THREADS=1 cargo run --release --example compare -- \
        --from target/sd-strangers 2000 target/compare/sd-strangers

The default range is scale-dev's queries 4,000-5,999, which the usual
measures (its first 4,000) do not read.
"""
import argparse
import csv
import os
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", help="folder with table.csv and queries.tsv")
    ap.add_argument("out", help="folder to write the strangers' split to")
    ap.add_argument("--from", dest="start", type=int, default=4000)
    ap.add_argument("--to", dest="end", type=int, default=6000)
    ap.add_argument("--known", type=int, default=300)
    args = ap.parse_args()

    with open(os.path.join(args.src, "queries.tsv"), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    if not 0 <= args.start < args.end <= len(rows):
        sys.exit(f"--from/--to must lie within the {len(rows)} queries")
    strangers = rows[args.start : args.end]
    gone = {r[1] for r in strangers if len(r) > 1 and r[1]}
    if len(gone) < len(strangers):
        sys.exit("every query in the range needs a gold id")
    after = rows[args.end : args.end + args.known]
    known = [r for r in after if len(r) > 1 and r[1] and r[1] not in gone]

    os.makedirs(args.out, exist_ok=True)
    removed = 0
    src_table = os.path.join(args.src, "table.csv")
    with open(src_table, encoding="utf-8", newline="") as f, open(
        os.path.join(args.out, "table.csv"), "w", encoding="utf-8", newline=""
    ) as out:
        reader, writer = csv.reader(f), csv.writer(out, lineterminator="\n")
        writer.writerow(next(reader))
        for record in reader:
            if record and record[0] in gone:
                removed += 1
                continue
            writer.writerow(record)
    if removed < len(gone):
        sys.exit(f"{src_table}: {len(gone) - removed} gold ids of the range are not in the table")
    with open(os.path.join(args.out, "queries.tsv"), "w", encoding="utf-8") as out:
        out.write("query\tgold_id\n")
        for r in strangers:
            out.write(f"{r[0]}\t\n")
        for r in known:
            out.write(f"{r[0]}\t{r[1]}\n")
    print(f"{removed} entities removed; {len(strangers)} strangers, {len(known)} known queries after them")


if __name__ == "__main__":
    main()
