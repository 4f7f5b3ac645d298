#!/usr/bin/env bash
# Reference azimuths and distances for the pillar-catalogue test: the
# consecutive vertices of the bundled Natural Earth Kyrgyz–Tajik line
# (piece 0, 292 vertices), solved by GeographicLib's GeodSolve -i at
# nanometre precision. Output: lat1 lon1 lat2 lon2 azi1 azi2 s12.
#   apt-get install geographiclib-tools; bash tools/reference/geodsolve_pillars.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/fixtures/demarcation/geodsolve_ne_kg_tj.txt
python3 - <<'PY' > /tmp/pairs.txt
import json
d = json.load(open("data/naturalearth10m_KGZ_TJK_shared.geojson"))
cs = d["features"][0]["geometry"]["coordinates"]
for a, b in zip(cs, cs[1:]):
    print(repr(a[1]), repr(a[0]), repr(b[1]), repr(b[0]))
PY
{
  echo "# GeodSolve -i -p 9 ($(GeodSolve --version 2>&1 | head -1)); lat1 lon1 lat2 lon2 azi1 azi2 s12"
  paste -d' ' /tmp/pairs.txt <(GeodSolve -i -p 9 < /tmp/pairs.txt)
} > "$out"
wc -l "$out"
