#!/usr/bin/env bash
# Runs the whole Go test suite. Without DATABASE_URL it starts a throwaway
# PostgreSQL cluster (scripts/pgtest.sh) so the PostgreSQL suite always runs,
# and it finds or installs Chromium (scripts/chromium.sh) for the browser
# tests, passing its path in CHROME_PATH. The interop suite's peers, a real
# GoToSocial and a Fedify server, are built or installed (and cached) by
# scripts/interop and passed in GOTOSOCIAL_BIN and FEDIFY_PEER; when one
# cannot be prepared its tests skip, except under CI=true, where that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
CHROME_PATH=$(bash scripts/chromium.sh)
export CHROME_PATH

# peer VAR SCRIPT sets VAR to what SCRIPT prints, unless VAR is set already.
peer() {
	local var=$1 script=$2 out
	[[ -n ${!var:-} ]] && return 0
	if out=$(bash "$script"); then
		export "$var=$out"
	elif [[ ${CI:-} == true ]]; then
		echo "test.sh: $script failed: the interop suite cannot run" >&2
		exit 1
	else
		echo "test.sh: $script failed: the interop tests that need it will skip" >&2
	fi
}
peer GOTOSOCIAL_BIN scripts/interop/gotosocial.sh
peer FEDIFY_PEER scripts/interop/fedify.sh
# After the Go tests, scripts/readme.sh runs the README's recipes as written
# (its PostgreSQL recipe on the throwaway cluster, or on one of its own).
gotest() { go test -count=1 -timeout 20m "$@" ./...; }
if [ -n "${DATABASE_URL:-}" ]; then
	gotest "$@"
	bash scripts/readme.sh
else
	bash scripts/pgtest.sh run -- bash -c 'go test -count=1 -timeout 20m "$@" ./... && bash scripts/readme.sh' gotest "$@"
fi
