#!/usr/bin/env bash
# The web workspace's performance (issue 19), on this machine, in one run:
#
# 1. Vector tiles of the ~1,000,000-vertex claim lines of
#    bench/compare-1m.sh (OSM and DCW Armenia–Azerbaijan densified every
#    metre; each piece a proposal of a bench commission): every tile along
#    the lines at zooms 5–14, asked of the service in process, timed
#    (median, 95th percentile, largest) — crates/server/examples/web_bench.rs.
# 2. First meaningful paint of the demo commission (`terminus demo`'s
#    record served by `terminus serve`) in headless Chromium: navigation to
#    the page ready, then the member's key chosen to their lines drawn
#    (map idle); RUNS runs, medians.
# 3. A compare request on the demo's two claim lines (NE and World Atlas
#    Armenia–Azerbaijan), as the page makes it, over loopback: RUNS runs.
# 4. Panning and zooming over the 1M-vertex lines in headless Chromium
#    (6 s of easeTo steps, frame intervals by requestAnimationFrame), at
#    1280 × 800 and 640 × 400, against the same page with every layer
#    hidden (the software renderer's own ceiling on this machine).
#
# Needs ../shared/data, python3 with pyproj (for the densified lines),
# Node.js with tools/web/node_modules (npm ci there) and Debian's chromium.
# Usage: bench/web.sh [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=target/bench-web
cmp=target/bench-compare
data=../shared/data/boundaries/am_az
mkdir -p "$work" "$cmp"
[ -d "$data" ] || { echo "missing $data (../shared/data beside the checkout)" >&2; exit 2; }
cargo build --release --quiet
cargo build --release --quiet -p terminus-server --example web_bench
[ -f "$cmp/osm_1m.geojson" ] || python3 bench/densify_line.py "$data/geomaps_osm10m_ARM_AZE_shared.geojson" "$cmp/osm_1m.geojson" 1.0
[ -f "$cmp/dcw_1m.geojson" ] || python3 bench/densify_line.py "$data/dcw_gmt_ARM_AZE_shared.geojson" "$cmp/dcw_1m.geojson" 1.0
T=target/release/terminus
B=target/release/examples/web_bench

echo "== 1. vector tiles of the 1M-vertex lines"
$B fixture "$work/1m" "$cmp/osm_1m.geojson" "$cmp/dcw_1m.geojson" >/dev/null
$B tiles "$work/1m"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
serve() { # STORE COMMISSION → ADDR
  $T serve --store "$1" --commission "$2" --listen 127.0.0.1:0 --rate-limit 1e9 --burst 1e9 >"$work/serve-$2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 200); do grep -q http "$work/serve-$2.log" 2>/dev/null && break; sleep 0.1; done
  grep -o 'http://[0-9.:]*' "$work/serve-$2.log" | head -1
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== 2. first meaningful paint of the demo commission"
rm -rf "$work/demo"
$T demo --out "$work/demo" >/dev/null
demo=$(serve "$work/demo/ledger/am-az-sample.sqlite" AM-AZ-sample)
cat >"$work/paint.json" <<JSON
{"base": "$demo", "key": "$PWD/$work/demo/ledger/keys/arm-head.key", "what": "paint", "runs": $runs}
JSON
(cd tools/web && node bench/fps.mjs "$PWD/../../$work/paint.json") >"$work/paint.out"
python3 - "$work/paint.out" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["runs"]
a = [x["anonymous_ready_ms"] for x in r]; s = [x["signed_in_drawn_ms"] for x in r]
pa = [x["page_ready_ms"] for x in r]; ps = [x["page_signed_in_drawn_ms"] for x in r]
print(f"page ready (anonymous), the page's clock from navigation: median {statistics.median(pa):.0f} ms {sorted(pa)}")
print(f"  as the driver saw it: median {statistics.median(a):.0f} ms {sorted(a)}")
print(f"key chosen → the member's lines drawn, the page's clock: median {statistics.median(ps):.0f} ms {sorted(ps)}")
print(f"  as the driver saw it: median {statistics.median(s):.0f} ms {sorted(s)}")
PY

echo "== 3. a compare request on the demo lines"
token=$($T keys token --key "$work/demo/ledger/keys/arm-head.key" --commission AM-AZ-sample)
python3 - "$work/demo/sample" >"$work/compare.json" <<'PY'
import json, sys
d = sys.argv[1]
print(json.dumps({"lines": [
  {"name": "NE", "geojson": json.load(open(f"{d}/naturalearth10m_ARM_AZE_shared.geojson"))},
  {"name": "WA", "geojson": json.load(open(f"{d}/worldatlas10m_ARM_AZE_shared.geojson"))}]}))
PY
times=""
for ((r = 0; r < runs; r++)); do
  t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      --data-binary @"$work/compare.json" "$demo/api/workflows/compare")
  times+="$t "
done
echo "compare NE vs WA (Armenia–Azerbaijan, 267 and 264 vertices): median $(echo "$times" | median) s over $runs: $times"

echo "== 4. panning and zooming over the 1M-vertex lines"
big=$(serve "$work/1m/bench.sqlite" AM-AZ)
for vp in "1280 800" "640 400"; do
  set -- $vp
  for empty in false true; do
    cat >"$work/pan.json" <<JSON
{"base": "$big", "key": "$PWD/$work/1m/keys/arm-head.key", "what": "pan", "runs": 1, "empty": $empty,
 "viewport": {"width": $1, "height": $2}}
JSON
    (cd tools/web && node bench/fps.mjs "$PWD/../../$work/pan.json") >"$work/pan.out"
    python3 - "$work/pan.out" "$1×$2" "$empty" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["runs"][0]
f = sorted(r["frames"])
what = "every layer hidden" if sys.argv[3] == "true" else "the 1M-vertex lines drawn"
print(f"{sys.argv[2]}, {what}: median {1000 / statistics.median(f):.1f} fps, 5th percentile {1000 / f[int(len(f) * 0.95)]:.1f} fps over {len(f)} frames; signed in → drawn {r['signed_in_drawn_ms']} ms")
PY
  done
done
