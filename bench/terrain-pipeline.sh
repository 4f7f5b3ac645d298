#!/usr/bin/env bash
# The hydrology pipeline against RichDEM (and WhiteboxTools when
# WBT=/path/to/whitebox_tools is given), on the same input in the same run:
#   small: the whole GEBCO Kyrgyzstan grid, 4398 × 2014 = 8,857,572 cells
#   large: the same resampled to 340 % (bilinear), 14953 × 6847 = 102,383,191 cells
# Both are made once from ../shared/data/dem/gebco2023_kyrgyzstan_15s.nc with
# GDAL (bench only):
#   gdal_translate -of GTiff -co COMPRESS=DEFLATE -co TILED=YES -a_srs EPSG:4326 [-outsize 340% 340% -r bilinear -ot Int16] NC OUT.tif
# (the netCDF states no CRS; -a_srs EPSG:4326 gives the GeoTIFF one, which WhiteboxTools requires).
# Terminus: `terrain pipeline --drainage epsilon --metric drop` (fill+ε, D8,
# accumulation, basins; it prints its in-memory time) and whole-process time
# with max RSS. RichDEM (PyPI richdem-fork): FillDepressions(epsilon) and
# FlowAccumulation(D8), timed in memory, max RSS. WhiteboxTools:
# FillDepressions, D8Pointer, D8FlowAccumulation, Basins (whole processes).
# GRASS (when `grass` is installed: Debian grass-core): r.watershed -s
# (D8; its own least-cost depression handling, accumulation and basins),
# timed alone after r.in.gdal, in a temporary EPSG:4326 location.
# Usage: bench/terrain-pipeline.sh [small|large]   (default small)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-small}
work=target/bench-terrain
mkdir -p "$work"
src=../shared/data/dem/gebco2023_kyrgyzstan_15s.nc
if [ "$size" = large ]; then
  dem=$work/kg100m.tif
  [ -f "$dem" ] || gdal_translate -q -of GTiff -co COMPRESS=DEFLATE -co TILED=YES -a_srs EPSG:4326 -outsize 340% 340% -r bilinear -ot Int16 "$src" "$dem"
else
  dem=$work/kg.tif
  [ -f "$dem" ] || gdal_translate -q -of GTiff -co COMPRESS=DEFLATE -co TILED=YES -a_srs EPSG:4326 "$src" "$dem"
fi
python3 -c "import richdem, tifffile" 2>/dev/null || { echo "missing: pip install richdem-fork tifffile" >&2; exit 2; }
cargo build --release --quiet
T=target/release/terminus
cat > "$work/richdem_bench.py" <<'PY'
import sys, time, numpy as np, tifffile, richdem as rd
a = tifffile.imread(sys.argv[1])
r = rd.rdarray(a.astype(np.float32), no_data=-32768); r.geotransform = [0, 1, 0, 0, 0, -1]
del a
t0 = time.perf_counter(); rd.FillDepressions(r, epsilon=True, in_place=True)
t1 = time.perf_counter(); rd.FlowAccumulation(r, method="D8")
t2 = time.perf_counter()
open(sys.argv[2], "w").write(f"{t1-t0:.3f} {t2-t1:.3f}\n")  # (RichDEM's progress output clutters stdout)
PY
out=$( { /usr/bin/time -f "TIME %e %M" $T terrain pipeline "$dem" --out "$work/out" --overwrite --drainage epsilon --metric drop; } 2>&1 )
cells=$(echo "$out" | sed -n 's/^\([0-9]*\) × \([0-9]*\) cells.*/\1 \2/p' | awk '{print $1*$2}')
tin=$(echo "$out" | sed -n 's/.*(\([0-9.]*\) s in memory).*/\1/p')
tw=$(echo "$out" | awk '/^TIME/ {print $2}'); tm=$(echo "$out" | awk '/^TIME/ {print $3}')
r=$( { /usr/bin/time -f "TIME %e %M" python3 "$work/richdem_bench.py" "$dem" "$work/richdem.txt" >/dev/null; } 2>&1 )
rt=$(cat "$work/richdem.txt"); rm_=$(echo "$r" | grep -o 'TIME [0-9.]* [0-9]*' | awk '{print $3}')
rf=${rt% *}; ra=${rt#* }
echo "cells: $cells"
printf "terminus in memory (fill+ε, D8, accumulation, basins): %.2f s; whole process %.2f s; max RSS %.0f MB = %.1f bytes/cell\n" "$tin" "$tw" "$(echo "$tm/1024" | bc -l)" "$(echo "$tm*1024/$cells" | bc -l)"
printf "RichDEM in memory: fill+ε %.2f s + D8 accumulation %.2f s = %.2f s; max RSS %.0f MB\n" "$rf" "$ra" "$(echo "$rf+$ra" | bc -l)" "$(echo "$rm_/1024" | bc -l)"
printf "ratio RichDEM (fill+accumulation) / terminus (all four): %.2f×\n" "$(echo "($rf+$ra)/$tin" | bc -l)"
if [ -n "${WBT:-}" ]; then
  w() { for _ in 1 2 3 4 5 6; do "$WBT" "$@" > "$work/wbt.log" 2>&1 && return 0; done; cat "$work/wbt.log" >&2; return 1; }
  t0=$(date +%s.%N)
  w -r=FillDepressions -i="$PWD/$dem" -o="$PWD/$work/wbt_fill.tif"
  w -r=D8Pointer -i="$PWD/$work/wbt_fill.tif" -o="$PWD/$work/wbt_d8.tif"
  w -r=D8FlowAccumulation -i="$PWD/$work/wbt_d8.tif" --pntr -o="$PWD/$work/wbt_acc.tif" --out_type=cells
  w -r=Basins --d8_pntr="$PWD/$work/wbt_d8.tif" -o="$PWD/$work/wbt_basins.tif"
  t1=$(date +%s.%N)
  wt=$(echo "$t1-$t0" | bc)
  printf "WhiteboxTools (4 tools, whole processes): %.2f s; ratio to terminus whole process: %.2f×\n" "$wt" "$(echo "$wt/$tw" | bc -l)"
fi
if command -v grass >/dev/null 2>&1; then
  g=$(grass --tmp-location EPSG:4326 --exec bash -c "r.in.gdal input=$PWD/$dem output=dem -o --quiet && g.region raster=dem && /usr/bin/time -f 'RWATERSHED %e %M' r.watershed elevation=dem accumulation=acc drainage=dir basin=bas threshold=100000 -s --quiet" 2>&1 | grep -o 'RWATERSHED [0-9.]* [0-9]*')
  gt=$(echo "$g" | awk '{print $2}'); gm=$(echo "$g" | awk '{print $3}')
  printf "GRASS r.watershed -s: %.2f s, max RSS %.0f MB; ratio to terminus whole process: %.2f×\n" "$gt" "$(echo "$gm/1024" | bc -l)" "$(echo "$gt/$tw" | bc -l)"
fi
