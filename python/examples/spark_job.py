"""canonym on Spark: resolve a column of names, check a column of articles.

The work is ``canonym.spark``'s (shipped in the wheel, so that workers
import it): the resolver is built once per Python worker process, never per
row or per batch, and the work inside a batch runs in Rust with the GIL
released.

On one machine::

    python python/examples/spark_job.py --master "local[2]" \\
        --names names.txt --articles articles/ --out out/

On a cluster, ship the table with the job and name it by its file name;
workers find their copy with ``SparkFiles``::

    spark-submit --files newsroom.csv python/examples/spark_job.py \\
        --table newsroom.csv --names hdfs:///names.txt \\
        --articles hdfs:///articles/ --out hdfs:///canonym-out/

(The workers need the ``canonym`` wheel installed, or shipped with
``--py-files``/a packed virtualenv, as for any Python dependency.)
"""

import argparse
import os

from canonym.spark import check_column, resolve_column


def main(argv=None) -> None:
    from pyspark.sql import SparkSession

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--master", help="e.g. local[2]; spark-submit sets it otherwise")
    p.add_argument("--table", action="append", default=[], help="a table (.csv, .json, .toml); repeatable")
    p.add_argument("--default", action="store_true", help="also the embedded default table")
    p.add_argument("--names", help="a text file of names, one per line")
    p.add_argument("--articles", help="a folder of article text files")
    p.add_argument("--out", required=True, help="output folder (JSON lines)")
    args = p.parse_args(argv)

    builder = SparkSession.builder.appName("canonym")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    default = True if args.default else None
    if args.names:
        names = spark.read.text(args.names).withColumnRenamed("value", "name")
        resolve_column(names, "name", args.table, default).write.mode("overwrite").json(
            os.path.join(args.out, "resolved")
        )
    if args.articles:
        texts = spark.sparkContext.wholeTextFiles(args.articles).toDF(["doc_id", "text"])
        check_column(texts, "doc_id", "text", args.table, default).write.mode("overwrite").json(
            os.path.join(args.out, "checked")
        )
    spark.stop()


if __name__ == "__main__":
    main()
