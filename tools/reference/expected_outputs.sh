#!/usr/bin/env bash
# The committed expected outputs of `terminus compare` on ../shared/data:
# every pair of the Armenia–Azerbaijan lines (Natural Earth, OSM, DCW,
# World Data Bank II) and of the Kyrgyzstan–Tajikistan lines (Natural
# Earth, OSM, DCW), OSM's territories as the parties. Checked by
# crates/compare/tests/real_data.rs, and against the independent
# reference (tools/reference/compare_reference.py) there.
# Usage: tools/reference/expected_outputs.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet
T=target/release/terminus
D=../shared/data/boundaries
$T compare $D/am_az/{naturalearth10m,geomaps_osm10m,dcw_gmt,gshhg_wdb_f}_ARM_AZE_shared.geojson \
  --names naturalearth10m,geomaps_osm10m,dcw_gmt,gshhg_wdb_f \
  --parties $D/am_az/geomaps_osm10m_ARM.geojson,$D/am_az/geomaps_osm10m_AZE.geojson --party-names ARM,AZE \
  --places ../shared/data/places/geonames_cities1000_AM_AZ_region.geojson --name-field city \
  --json > tests/expected/compare/am_az.json
$T compare $D/kg_tj/{naturalearth10m,geomaps_osm10m,dcw_gmt}_KGZ_TJK_shared.geojson \
  --names naturalearth10m,geomaps_osm10m,dcw_gmt \
  --parties $D/kg_tj/geomaps_osm10m_KGZ.geojson,$D/kg_tj/geomaps_osm10m_TJK.geojson --party-names KGZ,TJK \
  --json > tests/expected/compare/kg_tj.json
