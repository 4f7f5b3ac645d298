#!/usr/bin/env bash
# Compare two claim lines of ~1,000,000 vertices each, in the same run:
#   terminus compare      (overlay, geodesic areas, agreement, widths, sides)
#   shapely/GEOS + pyproj (the same overlay — node, polygonize — and
#                          geodesic areas; tools/reference/compare_reference.py --bench)
# Input: the OpenStreetMap Armenia–Azerbaijan line densified geodesically
# every 1 m (901,118 vertices) against the DCW line likewise (780,291),
# made by bench/densify_line.py from ../shared/data. Whole-process wall
# time (reading the GeoJSON included, as a user meets it) alternating the
# tools, medians and the ratio; peak memory (max RSS) of each.
# Needs python3 with shapely and pyproj (pip install shapely pyproj).
# Usage: bench/compare-1m.sh [RUNS]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=target/bench-compare
data=../shared/data/boundaries/am_az
mkdir -p "$work"
python3 -c "import shapely, pyproj" 2>/dev/null || { echo "missing shapely/pyproj: pip install shapely pyproj" >&2; exit 2; }
[ -d "$data" ] || { echo "missing $data (../shared/data beside the checkout)" >&2; exit 2; }
cargo build --release --quiet
T=target/release/terminus
[ -f "$work/osm_1m.geojson" ] || python3 bench/densify_line.py "$data/geomaps_osm10m_ARM_AZE_shared.geojson" "$work/osm_1m.geojson" 1.0
[ -f "$work/dcw_1m.geojson" ] || python3 bench/densify_line.py "$data/dcw_gmt_ARM_AZE_shared.geojson" "$work/dcw_1m.geojson" 1.0
declare -A cmd
cmd[terminus]="$T compare $work/osm_1m.geojson $work/dcw_1m.geojson --names OSM,DCW --json"
cmd[shapely]="python3 tools/reference/compare_reference.py --bench $work/osm_1m.geojson $work/dcw_1m.geojson"
declare -A times mem
for ((r = 0; r < runs; r++)); do
  for k in terminus shapely; do
    out=$( { /usr/bin/time -f "%e %M" bash -c "${cmd[$k]} > $work/$k.out" ; } 2>&1 | tail -1 )
    times[$k]+="${out% *} "
    mem[$k]+="${out#* } "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
tt=$(echo "${times[terminus]}" | median); ts=$(echo "${times[shapely]}" | median)
mt=$(echo "${mem[terminus]}" | median); ms=$(echo "${mem[shapely]}" | median)
area_t=$(python3 -c "import json; p=json.load(open('$work/terminus.out'))['pairs'][0]; print(p['area_between_m2']+p['same_side_area_m2'])")
area_s=$(python3 -c "import json; print(json.load(open('$work/shapely.out'))['area_m2'])")
echo "runs: $runs (whole process, medians)"
printf "terminus compare : %6.2f s  max RSS %5.0f MB  area between the lines %.1f m²\n" "$tt" "$(echo "$mt/1024" | bc -l)" "$area_t"
printf "shapely/GEOS     : %6.2f s  max RSS %5.0f MB  area between the lines %.1f m²\n" "$ts" "$(echo "$ms/1024" | bc -l)" "$area_s"
printf "ratio (shapely / terminus): %.2f×\n" "$(echo "$ts/$tt" | bc -l)"
