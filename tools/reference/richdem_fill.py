#!/usr/bin/env python3
"""RichDEM's plain Priority-Flood fill of the GEBCO crops, as fixtures for
crates/terrain/tests/fill_reference.rs (so tests need no RichDEM).

Made with richdem-fork 3.0.0 and tifffile (PyPI) by

    python3 tools/reference/richdem_fill.py ../shared/data/dem tests/fixtures/terrain

Each output, <crop>.richdem_fill.i16.gz, is the filled grid as gzipped
little-endian int16, row-major from the north-west corner (the filled
heights of an int16 DEM are integers: plain fill sets pits level with
their spill point). RichDEM: FillDepressions(dem, epsilon=False), 8
neighbours, edge cells as outlets (the crops have no nodata).

For the Alay crop also <crop>.richdem_fill_eps.f32.gz (FillDepressions
with epsilon=True), <crop>.richdem_d8_accum.f32.gz (FlowAccumulation
method='D8' of that epsilon-filled grid) and
<crop>.richdem_flats_d8_accum.f32.gz (the plain fill, ResolveFlats, then
FlowAccumulation D8), all gzipped little-endian float32.
"""
import gzip
import sys

import numpy as np
import richdem as rd
import tifffile

src, dst = sys.argv[1], sys.argv[2]
for crop in ["gebco2023_fergana_KG_TJ_UZ_enclaves_15s", "gebco2023_alay_pamir_KG_TJ_15s"]:
    a = tifffile.imread(f"{src}/{crop}.tif")
    r = rd.rdarray(a.astype(np.float32), no_data=-32768)
    r.geotransform = [0, 1, 0, 0, 0, -1]
    f = np.array(rd.FillDepressions(r, epsilon=False, in_place=False))
    assert np.all(f == np.round(f))
    out = f.astype("<i2")
    with gzip.GzipFile(f"{dst}/{crop}.richdem_fill.i16.gz", "wb", mtime=0) as g:
        g.write(out.tobytes())
    print(f"{crop}: {a.shape[1]} x {a.shape[0]}, {(out != a).sum()} cells raised", file=sys.stderr)
    if "alay" in crop:
        e = rd.FillDepressions(r, epsilon=True, in_place=False)
        acc = np.array(rd.FlowAccumulation(e, method="D8"))
        flats = rd.ResolveFlats(rd.FillDepressions(r, epsilon=False, in_place=False), in_place=False)
        facc = np.array(rd.FlowAccumulation(flats, method="D8"))
        for name, arr in [("richdem_fill_eps", np.array(e)), ("richdem_d8_accum", acc), ("richdem_flats_d8_accum", facc)]:
            with gzip.GzipFile(f"{dst}/{crop}.{name}.f32.gz", "wb", mtime=0) as g:
                g.write(arr.astype("<f4").tobytes())
