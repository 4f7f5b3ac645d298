#!/usr/bin/env bash
# Fuzz Terminus' readers and the record's parsers with libFuzzer on stable
# Rust (no sanitizers: SanitizerCoverage instrumentation only; overflow
# and debug assertions on). One binary, the target by TERMINUS_FUZZ_TARGET.
#
#   tools/fuzz/run.sh [SECONDS_PER_TARGET=30] [TARGET…]
#
# For each target: fuzz from fuzz/corpus/TARGET for the given time (inputs
# that add coverage are kept in fuzz/corpus/TARGET after a merge that keeps
# it small); a crash is saved in fuzz/regressions/TARGET (commit it, fix
# it: `cargo test -p terminus-fuzz` replays it) and the run fails. Prints
# executions per target; tools/fuzz/totals.tsv accumulates them.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-30}
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(geojson kml kmz gpx csv shapefile geopackage wkt wkb geotiff hgt ascii_grid protocol_description event bundle token canonical)
fi
HOST=$(rustc -vV | sed -n 's/^host: //p')
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing"
# --target keeps the instrumentation out of build scripts.
cargo build --release --manifest-path fuzz/Cargo.toml --target "$HOST" --target-dir target/fuzz -q
BIN=target/fuzz/$HOST/release/terminus-fuzzer
LOG=$(mktemp -d)
trap 'rm -rf "$LOG"' EXIT
failed=0
printf "%-22s %12s %8s %s\n" target executions exec/s result
for t in "${TARGETS[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/regressions/$t" "$LOG/$t"
  set +e
  TERMINUS_FUZZ_TARGET=$t "$BIN" "$LOG/$t" "fuzz/corpus/$t" \
    -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=4096 -max_len=1048576 \
    -artifact_prefix="fuzz/regressions/$t/" -print_final_stats=1 >"$LOG/$t.log" 2>&1
  code=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOG/$t.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$LOG/$t.log" | tail -1)
  if [ $code -eq 0 ]; then
    result=ok
    # Keep what added coverage, minimised into the committed corpus.
    TERMINUS_FUZZ_TARGET=$t "$BIN" -merge=1 "fuzz/corpus/$t" "$LOG/$t" >/dev/null 2>&1 || true
  else
    result="CRASH (exit $code): see fuzz/regressions/$t/ and below"
    failed=1
    grep -E "panicked|ERROR|SUMMARY|deadly signal|Test unit written" "$LOG/$t.log" | head -8
  fi
  printf "%-22s %12s %8s %s\n" "$t" "${runs:-0}" "${rate:-0}" "$result"
  printf "%s\t%s\t%s\t%s\n" "$(date -u +%FT%TZ)" "$t" "${runs:-0}" "$result" >>tools/fuzz/totals.tsv
done
exit $failed
