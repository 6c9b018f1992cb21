#!/usr/bin/env bash
# The -z apigee_hs,csv table of every bundled and public capture, single pass
# and -2, from the plugin built in TOP/build: one file per capture and mode in
# OUT; and (.findings) the fields of each finding that the table does not
# show (alternatives, unseen, evidence frames, warnings, expert entries) on
# the verdict frames, -2. A key log beside a capture (NAME.keys.txt or
# NAME.keys) is used, as scripts/apg-batch does. Compare two builds with
#   scripts/verdict_diff.py OUT_A OUT_B   (verdicts; --words lists changed texts)
#   diff -r OUT_A OUT_B                   (everything)
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
finding_fields=(frame.number apigee_hs.outcome apigee_hs.cause apigee_hs.confidence
  apigee_hs.alternative apigee_hs.unseen apigee_hs.evidence_frame apigee_hs.warning
  apigee_hs.overlap apigee_hs.known_suites apigee_hs.weak_offer apigee_hs.failed_side
  _ws.expert.message)
findings() { # capture, name, extra tshark options
  local f=$1 name=$2; shift 2
  "$top/scripts/apg-tshark" -r "$f" "${roles[@]}" "$@" -2 -Y apigee_hs.verdict_here \
    -T fields -E occurrence=a -E aggregator=/ $(printf -- '-e %s ' "${finding_fields[@]}") \
    2>/dev/null > "$out/$name" || true
}
keys_of() { # capture: the -o for its key log, if one is beside it
  local k
  for k in "${1%.*}.keys.txt" "${1%.*}.keys"; do
    [ -f "$k" ] && { echo "-o"; echo "tls.keylog_file:$k"; return; }
  done
  return 0
}
for f in "${files[@]}"; do
  name=$(echo "${f#"$here"/}" | sed "s#^\.\./##" | tr / _)
  mapfile -t keys < <(keys_of "$f")
  table "$f" "$name.1pass" "${keys[@]}" &
  table "$f" "$name.2pass" -2 "${keys[@]}"
  wait
  findings "$f" "$name.findings" "${keys[@]}"
done
echo "$(ls "$out" | wc -l) tables in $out"
