#!/usr/bin/env bash
# Builds Ory Hydra from the Go module pinned in tools/go.mod into a cache
# directory and prints the binary's path on stdout (progress goes to stderr).
#
# A binary already in the cache is reused when `go version -m` shows it was
# built from the pinned module version. The build is cgo with the sqlite tags,
# so that DSN=memory works; it takes about two minutes cold on two cores.
#
# Environment:
#   HYDRA_CACHE_DIR  where to put the binary
#                    (default ${XDG_CACHE_HOME:-$HOME/.cache}/dsra-oauth2-server/hydra-<version>)
#   HYDRA_REBUILD=1  build even when a matching binary is cached
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="$here/tools"
module="github.com/ory/hydra/v2"

version="$(awk -v m="$module" '$1 == m && $2 ~ /^v/ { print $2; exit }' "$tools/go.mod")"
if [[ -z "$version" ]]; then
	echo "build.sh: cannot find the pinned $module version in $tools/go.mod" >&2
	exit 1
fi

cache="${HYDRA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dsra-oauth2-server/hydra-$version}"
bin="$cache/hydra"
mkdir -p "$cache"

# built_version prints the module version a Go binary was built from.
built_version() {
	go version -m "$1" 2>/dev/null | awk -v m="$module" '$1 == "mod" && $2 == m { print $3; exit }'
}

# One build at a time: concurrent callers (parallel test packages, two
# terminals) wait here and then find the binary in the cache.
exec 9>"$cache/.lock"
flock 9

if [[ "${HYDRA_REBUILD:-}" != 1 && -x "$bin" && "$(built_version "$bin")" == "$version" ]]; then
	echo "build.sh: reusing $bin ($module $version)" >&2
	echo "$bin"
	exit 0
fi

echo "build.sh: building $module $version into $bin (about 2 min cold)" >&2
start=$SECONDS
tmp="$(mktemp "$cache/hydra.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
(
	cd "$tools"
	CGO_ENABLED=1 go build -trimpath \
		-tags sqlite,sqlite_omit_load_extension \
		-ldflags "-s -w -X $module/driver/config.Version=$version" \
		-o "$tmp" "$module"
)
chmod 0755 "$tmp"
mv -f "$tmp" "$bin"
trap - EXIT
echo "build.sh: built in $((SECONDS - start))s" >&2
echo "$bin"
