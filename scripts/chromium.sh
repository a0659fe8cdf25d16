#!/usr/bin/env bash
# Prints the path of a Chromium the browser tests can drive, installing
# Debian's chromium package first when none is found (as root, with apt-get).
#
# Looked up: $CHROME_PATH, then chromium, chromium-browser, google-chrome on
# PATH. A non-root user without Chromium gets a message saying what to
# install, and the script fails: the browser tests are part of `make test`.
set -euo pipefail

die() { echo "chromium.sh: $*" >&2; exit 1; }

find_chromium() {
	if [[ -n ${CHROME_PATH:-} ]]; then
		[[ -x $CHROME_PATH ]] || die "CHROME_PATH=$CHROME_PATH is not an executable"
		echo "$CHROME_PATH"
		return 0
	fi
	local name
	for name in chromium chromium-browser google-chrome; do
		if command -v "$name" >/dev/null 2>&1; then
			command -v "$name"
			return 0
		fi
	done
	return 1
}

install_chromium() {
	[[ $(id -u) -eq 0 ]] || die "Chromium not found; install it (Debian: sudo apt-get install chromium) or set CHROME_PATH"
	command -v apt-get >/dev/null 2>&1 || die "Chromium not found and apt-get is not available: install Chromium or set CHROME_PATH"
	echo "chromium.sh: Chromium not found: installing the Debian package" >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y --no-install-recommends chromium >&2; then
		apt-get update >&2
		apt-get install -y --no-install-recommends chromium >&2
	fi
}

find_chromium || { install_chromium && find_chromium; } || die "Chromium still not found after installing it"
