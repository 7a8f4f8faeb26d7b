#!/usr/bin/env bash
# Lint benchmark: generates 5,000 runbooks of realistic size, lints them
# with every rule on, lints one file (the pre-commit case), and runs
# markdownlint-cli2 with its required-headings rule (MD043) on the same
# corpus for comparison. Prints wall time and peak memory of each.
#
#   scripts/bench-lint.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/opsqa" ./cmd/opsqa
go run ./scripts/gencorpus -n "$n" -o "$work/corpus"
corpus=$work/corpus
one=$corpus/content/runbooks/runbook-00042.md

# measure LABEL COMMAND...: best wall time of 5 runs, and the peak
# resident memory of that run, from GNU time.
measure() {
  local label=$1; shift
  local best="" mem=""
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>&1 || true
    read -r wall rss <"$work/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall mem=$rss; fi
  done
  printf '%-44s %8.2f s  %7.1f MB\n' "$label" "$best" "$(awk "BEGIN{print $mem/1024}")"
  echo "$best" >"$work/last"
}

text=$(cat "$corpus"/content/runbooks/*.md | wc -c)
echo "corpus: $n runbooks, $(awk "BEGIN{printf \"%.1f\", $text/1e6}") MB of text ($(du -sh "$corpus/content" | cut -f1) on disk), $(nproc) CPUs"
measure "opsqa lint (all rules, $n files)" "$work/opsqa" lint --root "$corpus" --today 2026-11-27
opsqa_all=$(cat "$work/last")
measure "opsqa lint (one file)" "$work/opsqa" lint --root "$corpus" --today 2026-11-27 "$one"

# markdownlint-cli2 from the npm registry, with MD043 requiring the same
# headings opsqa requires; only that rule, so it checks far less.
if command -v npm >/dev/null; then
  (cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error markdownlint-cli2@0.24.1 >/dev/null)
  cat >"$corpus/.markdownlint-cli2.jsonc" <<'JSON'
{
  "config": {
    "default": false,
    "MD043": {"headings": ["## Overview", "*", "## Symptoms", "*", "## Impact", "*", "## Diagnosis", "*", "## Mitigation", "*", "## Escalation", "*"]}
  },
  "globs": ["content/runbooks/*.md"]
}
JSON
  cd "$corpus"
  measure "markdownlint-cli2 (MD043 only, $n files)" "$work/node_modules/.bin/markdownlint-cli2"
  mdl=$(cat "$work/last")
  cd - >/dev/null
  awk "BEGIN{printf \"opsqa is %.0fx faster than markdownlint-cli2\\n\", $mdl/$opsqa_all}"
fi
