#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test
# (core unit tests, tshark end-to-end tests, robustness runs) with ctest; then
# the sanitizer pass (ASan + UBSan build: unit tests, e2e, crafted captures, 200
# mutants) and a short libFuzzer run of the core's harnesses.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh" --gui --fuzz --lint
"$top/scripts/build.sh"
# The tests are single-threaded tshark runs: one per core halves the wall time
# on 2 cores (1,032 s serial, 561 s with -j2, measured 2026-12-03).
ctest --test-dir "$top/build" --output-on-failure -j "$(nproc)" "$@"
"$top/scripts/sanitize.sh" 200
"$top/tests/fuzz/libfuzzer.sh" 30
