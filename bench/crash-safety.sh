#!/usr/bin/env bash
# Crash safety under kill -9 (issue 16): N kills per case at spread or
# random moments, then the store, bundle or file is checked.
#   1. appends by `terminus sign` (CLI), killed at random moments: the
#      store always opens and verifies; no acknowledged (exit 0) event lost;
#   2. `ledger import` of a bundle, killed: the store verifies and holds
#      either none or all of the bundle's events (one transaction);
#   3. `ledger export`, and `terminus convert` to GeoPackage and Shapefile:
#      never a file under the final name that is not whole (the cargo
#      tests, with TERMINUS_CRASH_RUNS=N);
#   4. appends over HTTP with the server killed (SIGKILL) mid-stream:
#      every acknowledged event kept (the serve_cli test, N times).
# Usage: bench/crash-safety.sh [N=30]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-30}
cargo build --release -q -p terminus-cli
B=target/release/terminus
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

$B keys new --member arm-head --out "$T/arm.key" >/dev/null
$B keys new --member aze-head --out "$T/aze.key" >/dev/null
cat >"$T/members.json" <<JSON
{"members": [
 {"id": "arm-head", "party": "ARM", "role": "head", "public_key": "$($B keys public "$T/arm.key")"},
 {"id": "aze-head", "party": "AZE", "role": "head", "public_key": "$($B keys public "$T/aze.key")"}]}
JSON
$B sign commission --body "$T/members.json" --key "$T/arm.key" --store "$T/s.sqlite" --commission AM-AZ >/dev/null
echo '{"text": "a comment"}' >"$T/c.json"

# A kill at a random moment of a command's run: its duration measured
# once, the kill drawn from 0 to 130 % of it (so that some finish).
ms() { date +%s%3N; }
kill_within() { # DURATION_MS PID
  local at=$(( RANDOM % ($1 * 130 / 100 + 1) ))
  sleep "$(printf '%d.%03d' $((at / 1000)) $((at % 1000)))"
  kill -9 "$2" 2>/dev/null || true
  wait "$2" 2>/dev/null || true
}
t0=$(ms); $B sign comment --body "$T/c.json" --key "$T/arm.key" --store "$T/s.sqlite" --commission AM-AZ >/dev/null; SIGN_MS=$(( $(ms) - t0 ))
echo "== 1. terminus sign (${SIGN_MS} ms each) killed at random moments, $N times"
acked=1
for i in $(seq "$N"); do
  # A few acknowledged appends, then one killed 0–30 ms in.
  for _ in 1 2 3; do
    $B sign comment --body "$T/c.json" --key "$T/arm.key" --store "$T/s.sqlite" --commission AM-AZ >/dev/null
    acked=$((acked + 1))
  done
  $B sign comment --body "$T/c.json" --key "$T/aze.key" --store "$T/s.sqlite" --commission AM-AZ >/dev/null 2>&1 &
  kill_within "$SIGN_MS" $!
  n=$($B ledger verify "$T/s.sqlite" --json | python3 -c 'import json,sys; v=json.load(sys.stdin); assert v["valid"], v; print(v["events"])')
  [ "$n" -ge $((acked + 1)) ] || { echo "FAIL: $n events kept, $((acked + 1)) acknowledged"; exit 1; }
done
echo "ok: $N kills; $acked acknowledged appends, all kept; the store verified after each"

$B ledger export --store "$T/s.sqlite" --commission AM-AZ --out "$T/b.gpkg" >/dev/null
total=$($B ledger verify "$T/b.gpkg" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])')
t0=$(ms); $B ledger import "$T/b.gpkg" --store "$T/t.sqlite" --commission AM-AZ >/dev/null; IMPORT_MS=$(( $(ms) - t0 ))
echo "== 2. ledger import of $total events (${IMPORT_MS} ms) killed at random moments, $N times"
whole=0
for i in $(seq "$N"); do
  rm -f "$T/i.sqlite" "$T/i.sqlite-wal" "$T/i.sqlite-shm"
  $B ledger import "$T/b.gpkg" --store "$T/i.sqlite" --commission AM-AZ >/dev/null 2>&1 &
  kill_within "$IMPORT_MS" $!
  if [ -f "$T/i.sqlite" ]; then
    n=$($B ledger verify "$T/i.sqlite" --json | python3 -c 'import json,sys; v=json.load(sys.stdin); assert v["valid"], v; print(v["events"])' 2>/dev/null || echo bad)
    [ "$n" != bad ] || { echo "FAIL: the store does not verify after a killed import"; $B ledger verify "$T/i.sqlite"; exit 1; }
    [ "$n" = "$total" ] && whole=$((whole + 1))
    [ "$n" = "$total" ] || [ "$n" = 0 ] || { echo "FAIL: a killed import kept $n of $total events (all or none)"; exit 1; }
  fi
done
echo "ok: $N kills; the store verified after each and held all or none ($whole imports had finished)"

echo "== 3. export, convert to GeoPackage and Shapefile: $N kills each"
TERMINUS_CRASH_RUNS=$N cargo test --release -q -p terminus-cli --test ledger_cli an_interrupted_export -- --nocapture 2>&1 | grep -E "interrupted|test result"
TERMINUS_CRASH_RUNS=$N cargo test --release -q -p terminus-cli --test cli an_interrupted_convert -- --nocapture 2>&1 | grep -E "interrupted|test result"

echo "== 4. the server killed mid-stream of HTTP appends, $N times"
for i in $(seq "$N"); do
  cargo test --release -q -p terminus-cli --test serve_cli a_server_killed_mid_stream -- --nocapture 2>&1 | grep -E "acknowledged before SIGKILL|FAILED|panicked"
done
