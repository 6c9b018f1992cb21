#!/usr/bin/env bash
# Benchmark: what the plugin costs tshark on a capture of many handshakes.
#   sudo bench/run.sh [CONNECTIONS]     (default 3000; needs root for dumpcap)
# Makes a capture of CONNECTIONS real loopback TLS connections (half TLS 1.2,
# half TLS 1.3, one in ten failing on a version mismatch), then times tshark
# without and with the plugin, single pass and -2, and reports peak memory.
# Figures are written down in bench/RESULTS.md by hand, with the machine.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-3000}
work=$(mktemp -d /tmp/apg-bench.XXXXXX)
chmod 755 "$work"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
"$top/scripts/build.sh"
bash "$top/captures/tools/make-pki.sh" "$work/pki" >/dev/null 2>&1
P=$work/pki
dumpcap -q -i lo -f 'host 127.0.3.1 and tcp port 8443' -w "$work/bench.pcapng" 2>/dev/null &
cap=$!
sleep 1
openssl s_server -accept 127.0.3.1:8443 -cert $P/backend.pem -key $P/backend.key \
  -cert_chain $P/inter.pem -www -quiet >/dev/null 2>&1 &
sleep 0.5
for i in $(seq "$n"); do
  case $((i % 10)) in
    0) v=(-tls1 -cipher 'DEFAULT@SECLEVEL=0') ;;
    1|3|5|7) v=(-tls1_2) ;;
    *) v=(-tls1_3) ;;
  esac
  printf 'GET / HTTP/1.0\r\n\r\n' | openssl s_client -connect 127.0.3.1:8443 "${v[@]}" \
    -servername backend.example.test -ign_eof >/dev/null 2>&1 || true
done
sleep 1
kill -INT $cap; wait $cap || true
chmod 644 "$work/bench.pcapng"
mkdir -p "$work/plugins" && cp -r "$top/build/plugins/." "$work/plugins/" && chmod -R a+rX "$work/plugins"
mkdir -p "$work/home" && chown 65534:65534 "$work/home"
as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$work/home" "$@"; }
echo "capture: $(capinfos -c -M "$work/bench.pcapng" | awk -F: '/packets/{print $2}') packets, $n connections"
for mode in "" "-2"; do
  for plugin in no yes; do
    dir=/nonexistent; [ $plugin = yes ] && dir=$work/plugins
    for rep in 1 2 3; do
      as_user env WIRESHARK_PLUGIN_DIR="$dir" /usr/bin/time -f "%e %M" \
        tshark $mode -r "$work/bench.pcapng" >/dev/null 2>>"$work/t.$mode.$plugin"
    done
    best=$(sort -n "$work/t.$mode.$plugin" | head -1)
    echo "tshark ${mode:-(1 pass)} plugin=$plugin: best of 3 ${best% *} s, peak ${best#* } KB"
  done
done
as_user env WIRESHARK_PLUGIN_DIR="$work/plugins" tshark -q -r "$work/bench.pcapng" -z apigee_hs,handshakes |
  awk 'NF > 5 && $1 ~ /^[0-9]+$/ {c[$5]++} END {for (k in c) printf "handshakes %s: %d\n", k, c[k]}'
