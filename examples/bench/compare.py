"""Checks that two result CSVs (tally's and DuckDB's) give the same person, period, total and grade.

    python3 examples/bench/compare.py A.csv B.csv
"""
import csv
import sys
from decimal import Decimal


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return {
            (r["person"], r["period"]): (Decimal(r["total"]), r["grade"])
            for r in csv.DictReader(f)
        }


def main() -> None:
    a, b = rows(sys.argv[1]), rows(sys.argv[2])
    if a.keys() != b.keys():
        print(f"different rows: {len(a.keys() - b.keys())} only in A, {len(b.keys() - a.keys())} only in B")
        sys.exit(1)
    diffs = [(k, a[k], b[k]) for k in sorted(a) if a[k] != b[k]]
    for k, x, y in diffs[:10]:
        print(f"{k}: {x} != {y}")
    print(f"{len(a)} rows compared, {len(diffs)} differ")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
