#!/usr/bin/env bash
# build.sh regenerates directory/places/data from the npm packages pinned in
# scripts/places/package-lock.json (node and npm from Debian: apt-get install npm).
set -euo pipefail
cd "$(dirname "$0")"
command -v npm >/dev/null || { echo "npm is needed: apt-get install npm" >&2; exit 1; }
npm ci --no-audit --no-fund --silent
node build.js
