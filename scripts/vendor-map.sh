#!/usr/bin/env bash
# Refreshes the map's vendored files under web/static/vendor from npm, at
# the pinned versions below. Run it from the repository root after changing
# a version; commit what it writes. The binary serves these files itself,
# so the map needs no other site (and, for its background, no internet).
set -euo pipefail

LEAFLET=1.9.4
MARKERCLUSTER=1.5.3
TOPOJSON_CLIENT=3.1.0
WORLD_ATLAS=2.0.2 # Natural Earth 4.1.0, public domain
US_ATLAS=3.0.1    # US Census Bureau cartographic boundaries 2017, public domain

vendor=web/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fetch() { # fetch NAME VERSION: unpacks the npm package into $tmp/NAME
	mkdir -p "$tmp/$1"
	(cd "$tmp" && npm pack --silent "$1@$2" >/dev/null)
	tar -xzf "$tmp/$1-$2.tgz" -C "$tmp/$1" --strip-components=1
}

fetch leaflet "$LEAFLET"
mkdir -p "$vendor/leaflet/images"
cp "$tmp/leaflet/dist/leaflet.js" "$tmp/leaflet/dist/leaflet.css" "$tmp/leaflet/LICENSE" "$vendor/leaflet/"
cp "$tmp/leaflet/dist/images/"*.png "$vendor/leaflet/images/"

fetch leaflet.markercluster "$MARKERCLUSTER"
mkdir -p "$vendor/leaflet.markercluster"
cp "$tmp/leaflet.markercluster/dist/leaflet.markercluster.js" \
	"$tmp/leaflet.markercluster/dist/MarkerCluster.css" \
	"$tmp/leaflet.markercluster/dist/MarkerCluster.Default.css" "$vendor/leaflet.markercluster/"
cp "$tmp/leaflet.markercluster/MIT-LICENCE.txt" "$vendor/leaflet.markercluster/LICENSE"

fetch topojson-client "$TOPOJSON_CLIENT"
mkdir -p "$vendor/topojson-client"
cp "$tmp/topojson-client/dist/topojson-client.min.js" "$tmp/topojson-client/LICENSE" "$vendor/topojson-client/"

# The background: countries at two scales (1:110m below zoom 4, 1:50m from
# there on) and the US states.
fetch world-atlas "$WORLD_ATLAS"
mkdir -p "$vendor/world-atlas"
cp "$tmp/world-atlas/countries-110m.json" "$tmp/world-atlas/countries-50m.json" "$tmp/world-atlas/LICENSE" "$vendor/world-atlas/"

fetch us-atlas "$US_ATLAS"
mkdir -p "$vendor/us-atlas"
cp "$tmp/us-atlas/states-10m.json" "$tmp/us-atlas/LICENSE" "$vendor/us-atlas/"

echo "vendored: leaflet $LEAFLET, leaflet.markercluster $MARKERCLUSTER, topojson-client $TOPOJSON_CLIENT, world-atlas $WORLD_ATLAS, us-atlas $US_ATLAS"
