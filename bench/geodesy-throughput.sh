#!/usr/bin/env bash
# Whole-process throughput on the same 1,000,000-line inputs, in the same run:
#   terminus geodesic inverse   vs GeographicLib's GeodSolve -i
#   terminus crs transform      vs PROJ's cs2cs
#     (a) WGS 84 → UTM 38N (EPSG:4326 → EPSG:32638)
#     (b) Pulkovo 1942 / GK zone 8 → WGS 84 through EPSG:15865 (cs2cs's own choice there)
# Runs alternate between the tools; medians of wall time, lines per second,
# and the ratios are printed. Needs geographiclib-tools and proj-bin (Debian).
# Usage: bench/geodesy-throughput.sh [RUNS]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=target/bench-geodesy
mkdir -p "$work"
for tool in GeodSolve cs2cs cct python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install geographiclib-tools proj-bin" >&2; exit 2; }
done
cargo build --release --quiet
T=target/release/terminus
python3 - "$work" <<'PY'
import random, sys
w = sys.argv[1]
r = random.Random(2013)
with open(f"{w}/inverse.txt", "w") as f:
    for _ in range(1_000_000):
        f.write(f"{r.uniform(-90, 90):.9f} {r.uniform(-180, 180):.9f} {r.uniform(-90, 90):.9f} {r.uniform(-180, 180):.9f}\n")
with open(f"{w}/latlon.txt", "w") as f:
    for _ in range(1_000_000):
        f.write(f"{r.uniform(38.0, 42.0):.9f} {r.uniform(42.0, 48.0):.9f}\n")
PY
# GK zone 8 northing/easting input from the same points, made with cs2cs.
cs2cs -d 4 EPSG:4284 EPSG:28408 < "$work/latlon.txt" | awk '{print $1, $2}' > "$work/gk8.txt"
# cs2cs chooses EPSG:15865 for Pulkovo 1942 → WGS 84 here (as `terminus crs
# ops` lists it first); terminus is told to use the same one.
declare -A cmd
cmd[geodsolve]="GeodSolve -i < $work/inverse.txt"
cmd[t_inverse]="$T geodesic inverse < $work/inverse.txt"
cmd[cs2cs_utm]="cs2cs -d 3 EPSG:4326 EPSG:32638 < $work/latlon.txt"
cmd[t_utm]="$T crs transform --from EPSG:4326 --to EPSG:32638 < $work/latlon.txt"
cmd[cs2cs_gk]="cs2cs -d 8 EPSG:28408 EPSG:4326 < $work/gk8.txt"
cmd[t_gk]="$T crs transform --from EPSG:28408 --to EPSG:4326 --op EPSG:15865 < $work/gk8.txt"
log="$work/times.tsv"; : > "$log"
for i in $(seq 1 "$runs"); do
  for k in geodsolve t_inverse cs2cs_utm t_utm cs2cs_gk t_gk; do
    s=$(date +%s.%N); bash -c "${cmd[$k]}" > "$work/$k.out" 2>/dev/null; e=$(date +%s.%N)
    echo -e "$k\t$(echo "$e - $s" | bc)" >> "$log"
  done
done
# The outputs agree: same first line in each pair.
echo "first lines: GeodSolve [$(head -1 $work/geodsolve.out)] terminus [$(head -1 $work/t_inverse.out)]"
echo "             cs2cs     [$(head -1 $work/cs2cs_utm.out)] terminus [$(head -1 $work/t_utm.out)]"
echo "             cs2cs     [$(head -1 $work/cs2cs_gk.out)] terminus [$(head -1 $work/t_gk.out)]"
python3 - "$log" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]) if l.strip()]
med = {k: statistics.median(float(r[1]) for r in rows if r[0] == k) for k in {r[0] for r in rows}}
for peer, ours, label, goal in [("geodsolve", "t_inverse", "geodesic inverse vs GeodSolve -i", 5), ("cs2cs_utm", "t_utm", "WGS 84 → UTM 38N vs cs2cs", 2), ("cs2cs_gk", "t_gk", "GK zone 8 → WGS 84 (EPSG:15865) vs cs2cs", 2)]:
    r = med[peer] / med[ours]
    print(f"{label}: terminus {med[ours]:.2f} s ({1e6/med[ours]/1e3:.0f} k lines/s), peer {med[peer]:.2f} s ({1e6/med[peer]/1e3:.0f} k lines/s), ratio {r:.2f}× (goal ≥ {goal}×)")
PY
