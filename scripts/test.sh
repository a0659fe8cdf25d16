#!/usr/bin/env bash
# Runs the whole Go test suite. Without DATABASE_URL it starts a throwaway
# PostgreSQL cluster (scripts/pgtest.sh) so the PostgreSQL suite always runs,
# and it finds or installs Chromium (scripts/chromium.sh) for the browser
# tests, passing its path in CHROME_PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
CHROME_PATH=$(bash scripts/chromium.sh)
export CHROME_PATH
gotest() { go test -count=1 -timeout 20m "$@" ./...; }
if [ -n "${DATABASE_URL:-}" ]; then
	gotest "$@"
else
	bash scripts/pgtest.sh run -- bash -c 'go test -count=1 -timeout 20m "$@" ./...' gotest "$@"
fi
