#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test
# (core unit tests, tshark end-to-end tests, robustness runs) with ctest; then
# the sanitizer pass (ASan + UBSan build: unit tests, e2e, crafted captures, 200
# mutants) and a short libFuzzer run of the core's harnesses.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh" --gui --fuzz --lint
"$top/scripts/build.sh"
ctest --test-dir "$top/build" --output-on-failure "$@"
"$top/scripts/sanitize.sh" 200
"$top/tests/fuzz/libfuzzer.sh" 30
