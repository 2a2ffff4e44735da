#!/bin/sh
# Runs one fuzz target on stable, from its seeds, for SECONDS (default 600):
#   fuzz/run.sh compile|fmt|eval_explain|records [SECONDS]
# New inputs go to fuzz/corpus/TARGET (not committed), crashes to fuzz/artifacts/TARGET.
set -eu
cd "$(dirname "$0")/.."
target=$1
seconds=${2:-600}
dict=""
case $target in
  compile | fmt)
    seeds="policies examples/bench tests/fixtures/check tests/fixtures/fmt tests/fixtures/readme"
    dict="-dict=fuzz/policy.dict" ;;
  eval_explain) seeds="" ;;
  records) seeds="policies/dashuipo-2020 tests/fixtures/records" ;;
  *) echo "unknown target: $target (compile, fmt, eval_explain, records)" >&2; exit 2 ;;
esac
mkdir -p "fuzz/corpus/$target" "tests/fuzz_regressions/$target"
# shellcheck disable=SC2086
exec cargo fuzz run -s none "$target" "fuzz/corpus/$target" $seeds \
  "tests/fuzz_regressions/$target" -- -max_total_time="$seconds" $dict
