#!/usr/bin/env bash
# Reference viewsheds for crates/demarcation/tests/viewshed_reference.rs:
# the bundled GEBCO Alay crop relabelled as a projected grid (EPSG:32643,
# 400 m square cells, west 300000, north 4400000 — the heights untouched),
# so that gdal_viewshed's grid arithmetic is meaningful, and three observers.
#   gdal_viewshed (GDAL 3.6, Debian 12 gdal-bin): -oz 2 -tz T -cc 0.87
#   r.viewshed (GRASS 8.2, grass-core): -c -r refraction_coeff=0.13, obs 2, target T
# Output: tests/fixtures/demarcation/viewshed_<tool>_<k>.u8.gz, raw bytes
# row-major, 600 × 336, 1 = visible, 0 = not.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/fixtures/demarcation
work=$(mktemp -d)
gdal_translate -q -a_srs EPSG:32643 -a_ullr 300000 4400000 540000 4265600 \
  data/gebco2023_alay_pamir_KG_TJ_15s.tif "$work/alay_utm.tif"
# observer column, row, target height
obs=("200 100 0" "350 250 1.5" "450 60 0" "4 253 0")
k=0
for o in "${obs[@]}"; do
  read -r c r t <<<"$o"
  x=$(python3 -c "print(300000 + ($c + 0.5) * 400)")
  y=$(python3 -c "print(4400000 - ($r + 0.5) * 400)")
  gdal_viewshed -q -ox "$x" -oy "$y" -oz 2 -tz "$t" -cc 0.87 -vv 1 -iv 0 -ov 0 "$work/alay_utm.tif" "$work/g$k.tif"
  gdal_translate -q -of ENVI "$work/g$k.tif" "$work/g$k.raw"
  gzip -9nc "$work/g$k.raw" > "$out/viewshed_gdal_$k.u8.gz"
  grass --tmp-location EPSG:32643 --exec bash -c "
    r.in.gdal --q input=$work/alay_utm.tif output=dem &&
    g.region raster=dem &&
    r.viewshed -c -r -b input=dem output=vs coordinates=$x,$y observer_elevation=2 target_elevation=$t refraction_coeff=0.13 memory=2000 --q &&
    r.out.gdal --q input=vs output=$work/r$k.tif format=GTiff type=Byte createopt=COMPRESS=NONE
  " >/dev/null 2>&1
  gdal_translate -q -of ENVI "$work/r$k.tif" "$work/r$k.raw"
  gzip -9nc "$work/r$k.raw" > "$out/viewshed_grass_$k.u8.gz"
  k=$((k + 1))
done
# (viewshed_README.txt states the observers and versions)
ls -l "$out"/viewshed_*
