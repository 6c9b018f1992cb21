#!/usr/bin/env bash
# Configures and builds into build/ (the build tree is itself a plugin folder:
# build/plugins/<major>.<minor>/epan/apigee_hs.so).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$top" -B "$top/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAPG_WERROR=ON >/dev/null
cmake --build "$top/build" -j"$(nproc)" >/dev/null
