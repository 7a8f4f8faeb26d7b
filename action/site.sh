#!/usr/bin/env bash
# Builds the knowledge site for the action. With OPSQA_SYNC=true it first
# copies incidents and problems from GitHub Issues into the snapshot (an
# unchanged re-sync costs a few conditional requests: the snapshot keeps
# the cursor and ETags), then puts the KPIs in the job summary. Output: dir.
set -euo pipefail

if [ "${OPSQA_SYNC:-false}" = true ]; then
	repo=()
	if [ -n "${OPSQA_REPOSITORY:-}" ]; then
		repo=(--repo "$OPSQA_REPOSITORY")
	fi
	GITHUB_TOKEN="${OPSQA_TOKEN:?the sync needs a token}" opsqa incidents sync "${repo[@]}"
	if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
		opsqa metrics --format markdown >> "$GITHUB_STEP_SUMMARY"
	fi
fi
dest="${OPSQA_DESTINATION:-public}"
opsqa build --destination "$dest"
echo "dir=$dest" >> "${GITHUB_OUTPUT:?}"
