# Sourced by bench/serve.sh and tools/service/fuzz.sh: build, write the
# benchmark commission (serve_bench fixture: an agreed section with a
# 1,000-pillar catalogue) into a temporary folder $T, and start
# `terminus serve` on it (no rate limit) in the background. Sets T, PID,
# ADDR (http://127.0.0.1:PORT) and TOKEN (a member's token); stops the
# server and removes $T on exit.
cargo build --release -q -p terminus-cli
cargo build --release -q -p terminus-server --example serve_bench
T=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$T"' EXIT
target/release/examples/serve_bench fixture "$T" >/dev/null
target/release/terminus serve --store "$T/bench.sqlite" --commission AM-AZ --listen 127.0.0.1:0 \
  --rate-limit 1e9 --burst 1e9 >"$T/serve.log" &
PID=$!
for _ in $(seq 100); do grep -q http "$T/serve.log" 2>/dev/null && break; sleep 0.1; done
ADDR=$(grep -o 'http://[0-9.:]*' "$T/serve.log" | head -1)
TOKEN=$(cat "$T/token")
