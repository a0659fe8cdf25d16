#!/usr/bin/env bash
# Runs the search benchmark on SQLite and on PostgreSQL (a throwaway cluster
# unless DATABASE_URL is set) with, for each engine, the partner benchmarks
# (the rate of a partner backfill over HTTP, and the searches on a directory
# holding 5 partners' entries, and the matching of one listing against it
# beside its 50 ms p95 goal) and the delivery benchmarks (the fan-out of
# an announcement to 1,000 fake servers on loopback, clean, with refusing
# and with black-holed hosts, and 10,000 follows answered with Accept), then
# the federation Go benchmarks (HTTP signature sign and verify, the inbox
# on both engines), the memory of serve during logo uploads and the bulk
# import's delay of other deliveries on both engines, and prints Markdown
# tables. Extra arguments go to cmd/coopdir-bench (e.g. -enterprises 10000
# -listings 50000, -partners "" or -delivery "" to skip those benchmarks,
# -search=false to skip the searches); the partners' data sets scale with
# -enterprises and -listings (see docs/BENCHMARKS.md); -quick also
# shortens the Go benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DATABASE_URL:-}" ]; then
	exec bash scripts/pgtest.sh run -- bash scripts/bench.sh "$@"
fi
go build -o bin/coopdir-bench ./cmd/coopdir-bench
./bin/coopdir-bench "$@"

inbox=3000x sign=2s
for a in "$@"; do
	if [ "$a" = -quick ] || [ "$a" = --quick ]; then
		inbox=500x sign=500ms
	fi
done

# Go benchmark lines ("BenchmarkX-2  N  T ns/op  [V unit]...") as table
# rows: the rate (the first unit per second, else one op's inverse) and the
# other figures reported.
table() {
	awk '/^Benchmark/ {
		name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
		ns = $3; rate = ""; other = ""
		for (i = 5; i < NF; i += 2) {
			if ($(i+1) ~ /\/s$/ && rate == "") rate = sprintf("%.0f %s", $i, $(i+1))
			else other = other (other == "" ? "" : ", ") sprintf("%.0f %s", $i, $(i+1))
		}
		if (rate == "") rate = sprintf("%.0f /s", 1e9 / ns)
		if (ns >= 1e6) t = sprintf("%.1f ms", ns / 1e6); else t = sprintf("%.1f µs", ns / 1e3)
		printf "| %s | %s | %s | %s |\n", name, t, rate, other
	}'
}
echo
echo "Federation ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')):"
echo
echo "| benchmark | time per op | rate | other |"
echo "|---|---|---|---|"
go test -run '^$' -bench '^Benchmark(Sign|Verify)$' -benchtime "$sign" ./federation | table
go test -run '^$' -bench '^BenchmarkInbox$' -benchtime "$inbox" ./federation | table
echo
echo "Places, the gazetteer (issue 14):"
echo
echo "| benchmark | time per op | rate | other |"
echo "|---|---|---|---|"
go test -run '^$' -bench '^Benchmark(Find|Load)$' -benchtime 1s ./directory/places | table

# serve's peak resident memory against its 400 MB limit: during logo
# uploads, and during the fan-out to 10,000 followers on both engines.
go build -o bin/coopdir ./cmd/coopdir
./bin/coopdir-bench -logos ./bin/coopdir
./bin/coopdir-bench -fanout-memory ./bin/coopdir "$@"

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
bulkimport
