#!/usr/bin/env bash
# Regenerates every scenario capture in captures/ from scratch: a fresh PKI,
# real TLS peers (OpenSSL, Java JSSE, nginx, curl, GnuTLS, Node.js, Python ssl, Go)
# on loopback, HAProxy and Apache mod_ssl, a CONNECT proxy and an SNI router of our own, and
# dumpcap -i lo with a capture filter per scenario. Needs root (dumpcap on lo,
# nginx) and the packages of scripts/install-deps.sh. Usage:
#   captures/generate.sh [SCENARIO...]      (default: all)
# APG_PKI=DIR keeps the PKI in DIR and reuses it on the next run (a partial run
# then matches the captures of the full run that made DIR).
# Roles use distinct loopback addresses so the legs read naturally:
#   client app 127.0.1.10 -> Edge Router 127.0.1.1:9443   (northbound)
#   Message Processor 127.0.2.10 -> backend 127.0.2.1:8443 (southbound)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here
work=$(mktemp -d /tmp/apigee-hs-gen.XXXXXX)
chmod 755 "$work"
pki=${APG_PKI:-$work/pki}
trap 'cleanup' EXIT

APP=127.0.1.10 ROUTER=127.0.1.1 RPORT=9443
MP=127.0.2.10 BACKEND=127.0.2.1 BPORT=8443
BHOST=backend.example.test RHOST=api.example.test

pids=()
cleanup() {
  [ -n "${lo_off:-}" ] && lo_offloads on
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -n "$cap_pid" ] && kill "$cap_pid" 2>/dev/null || true
  mtu_lab_down
  rm -rf "$work"
}

log() { printf '%s\n' "$*" >&2; }

# --- capture and peer helpers -------------------------------------------
cap_pid=
cap_start() { # NAME FILTER
  local file=$work/$1.pcapng
  dumpcap -q -i lo -f "$2" -w "$file" 2>"$work/dumpcap.log" &
  cap_pid=$!
  for _ in $(seq 100); do [ -s "$file" ] && break; sleep 0.05; done
  sleep 0.5
}
cap_stop() { # NAME -> writes $out/NAME.pcapng
  sleep 0.7
  kill -INT "$cap_pid"; wait "$cap_pid" || true
  cp "$work/$1.pcapng" "$out/$1.pcapng"
  log "  $1.pcapng: $(capinfos -c -M "$out/$1.pcapng" | awk -F: '/Number of packets/{gsub(/ /,"",$2); print $2}') packets"
}
wait_port() { # ADDR PORT
  for _ in $(seq 100); do
    ss -Hltn "src $1 and sport = :$2" | grep -q . && return 0
    sleep 0.1
  done
  log "server on $1:$2 did not start"; return 1
}
bg() { "$@" >"$work/bg.$!.log" 2>&1 & pids+=($!); }
stop_bg() {
  local p
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  pids=()
}

s_server() { # ADDR PORT ARGS... (serves HTTP via -www)
  local addr=$1 port=$2; shift 2
  bg openssl s_server -accept "$addr:$port" -www -quiet "$@"
  wait_port "$addr" "$port"
}
http_get() { printf 'GET / HTTP/1.0\r\nHost: x\r\n\r\n'; }
s_client() { # ADDR PORT ARGS...  (never fails the script: failures are the point)
  local addr=$1 port=$2; shift 2
  http_get | timeout 10 openssl s_client -connect "$addr:$port" -ign_eof "$@" >"$work/client.log" 2>&1 || true
}
mp_client() { # JAVA-FLAGS... -- MpClient args
  local jflags=()
  while [ "$1" != -- ]; do jflags+=("$1"); shift; done; shift
  timeout 30 java "${jflags[@]}" "$here/tools/MpClient.java" --bind "$MP" \
    --truststore "$pki/trust.p12" "$@" >"$work/java.log" 2>&1 || true
  log "    $(tail -1 "$work/java.log")"
}
nginx_start() { # CONF-BODY (server blocks)
  mkdir -p "$work/nginx/logs"
  cat >"$work/nginx/nginx.conf" <<CONF
user root root;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx; uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  $1
}
CONF
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
  sleep 0.3
}
nginx_stop() { [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")"; sleep 0.3; rm -f "$work/nginx.pid"; }
curl_app() { # ARGS...
  timeout 10 curl -sS -o /dev/null --interface "$APP" "$@" 2>"$work/curl.log" || true
  log "    curl: $(tail -1 "$work/curl.log")"
}

B="host $BACKEND and tcp port $BPORT"
R="host $ROUTER and tcp port $RPORT"
P=$pki

# --- scenarios ------------------------------------------------------------
sc_tls12_ok() {
  cap_start tls12-ok "$B"
  s_server $BACKEND $BPORT -tls1_2 -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem -naccept 1
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST -CAfile $P/root.pem -verify_return_error
  stop_bg; cap_stop tls12-ok
}
sc_tls13_ok() {
  cap_start tls13-ok "$B"
  s_server $BACKEND $BPORT -tls1_3 -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem -naccept 1
  s_client $BACKEND $BPORT -tls1_3 -servername $BHOST -CAfile $P/root.pem -verify_return_error
  stop_bg; cap_stop tls13-ok
}
sc_tls12_resumption() {
  cap_start tls12-resumption "$B"
  s_server $BACKEND $BPORT -tls1_2 -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem -naccept 2
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST -CAfile $P/root.pem -sess_out $work/sess
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST -CAfile $P/root.pem -sess_in $work/sess
  stop_bg; cap_stop tls12-resumption
}
sc_southbound_protocol_mismatch() {
  # The playbook's case: the MP offers TLSv1.2, the backend speaks only TLSv1.0.
  cap_start southbound-protocol-mismatch "$B"
  s_server $BACKEND $BPORT -tls1 -cipher 'DEFAULT@SECLEVEL=0' -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem
  mp_client -- --connect $BACKEND:$BPORT --host $BHOST --protocols TLSv1.2
  stop_bg; cap_stop southbound-protocol-mismatch
}
sc_protocol_mismatch_old_client() {
  # The other way: a TLSv1.0-only client against a backend that requires TLSv1.2.
  cap_start protocol-mismatch-old-client "$B"
  s_server $BACKEND $BPORT -tls1_2 -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem
  s_client $BACKEND $BPORT -tls1 -cipher 'DEFAULT@SECLEVEL=0' -servername $BHOST -CAfile $P/root.pem
  stop_bg; cap_stop protocol-mismatch-old-client
}
sc_tls13_only_server() {
  cap_start tls13-only-server-tls12-client "$B"
  s_server $BACKEND $BPORT -tls1_3 -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST -CAfile $P/root.pem
  stop_bg; cap_stop tls13-only-server-tls12-client
}
sc_northbound_cipher_mismatch() {
  # The Router allows only strong suites; the client app offers only CBC-SHA ones.
  cap_start northbound-cipher-mismatch "$R"
  nginx_start "server { listen $ROUTER:$RPORT ssl; server_name $RHOST;
    ssl_certificate $P/router-chain.pem; ssl_certificate_key $P/router.key;
    ssl_protocols TLSv1.2; ssl_ciphers ECDHE-RSA-AES256-GCM-SHA384; return 200 ok; }"
  curl_app --resolve $RHOST:$RPORT:$ROUTER --cacert $P/root.pem --tls-max 1.2 \
    --ciphers ECDHE-RSA-AES128-SHA:AES128-SHA https://$RHOST:$RPORT/
  nginx_stop; cap_stop northbound-cipher-mismatch
}
sc_northbound_protocol_mismatch() {
  # The Router takes TLSv1.2 and TLSv1.3 only; an old client app offers at most TLSv1.1.
  cap_start northbound-protocol-mismatch "$R"
  nginx_start "server { listen $ROUTER:$RPORT ssl; server_name $RHOST;
    ssl_certificate $P/router-chain.pem; ssl_certificate_key $P/router.key;
    ssl_protocols TLSv1.2 TLSv1.3; return 200 ok; }"
  curl_app --resolve $RHOST:$RPORT:$ROUTER --cacert $P/root.pem --tlsv1.1 --tls-max 1.1 \
    --ciphers 'DEFAULT@SECLEVEL=0' https://$RHOST:$RPORT/
  nginx_stop; cap_stop northbound-protocol-mismatch
}
nginx_sni_backend() { # a backend that rejects handshakes without the right SNI
  nginx_start "server { listen $BACKEND:$BPORT ssl default_server; ssl_reject_handshake on; }
    server { listen $BACKEND:$BPORT ssl; server_name $BHOST;
    ssl_certificate $P/backend-chain.pem; ssl_certificate_key $P/backend.key; return 200 ok; }"
}
sc_southbound_sni_missing_java() {
  # Apigee's MP misconfiguration: jsse.enableSNIExtension=false.
  cap_start southbound-sni-missing-java "$B"
  nginx_sni_backend
  mp_client -Djsse.enableSNIExtension=false -- --connect $BACKEND:$BPORT --host $BHOST --protocols TLSv1.2
  nginx_stop; cap_stop southbound-sni-missing-java
}
sc_sni_missing_openssl() {
  cap_start sni-missing-openssl "$B"
  nginx_sni_backend
  s_client $BACKEND $BPORT -tls1_2 -noservername -CAfile $P/root.pem
  nginx_stop; cap_stop sni-missing-openssl
}
sc_sni_present_control() {
  # Same SNI-enabled backend, the MP with SNI on: succeeds.
  cap_start southbound-sni-ok-java "$B"
  nginx_sni_backend
  mp_client -- --connect $BACKEND:$BPORT --host $BHOST --protocols TLSv1.2
  nginx_stop; cap_stop southbound-sni-ok-java
}
java_vs_backend() { # NAME CERT-ARGS...: the MP (TLSv1.2, host check on) against s_server
  local name=$1; shift
  cap_start "$name" "$B"
  s_server $BACKEND $BPORT -tls1_2 "$@"
  mp_client -- --connect $BACKEND:$BPORT --host $BHOST --protocols TLSv1.2
  stop_bg; cap_stop "$name"
}
sc_southbound_hostname_mismatch() {
  java_vs_backend southbound-hostname-mismatch -cert $P/wronghost.pem -key $P/wronghost.key -cert_chain $P/inter.pem
}
sc_southbound_chain_missing_intermediate() {
  java_vs_backend southbound-chain-missing-intermediate -cert $P/backend.pem -key $P/backend.key
}
sc_southbound_chain_wrong_intermediate() {
  java_vs_backend southbound-chain-wrong-intermediate -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter2.pem
}
sc_southbound_expired_leaf() {
  java_vs_backend southbound-expired-leaf -cert $P/expired.pem -key $P/expired.key -cert_chain $P/inter.pem
}
sc_unknown_ca() {
  cap_start unknown-ca-selfsigned "$B"
  s_server $BACKEND $BPORT -tls1_2 -cert $P/selfsigned.pem -key $P/selfsigned.key
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST -CAfile $P/root.pem -verify_return_error
  stop_bg; cap_stop unknown-ca-selfsigned
}
sc_mtls_no_client_cert() {
  cap_start mtls-no-client-cert "$B"
  s_server $BACKEND $BPORT -tls1_2 -Verify 1 -CAfile $P/root.pem -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST -CAfile $P/root.pem
  stop_bg; cap_stop mtls-no-client-cert
}
sc_mtls_rejected_client_cert() {
  cap_start mtls-rejected-client-cert "$B"
  s_server $BACKEND $BPORT -tls1_2 -Verify 1 -verify_return_error -CAfile $P/root.pem -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST -CAfile $P/root.pem -cert $P/rogueclient.pem -key $P/rogueclient.key -cert_chain $P/inter2.pem
  stop_bg; cap_stop mtls-rejected-client-cert
}
sc_server_not_listening() {
  cap_start server-not-listening "$B"
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST
  cap_stop server-not-listening
}
sc_no_server_response() {
  # A TCP listener that accepts and never speaks: the ClientHello is never answered.
  cap_start no-server-response "$B"
  silent_listener
  http_get | timeout 4 openssl s_client -connect $BACKEND:$BPORT -servername $BHOST -ign_eof >/dev/null 2>&1 || true
  stop_bg; cap_stop no-server-response
}
# A path-MTU black hole between network namespaces: client (10.77.1.2) ->
# router A -> a 1280-byte link -> router B -> server (10.77.2.2:8443), every
# endpoint on a 1500-byte link, segmentation offload off. The client's network
# drops ICMP "fragmentation needed" after the capture point (nftables in the
# client's namespace), so its TCP keeps resending the full-size ClientHello.
# MTU_FAMILY=6 builds the same path in IPv6 (fd77:N::, 1280 being IPv6's
# minimum MTU; routers never fragment, they send "packet too big").
mtu_ns=(apgc apgr apgm apgs)
mtu_addr() { # N HOST -> 10.77.N.HOST or fd77:N::HOST, for MTU_FAMILY
  if [ "${MTU_FAMILY:-4}" = 6 ]; then echo "fd77:$1::$2"; else echo "10.77.$1.$2"; fi
}
mtu_server() { # the server's address and port, as s_server and s_client take it
  if [ "${MTU_FAMILY:-4}" = 6 ]; then echo "[$(mtu_addr 2 2)]:8443"; else echo "$(mtu_addr 2 2):8443"; fi
}
mtu_lab_up() {
  local n d plen=24 opt=() icmp="icmp type destination-unreachable icmp code frag-needed"
  if [ "${MTU_FAMILY:-4}" = 6 ]; then
    plen=64 opt=(nodad) icmp="icmpv6 type packet-too-big" # nodad: usable at once
  fi
  for n in "${mtu_ns[@]}"; do ip netns del $n 2>/dev/null || true; ip netns add $n; ip -n $n link set lo up; done
  ip link add c0 netns apgc type veth peer name r0 netns apgr
  ip link add r1 netns apgr type veth peer name m0 netns apgm
  ip link add m1 netns apgm type veth peer name s0 netns apgs
  ip -n apgc addr add $(mtu_addr 1 2)/$plen dev c0 "${opt[@]}"; ip -n apgr addr add $(mtu_addr 1 1)/$plen dev r0 "${opt[@]}"
  ip -n apgr addr add $(mtu_addr 9 1)/$plen dev r1 "${opt[@]}"; ip -n apgm addr add $(mtu_addr 9 2)/$plen dev m0 "${opt[@]}"
  ip -n apgm addr add $(mtu_addr 2 1)/$plen dev m1 "${opt[@]}"; ip -n apgs addr add $(mtu_addr 2 2)/$plen dev s0 "${opt[@]}"
  for d in apgc:c0 apgr:r0 apgr:r1 apgm:m0 apgm:m1 apgs:s0; do
    ip -n ${d%%:*} link set ${d#*:} up
    ip netns exec ${d%%:*} ethtool -K ${d#*:} tso off gso off gro off >/dev/null 2>&1 || true
  done
  ip -n apgr link set r1 mtu 1280; ip -n apgm link set m0 mtu 1280
  ip -n apgc route add default via $(mtu_addr 1 1); ip -n apgr route add default via $(mtu_addr 9 2)
  ip -n apgm route add default via $(mtu_addr 9 1); ip -n apgs route add default via $(mtu_addr 2 1)
  for n in apgr apgm; do
    ip netns exec $n sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  done
  ip netns exec apgc nft -f - <<NFT
table inet blackhole {
  chain input {
    type filter hook input priority 0;
    $icmp drop
  }
}
NFT
}
mtu_lab_down() { local n; for n in "${mtu_ns[@]}"; do ip netns del $n 2>/dev/null || true; done; }
mtu_capture() { # NAME CLIENT-COMMAND...: the server listens on $(mtu_server)
  local name=$1; shift
  mtu_lab_up
  ip netns exec apgs openssl s_server -accept "$(mtu_server)" -www -quiet -cert $P/backend.pem \
    -key $P/backend.key -cert_chain $P/inter.pem >"$work/mtu-server.log" 2>&1 &
  local server=$!
  sleep 0.5
  ip netns exec apgc dumpcap -q -i c0 -f "tcp port 8443 or icmp or icmp6" -w "$work/$name.pcapng" 2>"$work/dumpcap.log" &
  local cap=$!
  for _ in $(seq 100); do [ -s "$work/$name.pcapng" ] && break; sleep 0.05; done
  sleep 0.5
  timeout "${MTU_WAIT:-4}" ip netns exec apgc "$@" >"$work/mtu-client.log" 2>&1 </dev/null || true
  log "    client: $(tail -1 "$work/mtu-client.log")"
  sleep "${MTU_TAIL:-1}" # the kernel resends what the client left behind, its FIN with it
  kill -INT $cap; wait $cap || true
  kill $server 2>/dev/null || true; wait $server 2>/dev/null || true
  mtu_lab_down
  cp "$work/$name.pcapng" "$out/$name.pcapng"
  log "  $name.pcapng: $(capinfos -c -M "$out/$name.pcapng" | awk -F: '/Number of packets/{gsub(/ /,"",$2); print $2}') packets"
}
# A ClientHello over 1280 bytes: six long ALPN names stand in for a large offer
# (post-quantum key shares, long suite lists).
mtu_alpn() { python3 -c "print(','.join(['x' * 200 + str(i) for i in range(6)]))"; }
sc_path_mtu_black_hole() {
  mtu_capture path-mtu-black-hole-openssl openssl s_client -connect "$(mtu_server)" \
    -servername $BHOST -alpn "$(mtu_alpn)"
  # The Message Processor (Java JSSE, a 3 s read timeout) against a backend
  # behind the tunnel: it gives up with "Read timed out".
  MTU_WAIT=10 MTU_TAIL=5 mtu_capture southbound-path-mtu-black-hole-java java "$here/tools/MpClient.java" \
    --connect "$(mtu_server)" --host $BHOST --trust-all --timeout 3000 --alpn "$(mtu_alpn)"
}
# The same black hole in IPv6: the router's ICMPv6 "packet too big" is dropped.
sc_path_mtu_black_hole_ipv6() {
  MTU_FAMILY=6 mtu_capture path-mtu-black-hole-ipv6-openssl openssl s_client \
    -connect "$(MTU_FAMILY=6 mtu_server)" -servername $BHOST -alpn "$(mtu_alpn)"
}
frame_of() { # FILE FILTER -> first matching frame number
  tshark -r "$1" -Y "$2" -T fields -e frame.number 2>/dev/null | head -1
}
sc_cut_captures() {
  # Derived from tls12-ok: cut right after the ServerHello flight, and one that
  # starts after the ClientHello (the capture missed the handshake's start).
  local src=$out/tls12-ok.pcapng sh ch
  [ -f "$src" ] || sc_tls12_ok
  sh=$(frame_of "$src" 'tls.handshake.type == 2')
  ch=$(frame_of "$src" 'tls.handshake.type == 1')
  editcap -r "$src" "$out/cut-after-server-hello.pcapng" "1-$sh"
  editcap -r "$src" "$out/missing-handshake-start.pcapng" "$((ch + 1))-9999"
  log "  cut-after-server-hello.pcapng, missing-handshake-start.pcapng"
}
tls13_with_keys() { # NAME SERVER-ARGS... -- CLIENT-ARGS...
  local name=$1 sargs=() ; shift
  while [ "$1" != -- ]; do sargs+=("$1"); shift; done; shift
  rm -f "$work/$name.keys"
  cap_start "$name" "$B"
  s_server $BACKEND $BPORT -tls1_3 "${sargs[@]}"
  s_client $BACKEND $BPORT -tls1_3 -keylogfile "$work/$name.keys" "$@"
  stop_bg; cap_stop "$name"
  cp "$work/$name.keys" "$out/$name.keys"
  editcap --inject-secrets "tls,$work/$name.keys" "$out/$name.pcapng" "$out/$name-embedded-keys.pcapng"
}
sc_tls13_hostname_mismatch() {
  tls13_with_keys tls13-hostname-mismatch -cert $P/wronghost.pem -key $P/wronghost.key -cert_chain $P/inter.pem \
    -- -servername $BHOST -verify_hostname $BHOST -CAfile $P/root.pem -verify_return_error
}
sc_tls13_mtls_no_client_cert() {
  tls13_with_keys tls13-mtls-no-client-cert -Verify 1 -CAfile $P/root.pem -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem \
    -- -servername $BHOST -CAfile $P/root.pem
}
sc_tls12_renegotiation() {
  # A client-initiated renegotiation: the second handshake runs inside the
  # first one's encryption, so only the key log shows it.
  local name=tls12-renegotiation
  rm -f "$work/$name.keys"
  cap_start $name "$B"
  s_server $BACKEND $BPORT -tls1_2 -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem -naccept 1
  ( printf 'R\n'; sleep 1; http_get; sleep 1 ) | timeout 10 openssl s_client -connect $BACKEND:$BPORT \
    -tls1_2 -servername $BHOST -CAfile $P/root.pem -keylogfile "$work/$name.keys" >"$work/client.log" 2>&1 || true
  stop_bg; cap_stop $name
  cp "$work/$name.keys" "$out/$name.keys"
  editcap --inject-secrets "tls,$work/$name.keys" "$out/$name.pcapng" "$out/$name-embedded-keys.pcapng"
}
raw() { python3 "$here/tools/raw_peers.py" "$@"; }
sc_non_tls_response() {
  # An https client pointed at a plain HTTP port: nginx answers 400 in clear text.
  cap_start non-tls-response "$B"
  nginx_start "server { listen $BACKEND:$BPORT; return 200 ok; }"
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST
  nginx_stop; cap_stop non-tls-response
}
raw_server_scenario() { # NAME reset|close CLIENT-ARGS...
  local name=$1 how=$2; shift 2
  cap_start "$name" "$B"
  bg python3 "$here/tools/raw_peers.py" "$how-server" $BACKEND $BPORT
  wait_port $BACKEND $BPORT
  s_client $BACKEND $BPORT -tls1_2 "$@"
  stop_bg; cap_stop "$name"
}
sc_sni_missing_server_reset() {
  # Like an ingress that resets connections without SNI.
  raw_server_scenario sni-missing-server-reset reset -noservername
}
sc_server_reset() { raw_server_scenario server-reset reset -servername $BHOST; }
sc_server_closed() { raw_server_scenario server-closed close -servername $BHOST; }
sc_slow_close_without_sni() {
  # A server that closes 3 s after a ClientHello without SNI: a timeout-like
  # close, so SNI is only one possible reason.
  raw_server_scenario sni-missing-slow-server-close slow-close -noservername
}
sc_client_abort() {
  cap_start client-abort "$B"
  s_server $BACKEND $BPORT -tls1_2 -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem -naccept 1
  raw abort-client $BACKEND $BPORT $BHOST || true
  stop_bg; cap_stop client-abort
}
sc_cipher_mismatch_learned() {
  # One backend, two MPs' worth of clients: the first shares the backend's only
  # suite and succeeds, the second offers only other suites and is refused. The
  # first handshake teaches the plugin which suite this server takes.
  cap_start cipher-mismatch-learned-profile "$B"
  s_server $BACKEND $BPORT -tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384 -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem -naccept 2
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST -CAfile $P/root.pem
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST -cipher 'ECDHE-RSA-AES128-SHA:AES128-SHA'
  stop_bg; cap_stop cipher-mismatch-learned-profile
}
sc_virtual_hosts_suites_by_name() {
  # One address, two names: an SNI router (tools/sni_router.py, as HAProxy's
  # req.ssl_sni, nginx's ssl_preread or an Apigee Router's virtual hosts) in
  # front of two OpenSSL servers. backend.example.test takes only
  # ECDHE-RSA-AES128-GCM-SHA256, other.example.test only
  # ECDHE-RSA-AES256-GCM-SHA384. A client succeeds with the first name; a second
  # asks for the other name offering only the first name's suite and is refused:
  # what one name accepted says nothing of the other.
  cap_start virtual-hosts-suites-by-name "$B"
  s_server 127.0.2.2 $BPORT -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem -naccept 1
  s_server 127.0.2.3 $BPORT -tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384 -cert $P/wronghost.pem -key $P/wronghost.key -cert_chain $P/inter.pem -naccept 1
  bg python3 "$here/tools/sni_router.py" $BACKEND:$BPORT $BHOST=127.0.2.2:$BPORT other.example.test=127.0.2.3:$BPORT
  wait_port $BACKEND $BPORT
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST -CAfile $P/root.pem
  s_client $BACKEND $BPORT -tls1_2 -servername other.example.test -cipher ECDHE-RSA-AES128-GCM-SHA256 -CAfile $P/root.pem
  stop_bg; cap_stop virtual-hosts-suites-by-name
}
node_app() { # ADDR PORT NAME [KEYLOG] [TLS-MAX]: a Node.js client app (tools/node_client.js)
  timeout 10 node "$here/tools/node_client.js" "$1" "$2" "$3" $P/root.pem "${4:-}" "${5:-}" "$APP" \
    >"$work/node.log" 2>&1 || true
  log "    node: $(tail -1 "$work/node.log")"
}
sc_node_expired_tls12() {
  # Node.js verifies after OpenSSL's handshake: against an expired leaf it
  # completes the handshake, then destroys the socket without an alert or data.
  cap_start northbound-expired-node-tls12 "$R"
  s_server $ROUTER $RPORT -tls1_2 -cert $P/expired.pem -key $P/expired.key -cert_chain $P/inter.pem -naccept 1
  node_app $ROUTER $RPORT $RHOST "" TLSv1.2
  stop_bg; cap_stop northbound-expired-node-tls12
}
sc_node_expired_tls13() {
  # The same in TLS 1.3, with Node's key log: the expired leaf is readable with
  # the keys only.
  cap_start northbound-expired-node-tls13 "$R"
  rm -f "$work/node.keys"
  s_server $ROUTER $RPORT -tls1_3 -cert $P/expired.pem -key $P/expired.key -cert_chain $P/inter.pem -naccept 1
  node_app $ROUTER $RPORT $RHOST "$work/node.keys" TLSv1.3
  stop_bg; cap_stop northbound-expired-node-tls13
  cp "$work/node.keys" "$out/northbound-expired-node-tls13.keys"
}
sc_python_name_after_handshake() {
  # A Python client that checks the name after the handshake (ssl.match_hostname,
  # as older libraries did) against a certificate for another name: it closes
  # without an alert and without data.
  cap_start northbound-hostname-after-handshake-python "$R"
  s_server $ROUTER $RPORT -tls1_2 -cert $P/wronghost.pem -key $P/wronghost.key -cert_chain $P/inter.pem -naccept 1
  timeout 10 python3 "$here/tools/py_name_after_handshake.py" $ROUTER $RPORT $RHOST $P/root.pem "$APP" \
    >"$work/py.log" 2>&1 || true
  log "    python: $(tail -1 "$work/py.log")"
  stop_bg; cap_stop northbound-hostname-after-handshake-python
}
sc_private_ca_direct_ok() {
  # A private CA that signs the backend's certificate directly: the backend
  # sends the leaf alone, the MP's truststore holds the root, all is well.
  java_vs_backend southbound-private-ca-direct-ok -cert $P/direct.pem -key $P/direct.key -naccept 1
}
sc_private_ca_direct_untrusted() {
  # The same shape under another private root, which the MP's truststore lacks:
  # Java refuses with certificate_unknown. The leaf alone cannot tell a missing
  # intermediate from a root the client lacks; the other root as the truststore
  # preference can.
  java_vs_backend southbound-private-ca-direct-untrusted -cert $P/otherdirect.pem -key $P/otherdirect.key -naccept 1
}
sc_connect_proxy_coalesced_tls13() {
  # The MP reaches the backend through a forward proxy (HTTP CONNECT, as
  # tools/connect_proxy.py, which relays bytes and coalesces what arrives
  # within 50 ms): the backend's two tickets, its HTTP response and its
  # close_notify reach the client in one segment. A success.
  cap_start southbound-connect-proxy-coalesced-tls13 "host 127.0.2.20 and tcp port 3128"
  s_server $BACKEND $BPORT -tls1_3 -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem -naccept 1
  bg python3 "$here/tools/connect_proxy.py" 127.0.2.20:3128 --resolve $BHOST=$BACKEND
  wait_port 127.0.2.20 3128
  timeout 10 curl -sS -m 10 -o /dev/null --interface $MP -p -x http://127.0.2.20:3128 --cacert $P/root.pem \
    https://$BHOST:$BPORT/ 2>"$work/curl.log" || true
  log "    curl: $(tail -1 "$work/curl.log")"
  stop_bg; cap_stop southbound-connect-proxy-coalesced-tls13
}
sc_gnutls_version_mismatch() {
  # A GnuTLS backend that takes TLS 1.3 only: a TLS 1.3 client succeeds, then
  # a TLS 1.2-only OpenSSL client is refused, with handshake_failure (GnuTLS
  # does not say protocol_version): the first handshake shows the version.
  cap_start gnutls-server-tls13-only-tls12-client "$B"
  bg gnutls-serv --http --port $BPORT --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' \
    --x509certfile $P/backend-chain.pem --x509keyfile $P/backend.key
  sleep 1.5
  s_client $BACKEND $BPORT -tls1_3 -servername $BHOST -CAfile $P/root.pem
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST -CAfile $P/root.pem
  log "    s_client: $(grep -m1 -i 'alert\|error' "$work/client.log" || true)"
  stop_bg; cap_stop gnutls-server-tls13-only-tls12-client
}
sc_mtls_allowlist_silent_tls13() {
  # Two-way TLS 1.3: a Python backend (tools/py_mtls_allowlist_server.py) trusts
  # both roots but allows only the subject app-client, and checks it after the
  # handshake; the client (s_client) presents rogue-client: the server drops the
  # connection without an alert. With the server's key log.
  cap_start southbound-mtls-allowlist-silent-tls13 "$B"
  rm -f "$work/mtls.keys"
  bg python3 "$here/tools/py_mtls_allowlist_server.py" $BACKEND $BPORT $P/backend-chain.pem $P/backend.key \
    $P/root.pem $P/otherroot.pem --allow app-client --keylog "$work/mtls.keys"
  wait_port $BACKEND $BPORT
  s_client $BACKEND $BPORT -tls1_3 -servername $BHOST -CAfile $P/root.pem \
    -cert $P/rogueclient.pem -key $P/rogueclient.key -cert_chain $P/inter2.pem
  stop_bg; cap_stop southbound-mtls-allowlist-silent-tls13
  cp "$work/mtls.keys" "$out/southbound-mtls-allowlist-silent-tls13.keys"
}
go_server() { # ARGS... of tools/go_tls_server.go, built once; serves on $BACKEND:$BPORT
  [ -x "$work/go_tls_server" ] || (cd "$here/tools" && go build -o "$work/go_tls_server" go_tls_server.go)
  bg "$work/go_tls_server" -addr $BACKEND:$BPORT "$@"
  wait_port $BACKEND $BPORT
}
curl_mp() { # ARGS...: curl as the Message Processor's client (key log: $KEYLOG, if set)
  SSLKEYLOGFILE=${KEYLOG:-} timeout 10 curl -sS -m 10 -o /dev/null --interface $MP --cacert $P/root.pem "$@" \
    https://$BHOST:$BPORT/ 2>"$work/curl.log" || true
  log "    curl: $(tail -1 "$work/curl.log")"
}
sc_alpn_h2_only_node() {
  # A Node.js backend that speaks HTTP/2 only (ALPNProtocols ['h2']): curl
  # offering h2 and http/1.1 is served (h2 selected), curl --http1.1 offers
  # http/1.1 only and is refused with no_application_protocol.
  # With the clients' key log: it shows the h2 selected in EncryptedExtensions.
  cap_start southbound-alpn-h2-only-node "$B"
  bg node "$here/tools/node_tls_server.js" $BACKEND $BPORT $P/backend-chain.pem $P/backend.key h2 2
  wait_port $BACKEND $BPORT
  rm -f "$work/alpn.keys"
  KEYLOG=$work/alpn.keys curl_mp --http2 --resolve $BHOST:$BPORT:$BACKEND
  KEYLOG=$work/alpn.keys curl_mp --http1.1 --resolve $BHOST:$BPORT:$BACKEND
  stop_bg; cap_stop southbound-alpn-h2-only-node
  cp "$work/alpn.keys" "$out/southbound-alpn-h2-only-node.keys"
}
sc_alpn_http11_only_go() {
  # A Go backend that requires http/1.1: curl --http1.1 is served, an
  # HTTP/2-only client (s_client -alpn h2, as a gRPC channel offers) is
  # refused with no_application_protocol. Go checks ALPN after its TLS 1.3
  # ServerHello, so the alert is encrypted: the clients' key log reads it.
  cap_start southbound-alpn-http11-only-go "$B"
  go_server -cert $P/backend-chain.pem -key $P/backend.key -alpn http/1.1 -n 2
  rm -f "$work/alpn.keys"
  KEYLOG=$work/alpn.keys curl_mp --http1.1 --resolve $BHOST:$BPORT:$BACKEND
  s_client $BACKEND $BPORT -servername $BHOST -CAfile $P/root.pem -alpn h2 -keylogfile "$work/alpn.keys"
  log "    s_client: $(grep -m1 -i 'alert' "$work/client.log" || true)"
  stop_bg; cap_stop southbound-alpn-http11-only-go
  cp "$work/alpn.keys" "$out/southbound-alpn-http11-only-go.keys"
}
sc_groups_p384_only_go() {
  # A Go backend that accepts P-384 only: a client key-sharing P-384 is served,
  # one that offers X25519 and P-384 but key-shares X25519 gets a
  # HelloRetryRequest and is served, one offering X25519 and P-256 only is
  # refused with handshake_failure.
  cap_start southbound-groups-p384-only-go "$B"
  go_server -cert $P/backend-chain.pem -key $P/backend.key -groups P384 -n 3
  s_client $BACKEND $BPORT -servername $BHOST -CAfile $P/root.pem -groups P-384
  s_client $BACKEND $BPORT -servername $BHOST -CAfile $P/root.pem -groups X25519:P-384
  s_client $BACKEND $BPORT -servername $BHOST -CAfile $P/root.pem -groups X25519:P-256
  log "    s_client: $(grep -m1 -i 'alert' "$work/client.log" || true)"
  stop_bg; cap_stop southbound-groups-p384-only-go
}
sc_groups_secp384r1_only_openssl() {
  # An OpenSSL backend that accepts secp384r1 only: curl (key share x25519,
  # secp384r1 offered) is served after a HelloRetryRequest; curl --curves
  # X25519:P-256 is refused.
  cap_start southbound-groups-secp384r1-only-openssl "$B"
  s_server $BACKEND $BPORT -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem \
    -groups secp384r1 -naccept 2
  curl_mp --resolve $BHOST:$BPORT:$BACKEND
  curl_mp --curves X25519:P-256 --resolve $BHOST:$BPORT:$BACKEND
  stop_bg; cap_stop southbound-groups-secp384r1-only-openssl
}
sc_signatures_ecdsa_only_openssl() {
  # An OpenSSL backend with an ECDSA certificate only: a TLS 1.2 client is
  # served (the certificate in plaintext), a client offering RSA signature
  # algorithms only is refused with handshake_failure.
  cap_start southbound-signatures-ecdsa-only-openssl "$B"
  s_server $BACKEND $BPORT -cert $P/ecbackend.pem -key $P/ecbackend.key -cert_chain $P/inter.pem -naccept 2
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST -CAfile $P/root.pem
  s_client $BACKEND $BPORT -servername $BHOST -CAfile $P/root.pem -sigalgs 'RSA-PSS+SHA256:RSA+SHA256'
  log "    s_client: $(grep -m1 -i 'alert' "$work/client.log" || true)"
  stop_bg; cap_stop southbound-signatures-ecdsa-only-openssl
}
sc_signatures_ecdsa_only_go() {
  # The same with a Go backend, against curl in TLS 1.2 (served) and an
  # OpenSSL client offering RSA-PSS and RSA PKCS#1 only (refused).
  cap_start southbound-signatures-ecdsa-only-go "$B"
  go_server -cert $P/ecbackend-chain.pem -key $P/ecbackend.key -n 2
  curl_mp --tlsv1.2 --tls-max 1.2 --resolve $BHOST:$BPORT:$BACKEND
  s_client $BACKEND $BPORT -servername $BHOST -CAfile $P/root.pem \
    -sigalgs 'RSA-PSS+SHA256:RSA-PSS+SHA384:RSA+SHA256:RSA+SHA384'
  log "    s_client: $(grep -m1 -i 'alert' "$work/client.log" || true)"
  stop_bg; cap_stop southbound-signatures-ecdsa-only-go
}
sc_mtls_allowlist_silent_tls12() {
  # The same backend in TLS 1.2: its Finished completes the handshake, then it
  # drops the client before the client sends anything (s_client idle: its
  # input stays open and empty for 3 s).
  cap_start southbound-mtls-allowlist-silent-tls12 "$B"
  bg python3 "$here/tools/py_mtls_allowlist_server.py" $BACKEND $BPORT $P/backend-chain.pem $P/backend.key \
    $P/root.pem $P/otherroot.pem --allow app-client --tls12
  wait_port $BACKEND $BPORT
  sleep 3 | timeout 10 openssl s_client -connect $BACKEND:$BPORT -servername $BHOST -CAfile $P/root.pem \
    -cert $P/rogueclient.pem -key $P/rogueclient.key -cert_chain $P/inter2.pem >"$work/client.log" 2>&1 || true
  log "    $(cat "$work"/bg.*.log 2>/dev/null | grep -m1 refused || true)"
  stop_bg; cap_stop southbound-mtls-allowlist-silent-tls12
}
vhost_clients() { # the clients of the virtual-host scenarios, each name served once, then the refusal
  s_client $BACKEND $BPORT -tls1_2 -servername other.example.test -CAfile $P/root.pem
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST -CAfile $P/root.pem
  s_client $BACKEND $BPORT -servername $BHOST -CAfile $P/root.pem -sigalgs 'RSA-PSS+SHA256:RSA+SHA256'
  log "    s_client: $(grep -m1 -i 'alert' "$work/client.log" || true)"
}
sc_virtual_hosts_nginx_server_name() {
  # nginx serving two names on one address from two server blocks:
  # backend.example.test with an ECDSA certificate, other.example.test with an
  # RSA one. Each name is served in TLS 1.2 (its certificate in plaintext),
  # then a client offering RSA signature algorithms only asks for
  # backend.example.test and is refused: the RSA certificate of the other name
  # is no evidence for this one.
  cap_start southbound-virtual-hosts-nginx-server-name "$B"
  nginx_start "
  server { listen $BACKEND:$BPORT ssl default_server; server_name $BHOST;
    ssl_certificate $P/ecbackend-chain.pem; ssl_certificate_key $P/ecbackend.key; return 200 \"ok\n\"; }
  server { listen $BACKEND:$BPORT ssl; server_name other.example.test;
    ssl_certificate $P/wronghost-chain.pem; ssl_certificate_key $P/wronghost.key; return 200 \"ok\n\"; }"
  wait_port $BACKEND $BPORT
  vhost_clients
  nginx_stop; cap_stop southbound-virtual-hosts-nginx-server-name
}
sc_virtual_hosts_apache_name_based() {
  # The same with Apache mod_ssl name-based virtual hosts.
  mkdir -p "$work/apache"
  cat >"$work/apache/apache2.conf" <<CONF
ServerRoot /etc/apache2
PidFile $work/apache/apache2.pid
Mutex file:$work/apache default
ErrorLog $work/apache/error.log
LogLevel warn
User www-data
Group www-data
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule socache_shmcb_module /usr/lib/apache2/modules/mod_socache_shmcb.so
LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so
ServerName localhost
Listen $BACKEND:$BPORT
SSLSessionCache shmcb:$work/apache/ssl_scache(51200)
DocumentRoot $work/apache
<VirtualHost $BACKEND:$BPORT>
  ServerName $BHOST
  SSLEngine on
  SSLCertificateFile $P/ecbackend-chain.pem
  SSLCertificateKeyFile $P/ecbackend.key
</VirtualHost>
<VirtualHost $BACKEND:$BPORT>
  ServerName other.example.test
  SSLEngine on
  SSLCertificateFile $P/wronghost-chain.pem
  SSLCertificateKeyFile $P/wronghost.key
</VirtualHost>
CONF
  echo ok >"$work/apache/index.html"
  cap_start southbound-virtual-hosts-apache-name-based "$B"
  bg apache2 -f "$work/apache/apache2.conf" -DFOREGROUND
  wait_port $BACKEND $BPORT
  vhost_clients
  stop_bg; cap_stop southbound-virtual-hosts-apache-name-based
}
sc_virtual_hosts_haproxy_crt_list() {
  # HAProxy terminating TLS for two names on one address from a crt-list, each
  # name with its own certificate and suites (TLS 1.2): backend.example.test
  # takes ECDHE-RSA-AES128-GCM-SHA256 and AES256, other.example.test AES256
  # only. Each name is served once, then a client offering AES128 only asks for
  # other.example.test and is refused: the suite backend.example.test was
  # served with is no evidence for it.
  cat "$P/backend-chain.pem" "$P/backend.key" >"$work/hp-backend.pem"
  cat "$P/wronghost-chain.pem" "$P/wronghost.key" >"$work/hp-other.pem"
  cat >"$work/crt-list.txt" <<LIST
$work/hp-backend.pem [ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384 ssl-max-ver TLSv1.2] $BHOST
$work/hp-other.pem [ciphers ECDHE-RSA-AES256-GCM-SHA384 ssl-max-ver TLSv1.2] other.example.test
LIST
  cat >"$work/haproxy.cfg" <<CONF
global
  maxconn 64
defaults
  mode http
  timeout connect 5s
  timeout client 5s
  timeout server 5s
frontend vhosts
  bind $BACKEND:$BPORT ssl crt-list $work/crt-list.txt
  http-request return status 200 content-type text/plain string ok
CONF
  cap_start southbound-virtual-hosts-haproxy-crt-list "$B"
  bg haproxy -db -f "$work/haproxy.cfg"
  wait_port $BACKEND $BPORT
  s_client $BACKEND $BPORT -servername $BHOST -CAfile $P/root.pem -cipher ECDHE-RSA-AES128-GCM-SHA256
  s_client $BACKEND $BPORT -servername other.example.test -CAfile $P/root.pem -cipher ECDHE-RSA-AES256-GCM-SHA384
  s_client $BACKEND $BPORT -servername other.example.test -CAfile $P/root.pem -cipher ECDHE-RSA-AES128-GCM-SHA256
  log "    s_client: $(grep -m1 -i 'alert' "$work/client.log" || true)"
  stop_bg; cap_stop southbound-virtual-hosts-haproxy-crt-list
}
sc_proxy_refused() {
  # The MP (curl) reaching its backend through forward proxies that refuse the
  # tunnel: tinyproxy with Basic authentication answers a CONNECT without
  # credentials 407; tinyproxy allowing CONNECT to port 443 only answers 403
  # for the backend's port; our own proxy (tools/connect_proxy.py --refuse)
  # answers 403 too. No TLS follows any of them.
  mkdir -p "$work/tinyproxy"
  local conf
  for conf in auth ports; do
    {
      echo "User nobody"; echo "Group nogroup"; echo "LogLevel Info"
      echo "Port $([ $conf = auth ] && echo 3128 || echo 8080)"; echo "Listen 127.0.2.20"
      echo "Allow 127.0.0.0/8"; echo "MaxClients 10"
      echo "PidFile \"$work/tinyproxy/$conf.pid\""
      [ $conf = auth ] && echo "BasicAuth mp secret" && echo "ConnectPort $BPORT"
      [ $conf = ports ] && echo "ConnectPort 443"
    } >"$work/tinyproxy/$conf.conf"
  done
  cap_start southbound-proxy-refused "host 127.0.2.20"
  bg tinyproxy -d -c "$work/tinyproxy/auth.conf"
  bg tinyproxy -d -c "$work/tinyproxy/ports.conf"
  bg python3 "$here/tools/connect_proxy.py" 127.0.2.20:8088 --refuse $BPORT
  wait_port 127.0.2.20 3128; wait_port 127.0.2.20 8080; wait_port 127.0.2.20 8088
  local port # ports Wireshark dissects as HTTP by default
  for port in 3128 8080 8088; do
    timeout 10 curl -sS -m 10 -o /dev/null --interface $MP -p -x http://127.0.2.20:$port --cacert $P/root.pem \
      https://$BHOST:$BPORT/ 2>"$work/curl.log" || true
    log "    curl via :$port: $(tail -1 "$work/curl.log")"
  done
  stop_bg; cap_stop southbound-proxy-refused
}
sc_gnutls_client_tls13_hostname_mismatch() {
  # gnutls-cli in TLS 1.3 against a backend whose leaf is for another name: it
  # checks the name once the server's flight is in and answers with an alert
  # (encrypted without keys), not a silent close. With the client's key log.
  cap_start gnutls-client-tls13-hostname-mismatch "$B"
  s_server $BACKEND $BPORT -tls1_3 -cert $P/wronghost.pem -key $P/wronghost.key -cert_chain $P/inter.pem -naccept 1
  rm -f "$work/g13.keys"
  echo | SSLKEYLOGFILE="$work/g13.keys" timeout 10 gnutls-cli --x509cafile $P/root.pem -p $BPORT $BACKEND \
    --sni-hostname $BHOST --verify-hostname $BHOST >"$work/client.log" 2>&1 || true
  log "    gnutls-cli: $(grep -m1 -i 'status' "$work/client.log" || true)"
  stop_bg; cap_stop gnutls-client-tls13-hostname-mismatch
  cp "$work/g13.keys" "$out/gnutls-client-tls13-hostname-mismatch.keys"
}
sc_northbound_chromium_untrusted_root() {
  # A browser (headless Chromium) calling the Router (nginx) whose chain comes
  # from the lab root, which Chromium's store does not hold: it refuses the
  # certificate in TLS 1.3 with an alert (certificate_unknown), on each of its
  # two connections. With Chromium's key log.
  cap_start northbound-chromium-untrusted-root "$R"
  nginx_start "
  server { listen $ROUTER:$RPORT ssl; server_name $RHOST;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_certificate $P/router-chain.pem; ssl_certificate_key $P/router.key; return 200 \"ok\n\"; }"
  wait_port $ROUTER $RPORT
  rm -rf "$work/chromium" "$work/chromium.keys"
  SSLKEYLOGFILE="$work/chromium.keys" timeout 30 chromium --headless=new --no-sandbox --disable-gpu \
    --user-data-dir="$work/chromium" --host-resolver-rules="MAP $RHOST $ROUTER" \
    --dump-dom "https://$RHOST:$RPORT/" >/dev/null 2>&1 || true
  sleep 1
  nginx_stop; cap_stop northbound-chromium-untrusted-root
  cp "$work/chromium.keys" "$out/northbound-chromium-untrusted-root.keys"
}
sc_hrr_then_signatures_go() {
  # A Go backend with an ECDSA certificate that accepts P-384 only: a TLS 1.2
  # client is served (the certificate in plaintext); a client offering X25519
  # and P-384 (key share X25519) and RSA signature algorithms only gets a
  # HelloRetryRequest, retries with a P-384 key share, and is refused with
  # handshake_failure: the retry settled the group, the signatures did not.
  # (OpenSSL picks the certificate before the key share: it refuses at once.)
  cap_start southbound-hrr-then-signatures-go "$B"
  go_server -cert $P/ecbackend-chain.pem -key $P/ecbackend.key -groups P384 -n 2
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST -CAfile $P/root.pem -groups P-384:P-256
  s_client $BACKEND $BPORT -servername $BHOST -CAfile $P/root.pem -groups X25519:P-384 \
    -sigalgs 'RSA-PSS+SHA256:RSA+SHA256'
  log "    s_client: $(grep -m1 -i 'alert' "$work/client.log" || true)"
  stop_bg; cap_stop southbound-hrr-then-signatures-go
}
sc_private_ca_roots() {
  # The roots of the private-CA captures, for their truststore rows.
  mkdir -p "$out/pki"
  cp "$pki/root.pem" "$out/pki/private-ca-root.pem"
  cp "$pki/otherroot.pem" "$out/pki/private-ca-other-root.pem"
}
sc_java_unrecognized_name_warning() {
  # The MP asks for a name the backend does not serve; the backend only warns
  # (unrecognized_name) and the Java client gives up.
  cap_start southbound-unrecognized-name-warning "$B"
  s_server $BACKEND $BPORT -tls1_2 -servername other.example.test -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem \
    -cert2 $P/wronghost.pem -key2 $P/wronghost.key
  mp_client -- --connect $BACKEND:$BPORT --host $BHOST --protocols TLSv1.2
  stop_bg; cap_stop southbound-unrecognized-name-warning
}
sc_java_tls13_hostname_mismatch() {
  cap_start southbound-tls13-hostname-mismatch "$B"
  s_server $BACKEND $BPORT -tls1_3 -cert $P/wronghost.pem -key $P/wronghost.key -cert_chain $P/inter.pem
  mp_client -- --connect $BACKEND:$BPORT --host $BHOST --protocols TLSv1.3
  stop_bg; cap_stop southbound-tls13-hostname-mismatch
}
sc_risky_tls10_success() {
  # A legacy backend and a legacy client agree on TLSv1.0 (CBC with SHA-1): it
  # works, and it is a risk worth a warning. (Debian's OpenSSL 3 has no 3DES.)
  cap_start risky-tls10-success "$B"
  s_server $BACKEND $BPORT -tls1 -cipher 'AES128-SHA:@SECLEVEL=0' -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem -naccept 1
  s_client $BACKEND $BPORT -tls1 -cipher 'AES128-SHA:@SECLEVEL=0' -servername $BHOST -CAfile $P/root.pem
  stop_bg; cap_stop risky-tls10-success
}
sc_short_lived_cert_ok() {
  # A leaf valid for a few minutes around the capture: it has long expired when
  # anyone reads the capture, and must still be judged valid at its time.
  java_vs_backend southbound-short-lived-cert-ok -cert $P/shortlived.pem -key $P/shortlived.key -cert_chain $P/inter.pem -naccept 1
}
sc_weak_cert_success() {
  # A legacy client at security level 0 accepts a SHA-1, RSA-1024 leaf: it
  # works, and the certificate is worth two warnings.
  cap_start weak-cert-success "$B"
  s_server $BACKEND $BPORT -tls1_2 -cipher 'DEFAULT@SECLEVEL=0' -cert $P/weak.pem -key $P/weak.key -cert_chain $P/inter.pem -naccept 1
  s_client $BACKEND $BPORT -tls1_2 -cipher 'DEFAULT@SECLEVEL=0' -servername $BHOST -CAfile $P/root.pem -verify_return_error
  stop_bg; cap_stop weak-cert-success
}
sc_northbound_chain_incomplete_curl() {
  # The Router's keystore holds the leaf without its intermediate; curl refuses.
  cap_start northbound-chain-incomplete-curl "$R"
  nginx_start "server { listen $ROUTER:$RPORT ssl; server_name $RHOST;
    ssl_certificate $P/router.pem; ssl_certificate_key $P/router.key; return 200 ok; }"
  curl_app --resolve $RHOST:$RPORT:$ROUTER --cacert $P/root.pem --tls-max 1.2 https://$RHOST:$RPORT/
  nginx_stop; cap_stop northbound-chain-incomplete-curl
}
sc_gnutls_expired() {
  # gnutls-cli against the expired backend leaf, TLS 1.2.
  cap_start gnutls-client-expired-leaf "$B"
  s_server $BACKEND $BPORT -tls1_2 -cert $P/expired.pem -key $P/expired.key -cert_chain $P/inter.pem -naccept 1
  http_get | timeout 10 gnutls-cli --x509cafile $P/root.pem -p $BPORT --sni-hostname $BHOST \
    --verify-hostname $BHOST --priority 'NORMAL:-VERS-TLS1.3' $BACKEND >"$work/client.log" 2>&1 || true
  stop_bg; cap_stop gnutls-client-expired-leaf
}
sc_southbound_not_yet_valid() {
  java_vs_backend southbound-not-yet-valid-leaf -cert $P/future.pem -key $P/future.key -cert_chain $P/inter.pem -naccept 1
}
sc_gnutls_server_hostname_mismatch() {
  # A GnuTLS backend with the wrong host's certificate, and the MP.
  cap_start gnutls-server-hostname-mismatch "$B"
  bg gnutls-serv --http --port $BPORT --x509certfile $P/wronghost-chain.pem --x509keyfile $P/wronghost.key
  sleep 1.5
  mp_client -- --connect $BACKEND:$BPORT --host $BHOST --protocols TLSv1.2
  stop_bg; cap_stop gnutls-server-hostname-mismatch
}
sc_java_backend_expired() {
  # A Java backend whose keystore holds an expired certificate; an OpenSSL client.
  cap_start java-backend-expired-cert "$B"
  bg java "$here/tools/JavaBackend.java" --listen $BACKEND:$BPORT --keystore $P/expired-server.p12 --protocols TLSv1.2
  wait_port $BACKEND $BPORT
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST -CAfile $P/root.pem -verify_return_error
  stop_bg; cap_stop java-backend-expired-cert
}
sc_northbound_ok() {
  cap_start northbound-ok "$R"
  nginx_start "server { listen $ROUTER:$RPORT ssl; server_name $RHOST;
    ssl_certificate $P/router-chain.pem; ssl_certificate_key $P/router.key; return 200 ok; }"
  curl_app --resolve $RHOST:$RPORT:$ROUTER --cacert $P/root.pem https://$RHOST:$RPORT/
  nginx_stop; cap_stop northbound-ok
}
sc_northbound_hostname_mismatch_curl() {
  # curl checks the name after the handshake: it closes without a fatal alert.
  cap_start northbound-hostname-mismatch-curl "$R"
  nginx_start "server { listen $ROUTER:$RPORT ssl;
    ssl_certificate $P/wronghost-chain.pem; ssl_certificate_key $P/wronghost.key; return 200 ok; }"
  curl_app --resolve $RHOST:$RPORT:$ROUTER --cacert $P/root.pem --tls-max 1.2 https://$RHOST:$RPORT/
  nginx_stop; cap_stop northbound-hostname-mismatch-curl
}
sc_gnutls_ok() {
  cap_start gnutls-ok "$B"
  bg gnutls-serv --http --port $BPORT --x509certfile $P/backend-chain.pem --x509keyfile $P/backend.key
  sleep 1.5 # gnutls-serv listens on every address; ss filters cannot name it simply
  http_get | timeout 10 gnutls-cli --x509cafile $P/root.pem -p $BPORT --sni-hostname $BHOST \
    --verify-hostname $BHOST $BACKEND >"$work/client.log" 2>&1 || true
  stop_bg; cap_stop gnutls-ok
}
sc_many_conversations() {
  # Several clients at once against one backend serving both versions:
  # successes, a version failure and a missing-certificate failure interleaved.
  cap_start many-conversations "$B"
  s_server $BACKEND $BPORT -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem
  local i
  for i in 1 2 3 4 5 6; do
    ( http_get | timeout 10 openssl s_client -connect $BACKEND:$BPORT -tls1_2 -servername $BHOST -ign_eof >/dev/null 2>&1 || true ) &
    ( http_get | timeout 10 openssl s_client -connect $BACKEND:$BPORT -tls1_3 -servername $BHOST -ign_eof >/dev/null 2>&1 || true ) &
    ( http_get | timeout 10 openssl s_client -connect $BACKEND:$BPORT -tls1 -cipher 'DEFAULT@SECLEVEL=0' -servername $BHOST -ign_eof >/dev/null 2>&1 || true ) &
  done
  sleep 4
  stop_bg; cap_stop many-conversations
}

# --- behaviours seen on other peers (issue 8) ------------------------------
nginx_default_cert() { # ADDR PORT NAME CERT-CHAIN KEY: the default server shows the wrong host's certificate
  nginx_start "server { listen $1:$2 ssl default_server;
    ssl_certificate $P/wronghost-chain.pem; ssl_certificate_key $P/wronghost.key; return 200 ok; }
    server { listen $1:$2 ssl; server_name $3;
    ssl_certificate $4; ssl_certificate_key $5; return 200 ok; }"
}
sc_southbound_sni_missing_default_cert() {
  # The MP without SNI; the backend answers with its default certificate
  # (another host's) instead of an alert, and the MP refuses it.
  cap_start southbound-sni-missing-default-cert "$B"
  nginx_default_cert $BACKEND $BPORT $BHOST $P/backend-chain.pem $P/backend.key
  mp_client -Djsse.enableSNIExtension=false -- --connect $BACKEND:$BPORT --host $BHOST --protocols TLSv1.2
  nginx_stop; cap_stop southbound-sni-missing-default-cert
}
sc_northbound_sni_missing_default_cert_curl() {
  # curl by IP address sends no SNI; the Router's default certificate is another host's.
  cap_start northbound-sni-missing-default-cert-curl "$R"
  nginx_default_cert $ROUTER $RPORT $RHOST $P/router-chain.pem $P/router.key
  curl_app --cacert $P/root.pem --tls-max 1.2 https://$ROUTER:$RPORT/
  nginx_stop; cap_stop northbound-sni-missing-default-cert-curl
}
sc_northbound_tls13_hostname_mismatch_curl() {
  # TLS 1.3: curl completes the handshake (Finished), checks the name, closes.
  cap_start northbound-tls13-hostname-mismatch-curl "$R"
  nginx_start "server { listen $ROUTER:$RPORT ssl; ssl_protocols TLSv1.2 TLSv1.3;
    ssl_certificate $P/wronghost-chain.pem; ssl_certificate_key $P/wronghost.key; return 200 ok; }"
  curl_app --resolve $RHOST:$RPORT:$ROUTER --cacert $P/root.pem --tlsv1.3 https://$RHOST:$RPORT/
  nginx_stop; cap_stop northbound-tls13-hostname-mismatch-curl
}
sc_northbound_tls13_chain_incomplete_curl() {
  # TLS 1.3, the Router sends its leaf alone: curl's unknown_ca is plaintext,
  # the certificate is encrypted.
  cap_start northbound-tls13-chain-incomplete-curl "$R"
  nginx_start "server { listen $ROUTER:$RPORT ssl; server_name $RHOST; ssl_protocols TLSv1.2 TLSv1.3;
    ssl_certificate $P/router.pem; ssl_certificate_key $P/router.key; return 200 ok; }"
  curl_app --resolve $RHOST:$RPORT:$ROUTER --cacert $P/root.pem --tlsv1.3 https://$RHOST:$RPORT/
  nginx_stop; cap_stop northbound-tls13-chain-incomplete-curl
}
sc_southbound_tls13_only_mp() {
  # The MP limited to TLSv1.3, a backend that speaks only TLSv1.2.
  cap_start southbound-tls13-only-mp-tls12-backend "$B"
  s_server $BACKEND $BPORT -tls1_2 -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem
  mp_client -- --connect $BACKEND:$BPORT --host $BHOST --protocols TLSv1.3
  stop_bg; cap_stop southbound-tls13-only-mp-tls12-backend
}
sc_southbound_tls13_cipher_mismatch() {
  # Both speak TLSv1.3, no common suite: the backend says handshake_failure,
  # whose records carry 0x0303 like every TLS 1.3 record.
  cap_start southbound-tls13-cipher-mismatch "$B"
  s_server $BACKEND $BPORT -tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256 -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem
  mp_client -- --connect $BACKEND:$BPORT --host $BHOST --protocols TLSv1.3 --ciphers TLS_AES_128_GCM_SHA256
  stop_bg; cap_stop southbound-tls13-cipher-mismatch
}
sc_java_tls13_server_refuses_after_server_hello() {
  # A Java TLS 1.3 backend with an RSA key; the client accepts only ECDSA
  # signatures. Java has sent ServerHello and EncryptedExtensions before it
  # looks for a certificate, so the refusal comes after the ServerHello.
  cap_start java-tls13-no-certificate-for-client "$B"
  bg java "$here/tools/JavaBackend.java" --listen $BACKEND:$BPORT --keystore $P/backend-server.p12 --protocols TLSv1.3
  wait_port $BACKEND $BPORT
  s_client $BACKEND $BPORT -tls1_3 -servername $BHOST -CAfile $P/root.pem -sigalgs 'ECDSA+SHA256:ECDSA+SHA384'
  stop_bg; cap_stop java-tls13-no-certificate-for-client
}
silent_listener() { # a TCP listener that accepts and never speaks
  bg python3 -c "import socket,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('$BACKEND',$BPORT)); s.listen(1); c,_=s.accept(); time.sleep(30)"
  wait_port $BACKEND $BPORT
}
sc_southbound_read_timeout_java() {
  # The MP's read timeout on a backend that never answers: Java sends
  # user_canceled and close_notify (both warnings), then closes.
  cap_start southbound-read-timeout-java "$B"
  silent_listener
  mp_client -- --connect $BACKEND:$BPORT --host $BHOST --protocols TLSv1.2 --timeout 2000
  stop_bg; cap_stop southbound-read-timeout-java
}
sc_no_server_response_no_sni() {
  # A client without SNI gives up on a silent server after seconds: the FIN is
  # a timeout, not an SNI refusal.
  cap_start no-server-response-no-sni "$B"
  silent_listener
  http_get | timeout 4 openssl s_client -connect $BACKEND:$BPORT -noservername -ign_eof >/dev/null 2>&1 || true
  stop_bg; cap_stop no-server-response-no-sni
}
sc_small_dhe_group() {
  # A backend offering only DHE with a 1024-bit group; OpenSSL 3's client
  # (security level 2) refuses the key exchange.
  cap_start small-dhe-group "$B"
  s_server $BACKEND $BPORT -tls1_2 -dhparam $P/dh1024.pem -cipher 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0' -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem
  s_client $BACKEND $BPORT -tls1_2 -servername $BHOST -CAfile $P/root.pem
  stop_bg; cap_stop small-dhe-group
}
sc_mtls_expired_client_cert_java() {
  # Two-way TLS: the MP's keystore holds an expired client certificate.
  cap_start mtls-expired-client-cert-java "$B"
  s_server $BACKEND $BPORT -tls1_2 -Verify 1 -verify_return_error -CAfile $P/root.pem -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem
  mp_client -- --connect $BACKEND:$BPORT --host $BHOST --protocols TLSv1.2 --keystore $P/client-expired.p12
  stop_bg; cap_stop mtls-expired-client-cert-java
}
sc_tls13_mtls_rejected_client_cert() {
  tls13_with_keys tls13-mtls-rejected-client-cert -Verify 1 -verify_return_error -CAfile $P/root.pem -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem \
    -- -servername $BHOST -CAfile $P/root.pem -cert $P/rogueclient.pem -key $P/rogueclient.key -cert_chain $P/inter2.pem
}
sc_southbound_no_truststore_expired() {
  # An MP target without a truststore takes anything: established, and the
  # expired leaf is still worth a warning.
  java_vs_backend_trust_all southbound-no-truststore-expired -cert $P/expired.pem -key $P/expired.key -cert_chain $P/inter.pem -naccept 1
}
sc_southbound_no_truststore_wrong_host_leaf_only() {
  java_vs_backend_trust_all southbound-no-truststore-wrong-host-leaf-only -cert $P/wronghost.pem -key $P/wronghost.key -naccept 1
}
java_vs_backend_trust_all() { # NAME CERT-ARGS...
  local name=$1; shift
  cap_start "$name" "$B"
  s_server $BACKEND $BPORT -tls1_2 "$@"
  mp_client -- --connect $BACKEND:$BPORT --host $BHOST --protocols TLSv1.2 --trust-all --no-hostname-check
  stop_bg; cap_stop "$name"
}
lo_offloads() { # on|off: segmentation offload on lo (off: the capture sees MSS-sized segments)
  ethtool -K lo tso "$1" gso "$1"
  lo_off=; [ "$1" = on ] || lo_off=1
}
sc_out_of_order() {
  # A client advertising a 536-byte MSS, with segmentation offload off on lo
  # so the capture sees the server's flight in segments; the file then
  # records the first two swapped, as a capture point behind a reordering
  # path sees them (each position keeps its timestamp). tshark's default
  # does not reassemble them: the ServerHello never reaches the TLS dissector.
  local name=out-of-order-server-flight a b
  lo_offloads off
  cap_start $name "$B"
  s_server $BACKEND $BPORT -tls1_2 -cert $P/backend.pem -key $P/backend.key -cert_chain $P/inter.pem -naccept 1
  raw small-mss-client $BACKEND $BPORT $BHOST $P/root.pem || true
  stop_bg; cap_stop $name
  lo_offloads on
  local seg=($(tshark -r "$out/$name.pcapng" -Y "ip.src == $BACKEND && tcp.len > 0" \
    -T fields -e frame.number 2>/dev/null | head -2))
  a=${seg[0]} b=${seg[1]}
  python3 "$here/../tests/tools/pcap_rewrite.py" --swap "$a,$b" "$out/$name.pcapng" "$work/$name.pcapng"
  cp "$work/$name.pcapng" "$out/$name.pcapng"
  log "  $name.pcapng: server segments $a and $b swapped"
}
sc_partial_captures() {
  # Made from real captures as a capture point would lose them: only the
  # client's packets; the server's payload lost but its ACKs kept; the end
  # right after the ClientHello; the start after the ClientHello of a failure.
  local ok=$out/tls12-ok.pcapng hm=$out/southbound-hostname-mismatch.pcapng ch
  [ -f "$ok" ] || sc_tls12_ok
  [ -f "$hm" ] || sc_southbound_hostname_mismatch
  tshark -r "$ok" -Y "ip.src != $BACKEND" -w "$out/one-sided-client-only.pcapng"
  tshark -r "$ok" -Y "!(ip.src == $BACKEND && tcp.len > 0)" -w "$out/server-payload-lost.pcapng"
  ch=$(frame_of "$ok" 'tls.handshake.type == 1')
  tshark -r "$ok" -Y "frame.number <= $ch" -w "$out/cut-after-client-hello.pcapng"
  ch=$(frame_of "$hm" 'tls.handshake.type == 1')
  tshark -r "$hm" -Y "frame.number > $ch" -w "$out/hostname-mismatch-without-client-hello.pcapng"
  # A capture started mid-connection: after the client's Finished, so the
  # server's NewSessionTicket is the first message and says who the server is.
  ch=$(frame_of "$ok" 'tls.handshake.type == 16')
  tshark -r "$ok" -Y "frame.number > $ch" -w "$out/mid-connection-after-client-finished.pcapng"
  log "  one-sided-client-only, server-payload-lost, cut-after-client-hello, hostname-mismatch-without-client-hello, mid-connection-after-client-finished"
}

all=(tls12_ok tls13_ok tls12_resumption southbound_protocol_mismatch protocol_mismatch_old_client
  tls13_only_server northbound_cipher_mismatch southbound_sni_missing_java sni_missing_openssl
  sni_present_control southbound_hostname_mismatch southbound_chain_missing_intermediate
  southbound_chain_wrong_intermediate southbound_expired_leaf unknown_ca mtls_no_client_cert
  mtls_rejected_client_cert server_not_listening no_server_response cut_captures
  tls13_hostname_mismatch tls13_mtls_no_client_cert tls12_renegotiation northbound_ok northbound_hostname_mismatch_curl
  gnutls_ok many_conversations non_tls_response sni_missing_server_reset server_reset server_closed
  client_abort cipher_mismatch_learned java_unrecognized_name_warning java_tls13_hostname_mismatch
  risky_tls10_success short_lived_cert_ok weak_cert_success northbound_chain_incomplete_curl
  gnutls_expired southbound_not_yet_valid gnutls_server_hostname_mismatch java_backend_expired
  southbound_sni_missing_default_cert northbound_sni_missing_default_cert_curl
  northbound_tls13_hostname_mismatch_curl northbound_tls13_chain_incomplete_curl
  southbound_tls13_only_mp southbound_tls13_cipher_mismatch java_tls13_server_refuses_after_server_hello
  southbound_read_timeout_java no_server_response_no_sni small_dhe_group mtls_expired_client_cert_java
  tls13_mtls_rejected_client_cert southbound_no_truststore_expired
  southbound_no_truststore_wrong_host_leaf_only partial_captures out_of_order slow_close_without_sni
  virtual_hosts_suites_by_name node_expired_tls12 node_expired_tls13 python_name_after_handshake
  private_ca_direct_ok private_ca_direct_untrusted private_ca_roots connect_proxy_coalesced_tls13 gnutls_version_mismatch
  mtls_allowlist_silent_tls13 alpn_h2_only_node alpn_http11_only_go groups_p384_only_go
  groups_secp384r1_only_openssl signatures_ecdsa_only_openssl signatures_ecdsa_only_go
  mtls_allowlist_silent_tls12 virtual_hosts_nginx_server_name virtual_hosts_apache_name_based
  virtual_hosts_haproxy_crt_list proxy_refused gnutls_client_tls13_hostname_mismatch
  northbound_chromium_untrusted_root hrr_then_signatures_go northbound_protocol_mismatch
  path_mtu_black_hole path_mtu_black_hole_ipv6)

[ "$(id -u)" = 0 ] || { log "run as root (dumpcap on lo, nginx)"; exit 1; }
log "PKI in $pki"
if [ -z "${APG_PKI:-}" ] || [ ! -f "$pki/root.pem" ]; then
  bash "$here/tools/make-pki.sh" "$pki" >/dev/null 2>&1
fi
want=("$@"); [ ${#want[@]} -gt 0 ] || want=("${all[@]}")
for s in "${want[@]}"; do
  log "scenario $s"
  "sc_${s//-/_}"
done
# The public half of the PKI, for trainers and for the truststore tests; only a
# full run makes every capture share it.
[ $# -eq 0 ] || exit 0
mkdir -p "$out/pki"
cp "$pki/root.pem" "$out/pki/lab-root.pem"
cp "$pki/otherroot.pem" "$out/pki/other-root.pem"
