#!/usr/bin/env bash
# Runs every Go fuzz target of the module for a while each (FUZZTIME, default
# 30s). `make test` runs their seed corpora only; this explores beyond them.
# A crash is saved under the package's testdata/fuzz/<Target>/ by Go: commit
# it as a seed once it is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-30s}
status=0
for pkg in $(go list ./...); do
	for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
		echo "fuzz: $pkg $target ($FUZZTIME)"
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg" || status=1
	done
done
exit "$status"
