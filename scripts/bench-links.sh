#!/usr/bin/env bash
# Broken-links benchmark: BenchmarkBrokenLinks lints one folder of 1,000
# and of 5,000 generated runbooks, each linking twice to the next, clean
# and with a typo in every link (so that each is reported with a near
# name). Prints the median time of each case and the broken/clean ratio.
# With REF, measures that commit first, in a temporary worktree: any
# commit that has the benchmark, such as 504f8c6 (the links rule before
# folder listings were cached).
#
#   scripts/bench-links.sh [REF]
#   BENCHTIME=1x COUNT=5 scripts/bench-links.sh
set -euo pipefail
cd "$(dirname "$0")/.."
benchtime=${BENCHTIME:-3x}
count=${COUNT:-3}

# table: median ns/op of each case from `go test -bench` output, as
# "runbooks  clean  broken  broken/clean".
table() {
  awk '/^BenchmarkBrokenLinks\//{split($1, a, "/"); sub("runbooks=", "", a[2]); sub("-[0-9]+$", "", a[3]); print a[2], a[3], $3}' |
    sort -k1,1n -k2,2 -k3,3n |
    awk '{k = $1 " " $2; v[k, ++n[k]] = $3; if (!(k in seen)) {seen[k]; keys[++nk] = k}}
      END {
        for (i = 1; i <= nk; i++) {k = keys[i]; m = n[k]; med[k] = (m % 2) ? v[k, (m + 1) / 2] : (v[k, m / 2] + v[k, m / 2 + 1]) / 2}
        printf "%-9s %10s %10s %8s\n", "runbooks", "clean", "broken", "ratio"
        for (i = 1; i <= nk; i++) {split(keys[i], p, " "); if (p[2] != "clean") continue
          c = med[p[1] " clean"]; b = med[p[1] " broken"]
          printf "%-9s %9.2fs %9.2fs %7.1fx\n", p[1], c / 1e9, b / 1e9, b / c}
      }'
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# bench: the benchmark's output as it runs, then its table.
bench() {
  go test ./internal/lint -run '^$' -bench BrokenLinks -benchtime "$benchtime" -count "$count" | tee "$work/out"
  table <"$work/out"
}

if [ $# -gt 0 ]; then
  trap 'git worktree remove --force "$work/tree"; rm -rf "$work"' EXIT
  git worktree add --detach "$work/tree" "$1" >/dev/null
  echo "== $1"
  (cd "$work/tree" && bench)
fi
echo "== working tree"
bench
