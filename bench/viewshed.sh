#!/usr/bin/env bash
# Viewshed of a whole DEM from one observer: Terminus against gdal_viewshed
# (GDAL 3.6, Debian gdal-bin) on the same DEM and settings, in the same run.
# DEM: the GEBCO Kyrgyzstan grid warped once with GDAL (bench only) to UTM
# 43N at 550 m (2995 × 1773 = 5,310,135 cells; gdal_viewshed needs a
# projected DEM):
#   gdalwarp -s_srs EPSG:4326 -t_srs EPSG:32643 -tr 550 550 -r bilinear -ot Int16 -co TILED=YES -co COMPRESS=DEFLATE NC OUT.tif
# Observer: 39.35°N 72.88°E (the Trans-Alay crest near Pik Lenin), 2 m; target 0 m;
# curvature with k = 0.13 (gdal_viewshed -cc 0.87).
# Runs alternate, N times (default 5); medians of whole-process wall time.
# Terminus methods: gdal-3.6 (the same approximation, identical output),
# gdal (Wang 2000 with GDAL ≥ 3.9's rule next to the observer), exact
# (van Kreveld's sweep); Terminus also reports its in-memory compute time.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5}
work=target/bench-viewshed
mkdir -p "$work"
dem=$work/kg_utm43.tif
[ -f "$dem" ] || gdalwarp -q -s_srs EPSG:4326 -t_srs EPSG:32643 -tr 550 550 -r bilinear -ot Int16 \
  -co TILED=YES -co COMPRESS=DEFLATE ../shared/data/dem/gebco2023_kyrgyzstan_15s.nc "$dem"
cargo build --release --quiet
T=target/release/terminus
read -r X Y _ <<<"$(echo "39.35 72.88" | cs2cs EPSG:4326 EPSG:32643 | tr '\t' ' ')"
now() { date +%s.%N; }
declare -A times compute
for i in $(seq "$n"); do
  t0=$(now); gdal_viewshed -q -ox "$X" -oy "$Y" -oz 2 -tz 0 -cc 0.87 "$dem" "$work/gdal.tif"; t1=$(now)
  times[peer]+="$(echo "$t1 - $t0" | bc) "
  for m in gdal-3.6 gdal exact; do
    t0=$(now)
    $T viewshed "$dem" --at 39.35,72.88 --observer-height 2 --target-height 0 --refraction 0.13 \
        --method "$m" --out "$work/t_$m.tif" --overwrite --json > "$work/t_$m.json"
    t1=$(now)
    c=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['compute_s'])" "$work/t_$m.json")
    times[$m]+="$(echo "$t1 - $t0" | bc) "
    compute[$m]+="$c "
  done
done
median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.3f}')" $1; }
g=$(median "${times[peer]}")
echo "cells: $(gdalinfo "$dem" | grep 'Size is')"
echo "gdal_viewshed            whole process median ${g} s"
for m in gdal-3.6 gdal exact; do
  t=$(median "${times[$m]}"); c=$(median "${compute[$m]}")
  r=$(python3 -c "print(f'{$t / $g:.2f}')")
  echo "terminus --method $m  whole process median ${t} s (compute ${c} s) = ${r}× gdal_viewshed's time"
done
# Peak memory, one more run each (GNU time's maximum resident set).
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
echo "peak memory: gdal_viewshed $(rss gdal_viewshed -q -ox "$X" -oy "$Y" -oz 2 -tz 0 -cc 0.87 "$dem" "$work/gdal.tif") KiB;" \
  "terminus gdal-3.6 $(rss $T viewshed "$dem" --at 39.35,72.88 --observer-height 2 --target-height 0 --refraction 0.13 --method gdal-3.6 --out "$work/t_gdal-3.6.tif" --overwrite) KiB;" \
  "terminus exact $(rss $T viewshed "$dem" --at 39.35,72.88 --observer-height 2 --target-height 0 --refraction 0.13 --method exact --out "$work/t_exact.tif" --overwrite) KiB"
python3 - "$work" <<'PY'
import subprocess, sys, numpy as np
w = sys.argv[1]
def load(p):
    subprocess.run(["gdal_translate", "-q", "-of", "ENVI", p, p + ".raw"], check=True)
    info = subprocess.run(["gdalinfo", p], capture_output=True, text=True).stdout
    cols, rows = [int(x) for x in info.split("Size is ")[1].split("\n")[0].split(",")]
    return np.fromfile(p + ".raw", dtype=np.uint8).reshape(rows, cols) > 0
g = load(f"{w}/gdal.tif")
for m in ["gdal-3.6", "gdal", "exact"]:
    t = load(f"{w}/t_{m}.tif")
    print(f"{m}: {int(t.sum())} visible vs gdal_viewshed {int(g.sum())}; cells differing {int((t != g).sum())} of {g.size}")
PY
