#!/usr/bin/env bash
# The main job: installs what is missing, builds the plugin, and prints the
# diagnosis of each capture, one row per TLS handshake.
#   scripts/diagnose.sh                  every capture bundled in captures/
#   scripts/diagnose.sh my.pcapng ...    your own captures
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh"
"$top/scripts/build.sh"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$top"/captures/*.pcapng)
for f in "${files[@]}"; do
  printf '\n### %s\n' "$(basename "$f")"
  "$top/scripts/apg-tshark" -q -r "$f" -z apigee_hs,handshakes | sed -n '/^=== Apigee/,$p' | sed 1d
done
