#!/usr/bin/env python3
"""Densify a GeoJSON line file geodesically (WGS 84, pyproj's Geod.npts):
a vertex every SPACING metres along every segment. For the compare benchmark.

    python3 bench/densify_line.py IN.geojson OUT.geojson 1.0
"""
import json
import sys

from pyproj import Geod

geod = Geod(ellps="WGS84")
src, dst, spacing = sys.argv[1], sys.argv[2], float(sys.argv[3])
d = json.load(open(src))
n = 0
for f in d["features"]:
    g = f["geometry"]
    parts = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
    out = []
    for p in parts:
        q = [p[0][:2]]
        for a, b in zip(p, p[1:]):
            s = geod.inv(a[0], a[1], b[0], b[1])[2]
            k = int(s // spacing)
            if k > 0:
                q += [list(x) for x in geod.npts(a[0], a[1], b[0], b[1], k)]
            q.append(b[:2])
        out.append(q)
        n += len(q)
    g["type"] = "MultiLineString"
    g["coordinates"] = out
json.dump(d, open(dst, "w"))
print(f"{dst}: {n} vertices", file=sys.stderr)
