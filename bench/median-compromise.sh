#!/usr/bin/env bash
# The whole `terminus median --compromise` on the real lines of
# ../shared/data, process start to the last file written (the GeoJSON,
# GeoPackage, CSV, map PNG/SVG, report, summary and provenance), as a
# commission would run it, median of RUNS:
#   Armenia–Azerbaijan, Natural Earth 5.1.1 vs OSM, the OSM territories as parties;
#   Kyrgyzstan–Tajikistan, OSM vs DCW, the OSM territories as parties.
# Issue 18's goal: each under 2 s on this machine (2 cores).
# Usage: bench/median-compromise.sh [RUNS]   (default 9)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
data=../shared/data/boundaries
if [ ! -d "$data" ]; then
  echo "SKIPPED: $data absent (the real lines are not bundled)"
  exit 0
fi
cargo build --release --quiet -p terminus-cli
nproc | sed 's/^/cores: /'
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
pair() {
  local name=$1 a=$2 b=$3 names=$4 p1=$5 p2=$6
  local times=()
  for _ in $(seq "$runs"); do
    rm -rf "$out/r"
    local t0 t1
    t0=$(date +%s%N)
    target/release/terminus median "$a" "$b" --compromise --names "$names" \
      --parties "$p1,$p2" --out "$out/r" >/dev/null
    t1=$(date +%s%N)
    times+=("$(( (t1 - t0) / 1000000 ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v name="$name" -v n="$runs" '
    { t[NR] = $1 / 1000 }
    END { printf "%-40s median %.2f s  min %.2f s  max %.2f s  (%d runs)\n",
          name, t[int((n + 1) / 2)], t[1], t[n], n }'
}
am=$data/am_az
kg=$data/kg_tj
pair "Armenia–Azerbaijan NE vs OSM" \
  "$am/naturalearth10m_ARM_AZE_shared.geojson" "$am/geomaps_osm10m_ARM_AZE_shared.geojson" \
  NE,OSM "$am/geomaps_osm10m_ARM.geojson" "$am/geomaps_osm10m_AZE.geojson"
pair "Kyrgyzstan–Tajikistan OSM vs DCW" \
  "$kg/geomaps_osm10m_KGZ_TJK_shared.geojson" "$kg/dcw_gmt_KGZ_TJK_shared.geojson" \
  OSM,DCW "$kg/geomaps_osm10m_KGZ.geojson" "$kg/geomaps_osm10m_TJK.geojson"
