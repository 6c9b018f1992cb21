#!/usr/bin/env bash
# The benchmark: what the plugin costs tshark, against tshark's own floor.
#   sudo bench/run.sh [RUNS] [SIZES]      defaults: 5 runs, 10000,100000,1000000 packets
# Makes the captures from real handshakes (every bundled capture, made by real TLS
# peers, replicated with bench/make_capture.py: new addresses per copy) and a capture
# of plain HTTP without TLS (Python's http.server and urllib on loopback), then runs,
# side by side, RUNS times each, as an unprivileged user:
#   plain       tshark -n -r F                      (no plugin; builds no tree)
#   floor       tshark -n -r F -Y "$FLOOR"          (no plugin; the tree with the TLS and
#               TCP fields a handshake post-dissector needs: the issue's definition)
#   fields      tshark -n -r F -Y "<the plugin's own fields>"  (no plugin)
#               (tcp.flags stands for the TCP header the plugin reads a payload's
#               first bytes from; tcp.payload is not requested)
#   plugin      tshark -n -r F                      (with the plugin)
#   plain-2 / floor-2 / plugin-2, and floor-q / plugin-z (-q -z apigee_hs,handshakes)
#   lua         tshark -n -r F -X lua_script:bench/peer.lua (8 of the same fields)
# With APG_BENCH_BASELINE=DIR (a build folder of an older commit, e.g. a git worktree
# built with scripts/build.sh), its plugin is measured beside ours in the same run:
#   base / base-2 / base-z  the baseline's plugin, as plugin / plugin-2 / plugin-z
# and prints the median CPU seconds (user+sys), wall seconds and peak RSS of each, and
# each one's ratio to plain tshark (to plain -2 for the -2 runs). Never -q alone: tshark
# then skips dissection and every plugin looks free. Figures go to docs/performance.md.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
sizes=${2:-10000,100000,1000000}
[ "$(id -u)" = 0 ] || { echo "run as root (dumpcap on loopback, and tshark as uid 65534)" >&2; exit 2; }
work=$(mktemp -d /tmp/apg-bench.XXXXXX)
chmod 755 "$work"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
"$top/scripts/build.sh"

FLOOR='tls.handshake.type || tls.alert_message.desc || tcp.flags.fin==1 || tcp.flags.reset==1 || frame'
FIELDS='tcp.stream || tcp.flags || tcp.len || tcp.analysis.out_of_order || tcp.analysis.ack_lost_segment || tcp.analysis.lost_segment || tls.record.content_type || tls.record.opaque_type || tls.record.version || tls.record.length || tls.handshake.type || tls.handshake.version || tls.handshake.random || tls.handshake.extensions.supported_version || tls.handshake.ciphersuite || tls.handshake.extension.type || tls.handshake.extensions_server_name || tls.handshake.certificate || tls.handshake.p_len || tls.alert_message.level || tls.alert_message.desc || frame'

# The base: every bundled capture as classic pcap (editcap cannot write pcap from a
# file with embedded secrets: those few are left out).
mkdir -p "$work/base"
for f in "$top"/captures/*.pcapng; do
  editcap -F pcap "$f" "$work/base/$(basename "$f" .pcapng).pcap" 2>/dev/null || rm -f "$work/base/$(basename "$f" .pcapng).pcap"
done

# Plain HTTP, no TLS: 300 requests to Python's http.server on loopback.
mkdir -p "$work/www" && head -c 2000 /dev/urandom | base64 > "$work/www/index.html"
dumpcap -q -i lo -f 'host 127.0.4.1 and tcp port 8080' -w "$work/http.pcapng" 2>/dev/null &
cap=$!
(cd "$work/www" && exec python3 -m http.server 8080 --bind 127.0.4.1 >/dev/null 2>&1) &
srv=$!
sleep 1.5
python3 - <<'PY'
import urllib.request
for _ in range(300):
    urllib.request.urlopen("http://127.0.4.1:8080/index.html").read()
PY
sleep 1
kill -INT $cap; wait $cap || true
kill $srv || true
editcap -F pcap "$work/http.pcapng" "$work/http-base.pcap"

mkdir -p "$work/plugins" "$work/home" && cp -r "$top/build/plugins/." "$work/plugins/"
baseline=${APG_BENCH_BASELINE:-}
if [ -n "$baseline" ]; then
  mkdir -p "$work/base-plugins" && cp -r "$baseline/plugins/." "$work/base-plugins/"
fi
cp "$top/bench/peer.lua" "$work/"
chown 65534:65534 "$work/home"
chmod -R a+rX "$work"
mkdir -m 1777 "$work/t"

as_user() {
  setpriv --reuid=65534 --regid=65534 --clear-groups env -i HOME="$work/home" PATH=/usr/bin:/bin "$@"
}
# measure NAME PLUGIN_DIR tshark-args...: RUNS runs; prints "NAME cpu wall rss" (medians)
measure() {
  local name=$1 dir=$2
  shift 2
  local out="$work/m.$name"
  : >"$out"
  for _ in $(seq "$runs"); do
    as_user env WIRESHARK_PLUGIN_DIR="$dir" /usr/bin/time -f "%U %S %e %M" -o "$work/t/time" \
      tshark "$@" >/dev/null 2>"$work/err" || true
    awk '{printf "%.2f %.2f %d\n", $1 + $2, $3, $4}' "$work/t/time" >>"$out"
  done
  med() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
  echo "$name $(cut -d' ' -f1 "$out" | med) $(cut -d' ' -f2 "$out" | med) $(cut -d' ' -f3 "$out" | med)"
}

report() { # capture label
  local F=$1 label=$2 none=/nonexistent P="$work/plugins" B="$work/base-plugins"
  local pk hs
  pk=$(capinfos -c -M "$F" | awk -F: '/packets/ {gsub(/ /, "", $2); print $2}')
  {
    measure plain $none -n -r "$F"
    measure floor $none -n -r "$F" -Y "$FLOOR"
    measure fields $none -n -r "$F" -Y "$FIELDS"
    measure plugin "$P" -n -r "$F"
    [ -z "$baseline" ] || measure base "$B" -n -r "$F"
    measure plain-2 $none -2 -n -r "$F"
    measure floor-2 $none -2 -n -r "$F" -Y "$FLOOR"
    measure plugin-2 "$P" -2 -n -r "$F"
    [ -z "$baseline" ] || measure base-2 "$B" -2 -n -r "$F"
    measure floor-q $none -q -n -r "$F" -Y "$FLOOR"
    measure plugin-z "$P" -q -n -r "$F" -z apigee_hs,handshakes
    [ -z "$baseline" ] || measure base-z "$B" -q -n -r "$F" -z apigee_hs,handshakes
    measure lua $none -n -r "$F" -X "lua_script:$work/peer.lua"
  } >"$work/r"
  hs=$(as_user env WIRESHARK_PLUGIN_DIR="$P" tshark -q -n -r "$F" -z apigee_hs,csv | tail -n +2 | wc -l)
  echo
  echo "== $label: $pk packets, $hs handshakes; medians of $runs runs (CPU = user+sys)"
  awk -v hs="$hs" '
    {cpu[$1] = $2; wall[$1] = $3; rss[$1] = $4; order[NR] = $1}
    END {
      printf "%-9s %8s %8s %10s %8s\n", "run", "CPU s", "wall s", "peak RSS", "ratio"
      for (i = 1; i <= NR; i++) {
        n = order[i]; base = (n ~ /-2$/) ? cpu["plain-2"] : cpu["plain"]
        printf "%-9s %8.2f %8.2f %8.0f MB %7.2fx\n", n, cpu[n], wall[n], rss[n] / 1024, cpu[n] / base
      }
      if (hs > 0)
        printf "plugin state: %.0f bytes a handshake (peak RSS plugin - fields)\n",
          (rss["plugin"] - rss["fields"]) * 1024 / hs
      if (hs > 0 && ("base" in rss))
        printf "baseline state: %.0f bytes a handshake (peak RSS base - fields)\n",
          (rss["base"] - rss["fields"]) * 1024 / hs
    }' "$work/r"
}

# The core alone, without Wireshark: events a second and bytes a handshake.
echo "== the core's micro-benchmark (bench/core_bench.c, no Wireshark)"
"$top/build/apg_core_bench" 1000000
if [ -n "$baseline" ] && [ -x "$baseline/apg_core_bench" ]; then
  echo "-- the baseline's core ($baseline)"
  "$baseline/apg_core_bench" 1000000
fi
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); $(tshark --version 2>/dev/null | head -1)"
IFS=, read -ra want <<<"$sizes"
for n in "${want[@]}"; do
  python3 "$top/bench/make_capture.py" "$work/tls-$n.pcap" "$n" "$work"/base/*.pcap 2>/dev/null
  chmod 644 "$work/tls-$n.pcap"
  report "$work/tls-$n.pcap" "TLS handshakes, $n packets"
done
python3 "$top/bench/make_capture.py" "$work/http.pcap" "${want[-1]}" "$work/http-base.pcap" 2>/dev/null
chmod 644 "$work/http.pcap"
report "$work/http.pcap" "plain HTTP, no TLS"
