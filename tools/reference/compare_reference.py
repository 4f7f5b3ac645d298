#!/usr/bin/env python3
"""Independent reference for `terminus compare`: the polygons enclosed
between two claim lines and their geodesic areas, with shapely 2 (GEOS) and
pyproj's Geod (GeographicLib), sharing no code with Terminus.

Same definitions as Terminus (crates/compare): gaps between pieces of one
line up to BRIDGE_M are bridged (free ends joined greedily, shortest first,
each end once); an end of one line is joined to the mutually nearest end of
the other up to JOIN_M. Every line is densified along its geodesics every
DENSIFY_M so that GEOS's straight edges in longitude/latitude follow the
geodesics (sagitta < 1 mm), then noded (unary_union) and polygonized; each
face's area is Geod.geometry_area_perimeter on WGS 84. Spurs are set
aside first as Terminus does (crates/compare/src/spurs.rs): an open piece
up to SPUR_M long, not the longest at an end where three or more pieces'
ends meet (within 1 mm), whose other end meets no other piece's end.

Made with shapely 2.2.0 (GEOS), pyproj 3.7.2 (PROJ 9.5.1) by

    python3 tools/reference/compare_reference.py ../shared/data \
        > tests/fixtures/compare/reference.json

Also usable as the benchmark's peer: `--bench A B` times one pair.
"""
import json
import sys
import time

from pyproj import Geod
from shapely import LineString, Point, polygonize, unary_union
from shapely.geometry import mapping  # noqa: F401  (kept for debugging)

GEOD = Geod(ellps="WGS84")
BRIDGE_M = 10_000.0
JOIN_M = 10_000.0
DENSIFY_M = 100.0
SPUR_M = 5_000.0

PAIRS = {
    "am_az": ["naturalearth10m", "geomaps_osm10m", "dcw_gmt", "gshhg_wdb_f"],
    "kg_tj": ["naturalearth10m", "geomaps_osm10m", "dcw_gmt"],
}
SUFFIX = {"am_az": "ARM_AZE_shared", "kg_tj": "KGZ_TJK_shared"}


def load(path):
    with open(path) as f:
        d = json.load(f)
    pieces = []
    for feat in d["features"]:
        g = feat["geometry"]
        parts = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
        for p in parts:
            q = [tuple(c[:2]) for i, c in enumerate(p) if i == 0 or tuple(c[:2]) != tuple(p[i - 1][:2])]
            if len(q) >= 2:
                pieces.append(q)
    return without_spurs(pieces)


def length(p):
    return sum(GEOD.inv(a[0], a[1], b[0], b[1])[2] for a, b in zip(p, p[1:]))


def without_spurs(pieces):
    open_ = [i for i, p in enumerate(pieces) if p[0] != p[-1]]
    ends = [(i, pieces[i][0]) for i in open_] + [(i, pieces[i][-1]) for i in open_]
    lengths = [length(p) for p in pieces]

    def at(c):
        return [i for i, e in ends if abs(e[0] - c[0]) < 1e-7 and abs(e[1] - c[1]) < 1e-7 and dist(e, c) < 1e-3]

    spurs = set()
    for i in open_:
        if lengths[i] > SPUR_M:
            continue
        p = pieces[i]
        for here, there in ((p[0], p[-1]), (p[-1], p[0])):
            junction = at(here)
            free = all(j == i for j in at(there))
            longest = all(j == i or lengths[j] < lengths[i] for j in junction)
            if len(junction) >= 3 and free and not longest:
                spurs.add(i)
                break
    if spurs:
        print(f"  {len(spurs)} spur(s) set aside: {sorted(spurs)}", file=sys.stderr)
    return [p for i, p in enumerate(pieces) if i not in spurs]


def dist(a, b):
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def free_ends(pieces):
    ends = []
    for i, p in enumerate(pieces):
        if p[0] == p[-1]:
            continue
        ends += [(i, p[0]), (i, p[-1])]
    return [e for k, e in enumerate(ends) if not any(m != k and f[1] == e[1] for m, f in enumerate(ends))]


def bridges(pieces):
    ends = free_ends(pieces)
    cand = sorted(
        (dist(ends[a][1], ends[b][1]), a, b)
        for a in range(len(ends))
        for b in range(a + 1, len(ends))
        if ends[a][0] != ends[b][0]
    )
    used, out = set(), []
    for d, a, b in cand:
        if d <= BRIDGE_M and a not in used and b not in used:
            used |= {a, b}
            out.append([ends[a][1], ends[b][1]])
    left = [e[1] for k, e in enumerate(ends) if k not in used]
    return out, left


def joins(ends_a, ends_b):
    out = []
    for ea in ends_a:
        if not ends_b:
            break
        eb = min(ends_b, key=lambda e: dist(ea, e))
        back = min(ends_a, key=lambda e: dist(eb, e))
        if back == ea and dist(ea, eb) <= JOIN_M and ea != eb:
            out.append([ea, eb])
    return out


def densify(line):
    out = [line[0]]
    for a, b in zip(line, line[1:]):
        n = int(dist(a, b) // DENSIFY_M)
        if n > 0:
            out += GEOD.npts(a[0], a[1], b[0], b[1], n)
        out.append(b)
    return out


def faces(pa, pb, dense=True):
    ba, ends_a = bridges(pa)
    bb, ends_b = bridges(pb)
    lines = pa + ba + pb + bb + joins(ends_a, ends_b)
    if dense:
        lines = [densify(l) for l in lines]
    noded = unary_union([LineString(l) for l in lines])
    out = []
    for poly in polygonize(noded.geoms if hasattr(noded, "geoms") else [noded]).geoms:
        area, _ = GEOD.geometry_area_perimeter(poly)
        p = poly.representative_point()
        out.append({"area_m2": abs(area), "point": [p.x, p.y]})
    out.sort(key=lambda f: -f["area_m2"])
    return out


def main():
    if sys.argv[1] == "--bench":
        pa, pb = load(sys.argv[2]), load(sys.argv[3])
        t = time.perf_counter()
        fs = faces(pa, pb, dense=False)
        print(json.dumps({"seconds": time.perf_counter() - t, "faces": len(fs),
                          "area_m2": sum(f["area_m2"] for f in fs)}))
        return
    root = sys.argv[1]
    result = {}
    for region, sources in PAIRS.items():
        for i, a in enumerate(sources):
            for b in sources[i + 1:]:
                pa = load(f"{root}/boundaries/{region}/{a}_{SUFFIX[region]}.geojson")
                pb = load(f"{root}/boundaries/{region}/{b}_{SUFFIX[region]}.geojson")
                fs = faces(pa, pb)
                result[f"{region}/{a}/{b}"] = {
                    "total_area_m2": sum(f["area_m2"] for f in fs),
                    "faces": fs,
                }
                print(f"{region} {a} {b}: {len(fs)} faces, {result[f'{region}/{a}/{b}']['total_area_m2']:.1f} m2", file=sys.stderr)
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
