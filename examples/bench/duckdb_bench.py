"""Runs the benchmark policy's SQL twin (duckdb.sql) in DuckDB.

    pip install duckdb
    python3 examples/bench/duckdb_bench.py ROSTER RECORDS OUTPUT [THREADS]

Time it as a whole process (`/usr/bin/time -v python3 …`) next to
`tally eval examples/bench/bench.policy --roster ROSTER --records RECORDS --format csv --output OUT`.
`compare.py` checks that both wrote the same scores.
"""
import pathlib
import sys

import duckdb


def main() -> None:
    roster, records, output = sys.argv[1:4]
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    sql = (pathlib.Path(__file__).parent / "duckdb.sql").read_text(encoding="utf-8")
    sql = sql.format(roster=roster, records=records, output=output)
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute("SET preserve_insertion_order = false")
    con.execute(sql)


if __name__ == "__main__":
    main()
