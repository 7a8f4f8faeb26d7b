#!/usr/bin/env bash
# Runs every fuzz target of the module for a fixed time each (default
# 10s; FUZZTIME or the first argument overrides it: "2m", "10000x").
# CI runs it with the default; for a longer search run, for example,
#   scripts/fuzz.sh 10m
# A crash is written to the package's testdata/fuzz/<Target>/ and fails
# the run: commit that file, and it is a regression test from then on
# (go test runs every seed there).
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-${FUZZTIME:-10s}}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
grep -rl --include='*_test.go' '^func Fuzz' internal cmd | sort | while read -r file; do
  pkg=./$(dirname "$file")
  for target in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | cut -d' ' -f2); do
    echo "fuzz $pkg $target for $fuzztime"
    if ! go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" >"$log" 2>&1; then
      cat "$log"
      exit 1
    fi
  done
done
