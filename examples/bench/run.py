"""Times tally and DuckDB on the same scoring job, paired and interleaved, and checks their results.

    python3 examples/bench/run.py --data /tmp/bench [--tally target/release/tally] [--runs 5] [--threads 2]

DATA holds roster.csv and records.csv from examples/gen_records.rs. Each run times both programs
as whole processes, one after the other, alternating which goes first; every run is pinned to the
same THREADS cores (`taskset`), and DuckDB is also told to use THREADS threads. It prints the
median, min and max wall time of each, the ratio of the medians, records/s and MB/s of tally, and
the peak resident memory of each, then checks with compare.py that both wrote the same scores
(exit 1 when they differ). DuckDB runs through duckdb_bench.py, so its times include starting
Python and importing duckdb; `--python` names a Python with duckdb installed.
"""
import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent


def timed(command):
    """Runs a command; returns its wall time in seconds and peak RSS in MiB."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed ({status}): {' '.join(map(str, command))}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=pathlib.Path, required=True)
    parser.add_argument("--tally", default="target/release/tally")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--python", default=sys.executable, help="a Python with duckdb installed")
    args = parser.parse_args()

    roster, records = args.data / "roster.csv", args.data / "records.csv"
    out_tally, out_duck = args.data / "tally.csv", args.data / "duckdb.csv"
    pin = ["taskset", "-c", f"0-{args.threads - 1}"] if shutil.which("taskset") else []
    tally = pin + [args.tally, "eval", str(HERE / "bench.policy"), "--roster", str(roster),
                   "--records", str(records), "--format", "csv", "--output", str(out_tally)]
    duck = pin + [args.python, str(HERE / "duckdb_bench.py"), str(roster), str(records),
                  str(out_duck), str(args.threads)]

    times = {"tally": [], "duckdb": []}
    peaks = {"tally": [], "duckdb": []}
    for run in range(args.runs):
        order = [("tally", tally), ("duckdb", duck)]
        if run % 2:
            order.reverse()
        for name, command in order:
            for path in (out_tally, out_duck):
                if name in path.name:
                    path.unlink(missing_ok=True)
            wall, peak = timed(command)
            times[name].append(wall)
            peaks[name].append(peak)

    with open(records, "rb") as f:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1
    size_mb = records.stat().st_size / 1e6
    print(f"records: {lines} ({size_mb:.0f} MB), {args.runs} runs each, {args.threads} threads")
    print(f"{'program':<8} {'median s':>9} {'min s':>7} {'max s':>7} {'peak MiB':>9}")
    for name in ("tally", "duckdb"):
        t = times[name]
        print(f"{name:<8} {statistics.median(t):9.3f} {min(t):7.3f} {max(t):7.3f} {max(peaks[name]):9.1f}")
    median_tally = statistics.median(times["tally"])
    ratio = statistics.median(times["duckdb"]) / median_tally
    print(f"duckdb / tally: {ratio:.2f}x; tally {lines / median_tally / 1e6:.2f} M records/s, "
          f"{size_mb / median_tally:.0f} MB/s")
    same = subprocess.run([sys.executable, str(HERE / "compare.py"), str(out_tally), str(out_duck)])
    sys.exit(same.returncode)


if __name__ == "__main__":
    main()
