"""canonym on Spark DataFrames: resolve a column of names, check a column
of texts (``mapInPandas``; needs pyspark, pandas and pyarrow)::

    from canonym.spark import resolve_column, check_column

    resolved = resolve_column(df, "name", tables=["newsroom.csv"])
    reports = check_column(articles, "doc_id", "text", tables=["newsroom.csv"])

The resolver is built once per Python worker process (``_resolver`` is
cached in this module, which workers import, and Spark reuses its Python
workers from task to task), never per row or per batch; the work inside a
batch runs in Rust with the GIL released. A table path that does not exist
on a worker is looked up as a file shipped with ``spark-submit --files``.
``python/examples/spark_job.py`` in the repository is a whole job.
"""

import os
from functools import lru_cache
from typing import Iterator, Optional, Sequence

import pandas as pd

import canonym

__all__ = ["resolve_column", "check_column", "RESOLVED_SCHEMA", "CHECKED_SCHEMA"]

RESOLVED_SCHEMA = (
    "name string, status string, id string, canonical string, "
    "match string, confidence double"
)
CHECKED_SCHEMA = (
    "doc_id string, start long, end long, char_start long, char_end long, "
    "found string, replacement string, status string, id string, "
    "canonical string, confidence double, by_context boolean"
)


@lru_cache(maxsize=None)
def _resolver(tables: tuple, default: Optional[bool]):
    """The resolver of this Python worker process, built on first use.

    A table path that does not exist here is taken as a file shipped with
    ``--files`` (or ``SparkContext.addFile``) and found through SparkFiles.
    """
    paths = []
    for path in tables:
        if not os.path.exists(path):
            from pyspark import SparkFiles

            path = SparkFiles.get(os.path.basename(path))
        paths.append(path)
    return canonym.Resolver(paths, default=default)


def resolve_column(df, column: str, tables: Sequence[str] = (), default=None):
    """A DataFrame of RESOLVED_SCHEMA: each non-null value of ``column``
    and what it resolves to (``status``, ``id``, ``canonical``, ``match``,
    ``confidence``), in the partitions' order."""
    tables = tuple(str(t) for t in tables)

    def resolve(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        resolver = _resolver(tables, default)
        for batch in batches:
            names = [n for n in batch[column].tolist() if isinstance(n, str)]
            found = resolver.resolve_batch(names)
            yield pd.DataFrame(
                {
                    "name": names,
                    "status": [r.status for r in found],
                    "id": [r.id for r in found],
                    "canonical": [r.canonical for r in found],
                    "match": [r.match for r in found],
                    "confidence": [r.confidence for r in found],
                },
                columns=RESOLVED_SCHEMA_COLUMNS,
            )

    return df.select(column).mapInPandas(resolve, RESOLVED_SCHEMA)


def check_column(df, id_column: str, text_column: str, tables: Sequence[str] = (), default=None):
    """A DataFrame of CHECKED_SCHEMA: one row per report of ``canonym
    check`` (a spelling to fix, or an ambiguous misspelling) in each
    document's text, with byte and character offsets."""
    tables = tuple(str(t) for t in tables)

    def check(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        resolver = _resolver(tables, default)
        for batch in batches:
            rows = []
            for doc_id, text in zip(batch[id_column].tolist(), batch[text_column].tolist()):
                if not isinstance(text, str):
                    continue
                for m in resolver.check(text):
                    r = m.resolution
                    rows.append(
                        (
                            str(doc_id),
                            m.start,
                            m.end,
                            m.char_start,
                            m.char_end,
                            m.surface,
                            m.replacement,
                            m.status,
                            r.id,
                            r.canonical,
                            r.confidence,
                            m.by_context,
                        )
                    )
            yield pd.DataFrame(rows, columns=CHECKED_SCHEMA_COLUMNS)

    return df.select(id_column, text_column).mapInPandas(check, CHECKED_SCHEMA)


RESOLVED_SCHEMA_COLUMNS = [f.split()[0] for f in RESOLVED_SCHEMA.split(", ")]
CHECKED_SCHEMA_COLUMNS = [f.split()[0] for f in CHECKED_SCHEMA.split(", ")]
