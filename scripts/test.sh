#!/usr/bin/env bash
# The one command that runs every test: builds the solution, runs all test projects, writes
# TRX results to TestResults/, and ends with the line 'N passed, N failed, N skipped'
# counted from those TRX files.
set -uo pipefail
cd "$(dirname "$0")/.."
results="TestResults"
rm -rf "$results"
status=0
dotnet build FlexCoop.sln -c Release -nologo || status=$?
if [ "$status" -eq 0 ]; then
  # One TRX file per test project, named after it, so no two runs overwrite each other.
  for proj in $(find tests -mindepth 2 -maxdepth 2 -name '*.Tests.csproj' | sort); do
    name=$(basename "$proj" .csproj)
    dotnet test "$proj" -c Release --no-build -nologo --logger "trx;LogFileName=${name}.trx" \
      --results-directory "$results" "$@" || status=$?
  done
fi

passed=0; failed=0; skipped=0; total=0
shopt -s nullglob
trx_files=("$results"/*.trx)
for trx in "${trx_files[@]}"; do
  # <Counters total=".." executed=".." passed=".." failed=".." ... notExecuted=".." />
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  t=$(get total); x=$(get executed); p=$(get passed); f=$(get failed); e=$(get error); to=$(get timeout); ne=$(get notExecuted)
  total=$((total + ${t:-0}))
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${to:-0}))
  # The xunit TRX logger leaves notExecuted at 0 for skipped tests: what was not executed was skipped.
  notrun=$(( ${t:-0} - ${x:-0} ))
  [ "$notrun" -lt "${ne:-0}" ] && notrun=${ne:-0}
  skipped=$((skipped + notrun))
done
if [ "${#trx_files[@]}" -eq 0 ]; then
  echo "no test results were written" >&2
  [ "$status" -eq 0 ] && status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or a test host failed before any result could be counted as failed.
  failed=1
fi
if [ "$failed" -gt 0 ] && [ "${#trx_files[@]}" -gt 0 ] && command -v python3 >/dev/null 2>&1; then
  # Name each failed test and the first lines of its message just above the count line, so a log
  # that keeps only its tail still says what failed.
  python3 scripts/trx-failures.py "${trx_files[@]}" || true
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
