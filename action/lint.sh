#!/usr/bin/env bash
# Lints the knowledge repository for the action.
#
#   lint.sh                  lints: annotations and the job summary (the
#                            github format writes both), SARIF when it is
#                            to be uploaded, outputs exit-code, errors,
#                            warnings, sarif (upload or skipped) and
#                            sarif-file
#   lint.sh upload-outcome   turns the upload step's outcome into the
#                            sarif output, with a notice when refused
#   lint.sh verdict          fails the job when lint found errors (or could
#                            not run), after the SARIF step has had its turn
#
# Warnings never fail the job; errors and configuration errors do.
set -uo pipefail

out() { echo "$1=$2" >> "${GITHUB_OUTPUT:?}"; }

case "${1:-lint}" in
lint)
	args=()
	if [ "${OPSQA_CHANGED_ONLY:-true}" = true ] && [ -n "${OPSQA_BASE_SHA:-}" ]; then
		# A shallow checkout lacks the base commit the diff needs.
		if ! git cat-file -e "${OPSQA_BASE_SHA}^{commit}" 2>/dev/null; then
			git fetch --no-tags --quiet --depth=1 origin "$OPSQA_BASE_SHA" ||
				echo "::warning title=opsqa::could not fetch the base commit $OPSQA_BASE_SHA; linting every file"
		fi
		if git cat-file -e "${OPSQA_BASE_SHA}^{commit}" 2>/dev/null; then
			args+=(--changed-since "$OPSQA_BASE_SHA")
		fi
	fi
	report="${RUNNER_TEMP:-/tmp}/opsqa-lint.txt"
	opsqa lint --format github "${args[@]}" | tee "$report"
	code=${PIPESTATUS[0]}
	out exit-code "$code"
	# The last line counts: "N files checked: E errors, W warnings, I infos".
	summary=$(grep -E '^[0-9]+ files? checked: ' "$report" | tail -n 1)
	errors=$(sed -nE 's/.*: ([0-9]+) errors?,.*/\1/p' <<<"$summary")
	warnings=$(sed -nE 's/.*, ([0-9]+) warnings?,.*/\1/p' <<<"$summary")
	out errors "${errors:-0}"
	out warnings "${warnings:-0}"

	sarif=upload
	case "${OPSQA_SARIF:-auto}" in
	false) sarif=skipped ;;
	auto)
		head="${OPSQA_HEAD_REPOSITORY:-}"
		if [ -n "$head" ] && [ "$head" != "${GITHUB_REPOSITORY:-}" ]; then
			echo "::notice title=opsqa SARIF::a pull request from the fork $head gets a token that may not upload code scanning results; the findings are in the annotations and the job summary"
			sarif=skipped
		fi
		;;
	esac
	if [ "$sarif" = upload ]; then
		opsqa lint --format sarif "${args[@]}" > opsqa.sarif
		out sarif-file opsqa.sarif
	fi
	out sarif "$sarif"
	# The verdict step fails the job, after the upload.
	exit 0
	;;
upload-outcome)
	if [ "${OPSQA_UPLOAD:-}" = success ]; then
		out sarif uploaded
	else
		echo "::notice title=opsqa SARIF::the SARIF upload was refused: the job needs permissions: security-events: write; the findings are in the annotations and the job summary"
		out sarif refused
	fi
	;;
verdict)
	case "${OPSQA_EXIT:-}" in
	1) echo "::error title=opsqa::lint found errors: see the annotations and the job summary" ;;
	2) echo "::error title=opsqa::lint could not check the repository as configured: see the log" ;;
	*) echo "::error title=opsqa::lint could not run (exit code ${OPSQA_EXIT:-unknown})" ;;
	esac
	exit 1
	;;
*)
	echo "usage: lint.sh [lint|upload-outcome|verdict]" >&2
	exit 2
	;;
esac
