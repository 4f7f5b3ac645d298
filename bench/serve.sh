#!/usr/bin/env bash
# Benchmark of `terminus serve` on loopback (issue 8):
#  1. the OGC API items endpoint of a 1,000-feature collection (pillars),
#     read by wrk with 2 threads and 32 connections for D seconds, as one
#     page of the default limit (10) and as the whole collection
#     (limit=1000): requests/s and latency percentiles;
#  2. appends: N events signed and appended one after another over HTTP
#     (signature check, log update, durable SQLite commit each).
# Usage: bench/serve.sh [SECONDS=10] [EVENTS=3000]
set -euo pipefail
cd "$(dirname "$0")/.."
D=${1:-10}
N=${2:-3000}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)"; exit 1; }
. tools/service/fixture-server.sh
echo "server: $ADDR (pid $PID)"
for Q in "" "?limit=1000"; do
  echo "== wrk -t2 -c32 -d${D}s $ADDR/collections/pillars/items$Q"
  curl -s -H "Authorization: Bearer $TOKEN" "$ADDR/collections/pillars/items$Q" -o "$T/page.json"
  echo "one response: $(wc -c <"$T/page.json") bytes, $(grep -o "numberReturned\":[0-9]*" "$T/page.json")"
  wrk -t2 -c32 -d"${D}s" --latency -H "Authorization: Bearer $TOKEN" "$ADDR/collections/pillars/items$Q" \
    | grep -E "Requests/sec|Transfer/sec|50%|90%|99%|Non-2xx|Socket errors"
done
echo "== append $N events over HTTP, one after another"
target/release/examples/serve_bench append "${ADDR#http://}" "$T" "$N"
echo "server RSS: $(ps -o rss= -p $PID) KiB"
