#!/usr/bin/env bash
# The sanitizer pass: builds the core, its tests and the plugin with ASan +
# UBSan (-DAPG_SANITIZE=ON, every report fatal) in build-sanitize/, runs the
# core's unit tests, then tshark with the sanitizer runtimes preloaded over the
# end-to-end captures, the crafted captures and a short mutation fuzzing run.
#   scripts/sanitize.sh [FUZZ_RUNS]     (default 40 mutants; scripts/test.sh runs it)
# To use the sanitized plugin by hand:
#   LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)" \
#   ASAN_OPTIONS=detect_leaks=0 WIRESHARK_EXTCAP_DIR=/nonexistent \
#   WIRESHARK_PLUGIN_DIR=build-sanitize/plugins tshark -r capture.pcapng   (not as root)
# (androiddump, an extcap tshark starts, deadlocks under a preloaded ASan
# runtime: WIRESHARK_EXTCAP_DIR points tshark away from it.)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-40}
out="$top/build-sanitize"
cmake -S "$top" -B "$out" -DAPG_SANITIZE=ON -DAPG_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$out" -j"$(nproc)" >/dev/null
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$out" --output-on-failure -R 'unit|core_bench_smoke'
export APG_SANITIZER_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
# Two independent halves side by side (the tshark runs are single-threaded):
# the end-to-end captures; the crafted captures, then the mutants.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
python3 "$top/tests/e2e/run_e2e.py" --build "$out" --captures "$top/captures" \
  --expected "$top/tests/e2e/expected.tsv" >"$log" 2>&1 &
e2e=$!
status=0
python3 "$top/tests/e2e/run_robustness.py" --build "$out" --captures "$top/captures" --crafted-only &&
  python3 "$top/tests/fuzz/mutate.py" --build "$out" --captures "$top/captures" \
    --public "$top/../shared/captures/public" --runs "$runs" --seed 1 || status=1
wait "$e2e" || status=1
echo "-- end-to-end captures under the sanitizers:"
cat "$log"
if [ "$status" -ne 0 ]; then
  echo "sanitizer pass: FAILED (see above)"
  exit 1
fi
echo "sanitizer pass: clean"
