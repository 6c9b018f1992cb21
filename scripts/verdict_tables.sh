#!/usr/bin/env bash
# The -z apigee_hs,csv table of every bundled and public capture, single pass
# and -2, from the plugin built in TOP/build: one file per capture and mode in
# OUT. Compare two builds with: diff -r OUT_A OUT_B
#   scripts/verdict_tables.sh TOP OUT
set -euo pipefail
top=$(cd "$1" && pwd) out=$2
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
roles=(-o apigee_hs.router_addrs:127.0.1.1 -o apigee_hs.mp_addrs:127.0.2.10)
mapfile -t files < <(ls "$here"/captures/*.pcapng; find "$here/../shared/captures/public" -name '*.pcap*' | sort)
table() { # capture, name, extra tshark options
  local f=$1 name=$2; shift 2
  "$top/scripts/apg-tshark" -q -r "$f" "${roles[@]}" "$@" -z apigee_hs,csv 2>/dev/null |
    sed -e "s#$top##g" -e 's#/tmp/apg-tshark\.[A-Za-z0-9]*/files/##g' > "$out/$name" || true
}
for f in "${files[@]}"; do
  name=$(echo "${f#"$here"/}" | sed "s#^\.\./##" | tr / _)
  table "$f" "$name.1pass" &
  table "$f" "$name.2pass" -2
  wait
done
echo "$(ls "$out" | wc -l) tables in $out"
