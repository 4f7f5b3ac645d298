#!/usr/bin/env bash
# WhiteboxTools' FillDepressions, D8Pointer, D8FlowAccumulation and Basins
# on both GEBCO crops, as fixtures for crates/terrain/tests/whitebox_reference.rs
# (so tests need no WhiteboxTools). WhiteboxTools 2.4.0 was built from its
# public source for this only (cargo build --release -p whitebox_tools,
# after deleting tsp-rs's checksum line from its Cargo.lock); its code is
# not part of Terminus. Made by
#   WBT=/path/to/whitebox_tools tools/reference/whitebox_reference.sh ../shared/data/dem tests/fixtures/terrain
# Outputs (gzipped little-endian rasters, row-major from the north-west):
#   <crop>.wbt_fill.i16.gz          FillDepressions --fix_flats=false
#   <crop>.wbt_fill_flats.f32.gz    FillDepressions (fix_flats: WhiteboxTools' own gradient on filled flats)
#   <crop>.wbt_d8_accum.f32.gz      D8FlowAccumulation --out_type=cells of that
#   <crop>.wbt_basins.i32.gz        Basins of D8Pointer of that (every outlet's basin)
set -euo pipefail
src=$1; dst=$2
for crop in gebco2023_alay_pamir_KG_TJ_15s gebco2023_fergana_KG_TJ_UZ_enclaves_15s; do
tmp=$(mktemp -d)
cp "$src/$crop.tif" "$tmp/dem.tif"
# FillDepressions 2.4.0 sometimes panics at start-up ("Error unwrapping
# 'output'": a thread still holds its Arc); it is simply run again.
wbt() { for _ in 1 2 3 4 5 6 7 8; do "$WBT" "$@" > "$tmp/log" 2>&1 && return 0; done; cat "$tmp/log" >&2; return 1; }
wbt -r=FillDepressions -i="$tmp/dem.tif" -o="$tmp/fill.tif" --fix_flats=false
wbt -r=FillDepressions -i="$tmp/dem.tif" -o="$tmp/fill_flats.tif"
wbt -r=D8FlowAccumulation -i="$tmp/fill_flats.tif" -o="$tmp/acc.tif" --out_type=cells
wbt -r=D8Pointer -i="$tmp/fill_flats.tif" -o="$tmp/d8.tif"
wbt -r=Basins --d8_pntr="$tmp/d8.tif" -o="$tmp/basins.tif"
python3 - "$tmp" "$dst" "$crop" <<'PY'
import gzip, sys
import numpy as np, tifffile
tmp, dst, crop = sys.argv[1:]
for name, f, t in [("wbt_fill.i16", "fill.tif", "<i2"), ("wbt_fill_flats.f32", "fill_flats.tif", "<f4"), ("wbt_d8_accum.f32", "acc.tif", "<f4"), ("wbt_basins.i32", "basins.tif", "<i4")]:
    a = tifffile.imread(f"{tmp}/{f}").astype(t)
    with gzip.GzipFile(f"{dst}/{crop}.{name}.gz", "wb", mtime=0) as g:
        g.write(a.tobytes())
PY
rm -rf "$tmp"
done
