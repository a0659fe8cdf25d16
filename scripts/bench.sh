#!/usr/bin/env bash
# Runs the search benchmark on SQLite and on PostgreSQL (a throwaway cluster
# unless DATABASE_URL is set) and prints a Markdown table.
# Extra arguments go to cmd/coopdir-bench (e.g. -enterprises 10000 -listings 50000).
set -euo pipefail
cd "$(dirname "$0")/.."
go build -o bin/coopdir-bench ./cmd/coopdir-bench
if [ -n "${DATABASE_URL:-}" ]; then
	exec ./bin/coopdir-bench "$@"
fi
exec bash scripts/pgtest.sh run -- ./bin/coopdir-bench "$@"
