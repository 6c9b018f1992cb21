#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test
# (core unit tests, tshark end-to-end tests, robustness runs) with ctest; then
# the sanitizer pass (ASan + UBSan build: unit tests, e2e, crafted captures,
# mutants) and a short libFuzzer run of the core's harnesses.
#
# Two campaigns. The default one keeps every test and check but fewer random
# inputs, so that the command fits in 20 minutes on a busy 2-core machine
# (docs/performance.md, "The test command"): byte errors with one seed, 100
# mutants, 10 s per fuzzer. APG_CAMPAIGN=full scripts/test.sh runs the whole
# campaign: three seeds with every output checked, 1,000 mutants, 300 s per
# fuzzer (about an hour on 2 cores).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export APG_CAMPAIGN=${APG_CAMPAIGN:-default}
if [ "$APG_CAMPAIGN" = full ]; then mutants=1000 fuzz_secs=300; else mutants=100 fuzz_secs=10; fi
start=$SECONDS
stage() { echo "== test.sh: $1 done at $((SECONDS - start)) s (campaign $APG_CAMPAIGN)"; }
"$top/scripts/install-deps.sh" --gui --fuzz --lint
"$top/scripts/build.sh"
stage "install and build"
# The tests are single-threaded tshark runs: one per core, side by side (the
# robustness run is in two halves for that).
ctest --test-dir "$top/build" --output-on-failure -j "$(nproc)" "$@"
stage "ctest"
"$top/scripts/sanitize.sh" "$mutants"
stage "sanitizer pass"
"$top/tests/fuzz/libfuzzer.sh" "$fuzz_secs"
stage "libFuzzer"
