#!/usr/bin/env bash
# Median line between two river banks of 10,000 vertices each (synthetic,
# reproducible: terminus_delimitation::synthetic::river_banks — a 50 km
# meandering channel 400–800 m wide with ±3 m roughness), on this
# machine's cores:
#   Terminus: median_line, start to finish (indexing included), median of RUNS;
#   every output vertex checked by brute force over every segment;
#   a brute-force geodesic reference on the same input: median points by
#   bisection on REF transects, every distance over every segment of both
#   banks; its time per point against Terminus' time for the whole line.
# Usage: bench/median-10k.sh [RUNS] [REF]   (defaults 5 and 200)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
ref=${2:-200}
cargo build --release --quiet -p terminus-delimitation --example median_river
nproc | sed 's/^/cores: /'
target/release/examples/median_river 10000 "$runs" "$ref"
