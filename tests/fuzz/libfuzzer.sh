#!/usr/bin/env bash
# Coverage-guided fuzzing of the core without Wireshark (libFuzzer, ASan, UBSan):
#   tests/fuzz/libfuzzer.sh [SECONDS]     per harness; default 60
# Builds build-fuzz/ with clang (-DAPG_FUZZ=ON), makes the seed corpora from the
# captures (tests/fuzz/seeds.py) and the Apigee fixture exports, runs fuzz_cert,
# fuzz_events and fuzz_apigee for SECONDS each
# and prints their figures (executions, coverage, corpus, crashes). Crashing
# inputs are kept in build-fuzz/crashes/. Figures go to docs/reliability.md.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
out="$top/build-fuzz"
CC=clang cmake -S "$top" -B "$out" -DAPG_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$out" -j"$(nproc)" >/dev/null
python3 "$top/tests/fuzz/seeds.py" "$top/captures" "$out/seeds"
mkdir -p "$out/seeds/apigee" # the fixture exports, every shape the reader knows
find "$top/tests/apigee-config" -type f | while read -r f; do
  cp "$f" "$out/seeds/apigee/$(echo "${f#$top/tests/apigee-config/}" | tr / _)"; done
mkdir -p "$out/crashes"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
rc=0
for h in cert events apigee; do
  mkdir -p "$out/corpus/$h"
  echo "== fuzz_$h: $secs s, seeds $(ls "$out/seeds/$h" | wc -l)"
  if ! "$out/tests/fuzz/fuzz_$h" -max_total_time="$secs" -print_final_stats=1 \
      -artifact_prefix="$out/crashes/$h-" -max_len=65536 "$out/corpus/$h" "$out/seeds/$h" \
      >"$out/fuzz_$h.log" 2>&1; then
    rc=1
    echo "fuzz_$h FAILED: see $out/fuzz_$h.log and $out/crashes/"
  fi
  grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|Done [0-9]+ runs" \
    "$out/fuzz_$h.log" | tr '\n' ' '
  echo
  grep -E "cov: [0-9]+" "$out/fuzz_$h.log" | tail -1
  echo "corpus: $(ls "$out/corpus/$h" | wc -l) inputs; crashes: $(ls "$out/crashes" | grep -c "^$h-" || true)"
done
exit $rc
