#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test
# (core unit tests, tshark end-to-end tests, robustness runs) with ctest.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh" --gui
"$top/scripts/build.sh"
ctest --test-dir "$top/build" --output-on-failure "$@"
