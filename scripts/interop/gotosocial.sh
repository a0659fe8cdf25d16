#!/usr/bin/env bash
# Prepares the GoToSocial peer of the interop suite (cmd/coopdir/interop_gts_test.go):
# builds GoToSocial from its module on the Go module proxy, once per version,
# and prints the path of the binary on stdout (its web templates and assets
# beside it, in web/); logs go to stderr.
#
# `go install …@version` fails on the module's deprecation lookup, so the
# module is downloaded, copied to a writable folder and built there with the
# tags GoToSocial's own release uses. The build takes about 3.5 minutes on two
# cores; the binary is cached in ~/.cache/coopdir/gotosocial-<version>/ and
# reused at once. GOTOSOCIAL_VERSION chooses another version.
set -euo pipefail
version=${GOTOSOCIAL_VERSION:-v0.18.3}
module=github.com/superseriousbusiness/gotosocial
log() { echo "gotosocial.sh: $*" >&2; }

dir="${XDG_CACHE_HOME:-$HOME/.cache}/coopdir/gotosocial-$version"
bin="$dir/gotosocial"
if [[ -x $bin && -d $dir/web/template ]]; then
	echo "$bin"
	exit 0
fi
command -v go >/dev/null || { log "go is not on PATH"; exit 1; }

# Outside any module, so that no go.mod or go.sum here is touched.
mkdir -p "$dir"
cd "$dir"
log "downloading $module@$version"
src=$(GOFLAGS=-mod=mod go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -n $src && -d $src ]] || { log "go mod download gave no folder for $module@$version"; exit 1; }

if [[ ! -d $dir/web/template ]]; then
	rm -rf "$dir/web"
	cp -R "$src/web" "$dir/web"
	chmod -R u+w "$dir/web"
fi
if [[ -x $bin ]]; then
	echo "$bin"
	exit 0
fi
work=$(mktemp -d "$dir/build.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
cp -R "$src/." "$work/"
chmod -R u+w "$work"
log "building GoToSocial $version (a few minutes, once)"
(cd "$work" && CGO_ENABLED=0 go build -mod=mod -trimpath \
	-tags "netgo osusergo kvformat timetzdata" \
	-ldflags "-s -w -X main.Version=$version" \
	-o "$work/gotosocial.bin" ./cmd/gotosocial) >&2
# Another run may have finished first; either binary is the same build.
mv -f "$work/gotosocial.bin" "$bin"
echo "$bin"
