#!/usr/bin/env bash
# The web workspace's third-party files, vendored so that `cargo build`
# never needs npm or the network (issue 19).
#
#   tools/web/vendor.sh          install the locked versions from the npm
#                                registry (package-lock.json, integrity-
#                                checked by npm) and copy what the binary
#                                embeds into crates/server/web/vendor/,
#                                writing SHA256SUMS
#   tools/web/vendor.sh --check  the committed files are byte for byte what
#                                the locked registry packages ship
#
# The server's tests check the embedded files against SHA256SUMS, so a file
# edited by hand, or a hash list not rewritten, fails `cargo test`.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
src=node_modules/maplibre-gl
dest=../../crates/server/web/vendor/maplibre-gl
files=(dist/maplibre-gl.mjs dist/maplibre-gl-shared.mjs dist/maplibre-gl-worker.mjs dist/maplibre-gl.css LICENSE.txt)
version=$(node -p "require('./$src/package.json').version")
if [[ "${1:-}" == "--check" ]]; then
  fail=0
  for f in "${files[@]}"; do
    if ! cmp -s "$src/$f" "$dest/$(basename "$f")"; then
      echo "differs from maplibre-gl@$version on the registry: $dest/$(basename "$f")"
      fail=1
    fi
  done
  [[ $fail == 0 ]] && echo "vendored maplibre-gl@$version matches the registry's package"
  exit $fail
fi
mkdir -p "$dest"
for f in "${files[@]}"; do cp "$src/$f" "$dest/"; done
(cd "$dest" && sha256sum "${files[@]##*/}" > SHA256SUMS)
echo "maplibre-gl@$version" > "$dest/VERSION"
echo "vendored maplibre-gl@$version into $dest"
