#!/usr/bin/env bash
# Many-paths benchmark: generates N runbooks (10,000 by default) in one
# folder and lints them named one by one on the command line, as a
# pre-commit hook does after a change to every runbook, and by their
# folder, for comparison. Prints the best wall time of three runs and its
# peak memory, then runs BenchmarkLintEveryPath (internal/pipeline).
#
#   scripts/bench-paths.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/opsqa" ./cmd/opsqa
go run ./scripts/gencorpus -n "$n" -o "$work/corpus"

measure() {
  local label=$1; shift
  local best="" mem=""
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>&1 || true
    read -r wall rss <"$work/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall mem=$rss; fi
  done
  printf '%-44s %8.2f s  %7.1f MB\n' "$label" "$best" "$(awk "BEGIN{print $mem/1024}")"
}

cd "$work/corpus"
measure "opsqa lint content/runbooks ($n files)" "$work/opsqa" lint --today 2026-11-27 content/runbooks
measure "opsqa lint content/runbooks/*.md ($n args)" "$work/opsqa" lint --today 2026-11-27 content/runbooks/*.md
cd - >/dev/null
go test ./internal/pipeline -run '^$' -bench LintEveryPath -benchtime 1x -count 3
