#!/usr/bin/env bash
# The service's limits on loopback (issue 16), bounded in time and size:
#  1. the log: GET /api/events?limit=1000 over a 1,000-event log (served
#     from stored bytes), wrk -t2 -c32; with BASELINE=path/to/terminus,
#     the same against that build on the same store, and the ratio;
#  2. mixed load: the items endpoint and the log at once;
#  3. abuse (tools/service/abuse.py) against a service with its default
#     limits (rate limit on, --header-timeout 2, 64 connections per
#     address): slow headers, distinct large headers, oversized bodies;
#     the server's RSS before and after, which must stay under 200 MB.
# Usage: bench/abuse.sh [SECONDS=10]
set -euo pipefail
cd "$(dirname "$0")/.."
D=${1:-10}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)"; exit 1; }
ulimit -n 8192 2>/dev/null || true
. tools/service/fixture-server.sh
echo "server: $ADDR (pid $PID); appending 1,000 events"
target/release/examples/serve_bench append "${ADDR#http://}" "$T" 1000
LOG="$ADDR/api/events?limit=1000"
curl -s -H "Authorization: Bearer $TOKEN" "$LOG" -o "$T/log.json"
echo "one page: $(wc -c <"$T/log.json") bytes"
wrk_run() { wrk -t2 -c32 -d"${D}s" --latency -H "Authorization: Bearer $TOKEN" "$1" | grep -E "Requests/sec|99%|Non-2xx|Socket errors"; }
echo "== 1. the log, 1,000 events a page"
R_NEW=$(wrk_run "$LOG" | tee /dev/stderr | awk '/Requests\/sec/ {print $2}')
if [ -n "${BASELINE:-}" ]; then
  "$BASELINE" serve --store "$T/bench.sqlite" --commission AM-AZ --listen 127.0.0.1:0 \
    --rate-limit 1e9 --burst 1e9 >"$T/base.log" &
  BPID=$!
  for _ in $(seq 100); do grep -q http "$T/base.log" 2>/dev/null && break; sleep 0.1; done
  BADDR=$(grep -o 'http://[0-9.:]*' "$T/base.log" | head -1)
  echo "== 1b. the same against BASELINE $BASELINE"
  R_OLD=$(wrk_run "$BADDR/api/events?limit=1000" | tee /dev/stderr | awk '/Requests\/sec/ {print $2}')
  kill $BPID
  python3 -c "print(f'ratio: {float(\"$R_NEW\") / float(\"$R_OLD\"):.1f}x the baseline')"
fi
echo "== 2. mixed: items and the log at once"
wrk -t1 -c16 -d"${D}s" -H "Authorization: Bearer $TOKEN" "$ADDR/collections/pillars/items" >"$T/items.txt" &
W=$!
wrk -t1 -c16 -d"${D}s" -H "Authorization: Bearer $TOKEN" "$LOG" >"$T/log.txt"
wait $W
echo "items: $(awk '/Requests\/sec/ {print $2}' "$T/items.txt") req/s; log: $(awk '/Requests\/sec/ {print $2}' "$T/log.txt") req/s"
echo "server RSS after load: $(($(ps -o rss= -p $PID) / 1024)) MB"
kill $PID
echo "== 3. abuse against the default limits (--header-timeout 2)"
target/release/terminus serve --store "$T/bench.sqlite" --commission AM-AZ --listen 127.0.0.1:0 \
  --header-timeout 2 >"$T/limited.log" &
PID=$!
for _ in $(seq 100); do grep -q http "$T/limited.log" 2>/dev/null && break; sleep 0.1; done
LADDR=$(grep -o 'http://[0-9.:]*' "$T/limited.log" | head -1)
echo "server RSS before: $(($(ps -o rss= -p $PID) / 1024)) MB"
python3 tools/service/abuse.py "${LADDR#http://}" "$TOKEN" 2000 5000
RSS=$(($(ps -o rss= -p $PID) / 1024))
echo "server RSS after: $RSS MB"
[ "$RSS" -lt 200 ] || { echo "FAIL: RSS $RSS MB over 200 MB"; exit 1; }
