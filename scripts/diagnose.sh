#!/usr/bin/env bash
# The main job: installs what is missing, builds the plugin, and prints the
# diagnosis of each capture, one row per TLS handshake.
#   scripts/diagnose.sh                  every capture bundled in captures/
#   scripts/diagnose.sh captures/X.pcapng  one of them (with the lab's roles)
#   scripts/diagnose.sh my.pcapng ...    your own captures
#   scripts/diagnose.sh -o apigee_hs.mp_addrs:10.0.1.21 my.pcapng   with your roles
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh"
"$top/scripts/build.sh"
# Options (-o NAME:VALUE) go to tshark; the bundled captures get their roles.
opts=() files=()
while [ $# -gt 0 ]; do
  case $1 in
    -o) opts+=(-o "$2"); shift 2 ;;
    *) files+=("$1"); shift ;;
  esac
done
[ ${#files[@]} -gt 0 ] || files=("$top"/captures/*.pcapng)
# The bundled captures were made with the lab's roles (captures/README.md):
# given none of your own, those captures get them, so the fixes are the leg's.
bundled=1
for f in "${files[@]}"; do
  [ "$(cd "$(dirname "$f")" 2>/dev/null && pwd)" = "$top/captures" ] || bundled=0
done
if [ ${#opts[@]} -eq 0 ] && [ $bundled = 1 ]; then
  opts=(-o apigee_hs.router_addrs:127.0.1.1 -o apigee_hs.mp_addrs:127.0.2.10)
fi
for f in "${files[@]}"; do
  printf '\n### %s\n' "$(basename "$f")"
  "$top/scripts/apg-tshark" -q -r "$f" "${opts[@]}" -z apigee_hs,handshakes | sed -n '/^=== Apigee/,$p' | sed 1d
done
