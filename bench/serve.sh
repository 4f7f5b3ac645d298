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
cargo build --release -q -p terminus-cli
cargo build --release -q -p terminus-server --example serve_bench
T=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$T"' EXIT
target/release/examples/serve_bench fixture "$T" >/dev/null
target/release/terminus serve --store "$T/bench.sqlite" --commission AM-AZ --listen 127.0.0.1:0 \
  --rate-limit 1e9 --burst 1e9 >"$T/serve.log" &
PID=$!
for _ in $(seq 50); do grep -q http "$T/serve.log" 2>/dev/null && break; sleep 0.1; done
ADDR=$(grep -o 'http://[0-9.:]*' "$T/serve.log" | head -1)
TOKEN=$(cat "$T/token")
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
