#!/usr/bin/env bash
# Prepares the Fedify peer of the interop suite (cmd/coopdir/interop_fedify_test.go):
# installs scripts/interop/fedify/package-lock.json with npm ci into a cache
# directory keyed by the hash of the lock file and of peer.mjs, and prints that
# directory (peer.mjs beside node_modules) on stdout; logs go to stderr.
# Installs Node.js and npm with apt-get when they are missing and we are root.
# Idempotent: a prepared directory is reused at once.
set -euo pipefail
src="$(cd "$(dirname "$0")/fedify" && pwd)"
log() { echo "fedify.sh: $*" >&2; }

ensure_node() {
	command -v node >/dev/null && command -v npm >/dev/null && return 0
	if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null; then
		log "node and npm are missing; install Node.js 20 or newer"
		exit 1
	fi
	log "installing nodejs and npm with apt-get"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >&2 ||
		{ apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >&2; }
}

ensure_node
major=$(node -p 'process.versions.node.split(".")[0]')
if ((major < 20)); then
	log "node $(node --version) is too old: Fedify 1.5 needs 20 or newer"
	exit 1
fi

sum=$(cat "$src/package-lock.json" "$src/peer.mjs" | sha256sum | cut -c1-16)
dir="${XDG_CACHE_HOME:-$HOME/.cache}/coopdir/fedify-$sum"
if [[ -f $dir/.ready ]]; then
	echo "$dir"
	exit 0
fi

log "installing the Fedify peer into $dir"
tmp=$(mktemp -d "${dir}.tmp.XXXXXX" 2>/dev/null || { mkdir -p "$(dirname "$dir")" && mktemp -d "${dir}.tmp.XXXXXX"; })
trap 'rm -rf "$tmp"' EXIT
cp "$src/package.json" "$src/package-lock.json" "$src/peer.mjs" "$tmp/"
(cd "$tmp" && npm ci --no-audit --no-fund --loglevel=error >&2)
touch "$tmp/.ready"
# Another run may have finished first: keep its directory.
if ! mv -T "$tmp" "$dir" 2>/dev/null; then
	[[ -f $dir/.ready ]] || { log "cannot create $dir"; exit 1; }
fi
trap - EXIT
rm -rf "$tmp"
echo "$dir"
