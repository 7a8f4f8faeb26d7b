#!/usr/bin/env bash
# Installs opsqa for the action.
#
#   install.sh resolve   decides the version and where its binary lives
#                        (outputs version, bin, cacheable)
#   install.sh install   installs it there unless the cache restored it,
#                        and puts it on the PATH of the later steps
#
# The version is the one asked for, else the action's own ref (the tag or
# commit it is pinned to, so pinning the action pins opsqa), else, when
# the action runs from a checkout of opsqa itself (uses: ./), that
# checkout, built from source and never cached.
set -euo pipefail

out() { echo "$1=$2" >> "${GITHUB_OUTPUT:?}"; }

case "${1:-}" in
resolve)
	version="${OPSQA_VERSION:-}"
	if [ -z "$version" ]; then
		version="${OPSQA_ACTION_REF:-}"
	fi
	if [ -z "$version" ]; then
		out version source
		out bin "${RUNNER_TEMP:-/tmp}/opsqa-source/bin"
		out cacheable false
	else
		# One folder per version: a restored cache holds exactly it.
		out version "$version"
		out bin "$HOME/.cache/opsqa/${version//[^A-Za-z0-9._-]/_}/bin"
		out cacheable true
	fi
	;;
install)
	bin="${OPSQA_BIN:?}"
	if [ "${OPSQA_VERSION:?}" = source ]; then
		(cd "${GITHUB_ACTION_PATH:?}" && GOBIN="$bin" go install ./cmd/opsqa)
	elif [ ! -x "$bin/opsqa" ]; then
		GOBIN="$bin" go install "github.com/opsqa/opsqa/cmd/opsqa@$OPSQA_VERSION"
	fi
	echo "$bin" >> "${GITHUB_PATH:?}"
	"$bin/opsqa" --version
	;;
*)
	echo "usage: install.sh resolve|install" >&2
	exit 2
	;;
esac
