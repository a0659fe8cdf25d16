#!/usr/bin/env bash
# Runs the search benchmark on SQLite and on PostgreSQL (a throwaway cluster
# unless DATABASE_URL is set) with, for each engine, the partner benchmarks
# (the rate of a partner backfill over HTTP, and the searches on a directory
# holding 5 partners' entries), then the federation benchmarks (HTTP
# signature sign and verify, inbox intake, delivery fan-out) and the bulk
# import's delay of other deliveries on both engines, and prints Markdown
# tables. Extra arguments go to cmd/coopdir-bench (e.g.
# -enterprises 10000 -listings 50000, or -partners "" to skip the partner
# benchmarks); the partners' data sets scale with -enterprises and
# -listings (see docs/BENCHMARKS.md), so a small run stays quick.
set -euo pipefail
cd "$(dirname "$0")/.."
go build -o bin/coopdir-bench ./cmd/coopdir-bench
if [ -n "${DATABASE_URL:-}" ]; then
	./bin/coopdir-bench "$@"
else
	bash scripts/pgtest.sh run -- ./bin/coopdir-bench "$@"
fi

# Go benchmark lines ("BenchmarkX-2  N  T ns/op  [R unit]...") as table rows.
table() {
	awk '/^Benchmark/ {
		name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
		ns = $3; rate = ""
		for (i = 5; i < NF; i += 2) if ($(i+1) ~ /\/s$/) rate = sprintf("%.0f %s", $i, $(i+1))
		if (rate == "") rate = sprintf("%.0f /s", 1e9 / ns)
		if (ns >= 1e6) t = sprintf("%.1f ms", ns / 1e6); else t = sprintf("%.1f µs", ns / 1e3)
		printf "| %s | %s | %s |\n", name, t, rate
	}'
}
echo
echo "Federation ($(nproc) cores):"
echo
echo "| benchmark | time per op | rate |"
echo "|---|---|---|"
go test -run '^$' -bench '^Benchmark(Sign|Verify)$' -benchtime 2s ./federation | table
go test -run '^$' -bench '^BenchmarkInbox$' -benchtime 2000x ./federation | table
go test -run '^$' -bench '^BenchmarkFanOut$' -benchtime 5x ./federation | table

# Logo uploads: serve's peak resident memory against its 400 MB limit.
go build -o bin/coopdir ./cmd/coopdir
./bin/coopdir-bench -logos ./bin/coopdir

# Bulk import (issue 13): while instance A imports N enterprises, another of
# its enterprises posts announcements to a follower on instance B; the worst
# lateness of those deliveries (from the call that writes the announcement
# until B has it), on both engines, beside the 5 s goal. N is 20,000, or
# 2,000 with -quick.
bulk=20000
case " $* " in *" -quick "* | *" --quick "*) bulk=2000 ;; esac
bulkimport() {
	COOPDIR_BENCH_IMPORT=$bulk go test -run '^$' -bench '^BenchmarkBulkImport$' -benchtime 1x -timeout 2h ./federation |
		awk -v load="$(cut -d' ' -f1 /proc/loadavg)" '/^BenchmarkBulkImport\// {
			engine = $1; sub(/^BenchmarkBulkImport\//, "", engine); sub(/-[0-9]+$/, "", engine)
			for (i = 3; i < NF; i++) m[$(i+1)] = $i
			met = m["worst-late-s"] <= m["goal-s"] ? "met" : "NOT met"
			printf "| %s | %d | %.1f s | %.2f s | %d | %.2f s | %.0f s (%s) | %.2f s | %.2f s | %s |\n", engine, m["enterprises"],
				m["import-s"], m["publish-after-import-s"], m["announcements"], m["worst-late-s"], m["goal-s"], met,
				m["worst-write-s"], m["worst-after-write-s"], load
		}'
}
echo
echo "Bulk import ($(nproc) cores):"
echo
echo "| engine | enterprises imported | import call | publisher after it | announcements | worst lateness | goal | longest write | longest after a write | load |"
echo "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|"
if [ -n "${DATABASE_URL:-}" ]; then
	bulkimport
else
	bash scripts/pgtest.sh run -- bash -c "$(declare -f bulkimport); bulk=$bulk; bulkimport"
fi
