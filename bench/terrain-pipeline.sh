#!/usr/bin/env bash
# The hydrology pipeline on the whole GEBCO Kyrgyzstan grid (4398 × 2014 =
# 8,857,572 cells, 15″, int16), in the same run as RichDEM (PyPI
# richdem-fork: Priority-Flood +ε fill, then D8 accumulation, in memory).
# The netCDF grid is converted once to a GeoTIFF with GDAL (bench only):
#   gdal_translate -of GTiff -co COMPRESS=DEFLATE -co TILED=YES \
#     ../shared/data/dem/gebco2023_kyrgyzstan_15s.nc target/bench-terrain/kg.tif
# (the file has no CRS: Terminus is told --crs EPSG:4326).
# Reports Terminus' in-memory time (fill +ε, D8, accumulation, basins) and
# whole-process time with max RSS, RichDEM's fill and accumulation times;
# medians of RUNS.
# Needs gdal-bin, python3 with richdem-fork and tifffile.
# Usage: bench/terrain-pipeline.sh [RUNS]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=target/bench-terrain
mkdir -p "$work"
src=../shared/data/dem/gebco2023_kyrgyzstan_15s.nc
[ -f "$work/kg.tif" ] || gdal_translate -q -of GTiff -co COMPRESS=DEFLATE -co TILED=YES "$src" "$work/kg.tif"
python3 -c "import richdem, tifffile" 2>/dev/null || { echo "missing: pip install richdem-fork tifffile" >&2; exit 2; }
cargo build --release --quiet
T=target/release/terminus
cat > "$work/richdem_bench.py" <<'PY'
import sys, time, numpy as np, tifffile, richdem as rd
a = tifffile.imread(sys.argv[1])
r = rd.rdarray(a.astype(np.float32), no_data=-32768); r.geotransform = [0, 1, 0, 0, 0, -1]
t0 = time.perf_counter(); rd.FillDepressions(r, epsilon=True, in_place=True)
t1 = time.perf_counter(); rd.FlowAccumulation(r, method="D8")
t2 = time.perf_counter()
print(f"{t1-t0:.3f} {t2-t1:.3f}")
PY
declare -a tin twhole tmem rfill racc
for ((i = 0; i < runs; i++)); do
  out=$( { /usr/bin/time -f "TIME %e %M" $T terrain pipeline "$work/kg.tif" --crs EPSG:4326 --out "$work/out" --overwrite --drainage epsilon --metric drop; } 2>&1 )
  tin+=("$(echo "$out" | sed -n 's/.*(\([0-9.]*\) s in memory).*/\1/p')")
  twhole+=("$(echo "$out" | awk '/^TIME/ {print $2}')")
  tmem+=("$(echo "$out" | awk '/^TIME/ {print $3}')")
  r=$(python3 "$work/richdem_bench.py" "$work/kg.tif" 2>/dev/null | tail -1)
  rfill+=("${r% *}"); racc+=("${r#* }")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mi=$(median "${tin[@]}"); mw=$(median "${twhole[@]}"); mm=$(median "${tmem[@]}")
rf=$(median "${rfill[@]}"); ra=$(median "${racc[@]}")
echo "cells: 8857572 (GEBCO 2023 Kyrgyzstan, 15″); runs: $runs (medians)"
printf "terminus pipeline, in memory (fill+ε, D8, accumulation, basins): %.2f s\n" "$mi"
printf "terminus whole process (read, pipeline, write 4 GeoTIFFs): %.2f s, max RSS %.0f MB (%.1f bytes/cell)\n" "$mw" "$(echo "$mm/1024" | bc -l)" "$(echo "$mm*1024/8857572" | bc -l)"
printf "RichDEM in memory: fill+ε %.2f s + D8 accumulation %.2f s = %.2f s\n" "$rf" "$ra" "$(echo "$rf+$ra" | bc -l)"
printf "ratio RichDEM (fill+accumulation) / terminus (fill+D8+accumulation+basins): %.2f×\n" "$(echo "($rf+$ra)/$mi" | bc -l)"
