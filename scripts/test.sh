#!/usr/bin/env bash
# Runs the whole Go test suite. Without DATABASE_URL it starts a throwaway
# PostgreSQL cluster (scripts/pgtest.sh) so the PostgreSQL suite always runs.
set -euo pipefail
cd "$(dirname "$0")/.."
gotest() { go test -count=1 -timeout 20m "$@" ./...; }
if [ -n "${DATABASE_URL:-}" ]; then
	gotest "$@"
else
	bash scripts/pgtest.sh run -- bash -c 'go test -count=1 -timeout 20m "$@" ./...' gotest "$@"
fi
