#!/usr/bin/env bash
# Records real TLS connections between the namespaces wl-ra (client, 10.200.0.1 / fd00:200::1) and wl-rb (server,
# 10.200.0.2 / fd00:200::2) of lib/pair.sh, with their key logs, and tshark's view of them as expected values.
# Usage (Debian 12; root):
#   apt-get install -y openssl curl tcpdump tshark wireshark-common nodejs iproute2 python3
#   scripts/record-tls-captures.sh                  records every capture, then the expectations
#   ONLY="tls13-hrr tls12-client-cert" scripts/record-tls-captures.sh   records just those again (+ expectations)
#   EXPECT_ONLY=1 scripts/record-tls-captures.sh    only reruns tshark on the recorded captures (CI never runs this)
#
# Output: examples/src/test/resources/captures/tls/ (see README.md there for every capture and file format).
# Peers: openssl s_server / s_client (OpenSSL 3.0) with -keylogfile; curl (SSLKEYLOGFILE) against the node 20
# HTTPS server lib/https_server.js (HTTP/2 and HTTP/1.1). Server port 443, server name console.test (SNI only; no
# resolver is involved). Certificates: lib/certs.sh, kept in tls/certs/ (NEW_CERTS=1 makes new ones: then record all).
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
OUT="$REPO_DIR/examples/src/test/resources/captures/tls"
. "$SCRIPT_DIR/lib/tls_expect.sh"

CAPTURES=(
  tls12-ecdhe-rsa-aes128gcm tls12-ecdhe-ecdsa-chacha20 tls12-rsa-aes128-cbc-sha256 tls12-ecdhe-rsa-aes256-cbc-sha384-noetm
  tls13-aes128gcm tls13-aes256gcm tls13-chacha20-v6 tls13-aes128ccm
  tls13-hrr tls12-resumption-ticket tls13-resumption-ticket tls13-early-data
  tls13-curl-h2 tls12-curl-http11
  tls12-client-cert tls13-client-cert
  tls12-alert-no-common-cipher tls12-alert-unknown-ca tls13-alert-unknown-ca tls13-alert-bad-client-cert
  tls13-keyupdate tls12-expired-cert tls12-sni-mismatch tls11-legacy tls13-reconnect-storm
  tls13-keyupdate-lost
)
PORT=443

# ONLY="a b" records just those captures again.
want() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }

if [ "${EXPECT_ONLY:-0}" != 1 ]; then
  . "$SCRIPT_DIR/lib/pair.sh"
  . "$SCRIPT_DIR/lib/certs.sh"
  trap wl_cleanup EXIT
  mkdir -p "$OUT"
  C="$WL_WORK/certs"
  wl_certs "$C" "$OUT/certs"
  wl_setup_pair
  export NODE_PATH=/usr/share/nodejs

  # srv NACCEPT ARGS... : starts openssl s_server in wl-rb on port 443 (IPv4 and IPv6) for NACCEPT connections.
  srv() {
    local n="$1"; shift
    ( cd "$C" && exec ip netns exec "$WL_NS_B" timeout 30 openssl s_server -accept "$PORT" -naccept "$n" "$@" \
        </dev/null >"$WL_WORK/server.log" 2>&1 ) &
    SRV_PID=$!
    WL_PIDS+=($SRV_PID)
    wl_wait_port "$WL_NS_B" "$PORT"
  }
  srv_wait() { wait "$SRV_PID" || log "s_server exited with $? (see below)"; }
  # cli HOST ARGS... : openssl s_client in wl-ra, SNI console.test, key log appended to $KEYS; stdin is the caller's.
  cli() {
    local host="$1"; shift
    ( cd "$C" && ip netns exec "$WL_NS_A" timeout 20 openssl s_client -connect "$host:$PORT" -servername console.test \
        -keylogfile "$KEYS" "$@" >>"$WL_WORK/client.log" 2>&1 ) || log "s_client exited with $?"
  }
  # An HTTP/1.0 request for s_server -www (which answers with a status page and closes).
  get() { printf 'GET / HTTP/1.0\r\nHost: console.test\r\n\r\n'; sleep 1.5; }
  # Lines for s_server -rev (which echoes each line reversed); client closes after the last one.
  lines() { local l; for l in "$@"; do printf '%s\n' "$l"; sleep 0.3; done; sleep 0.5; }

  begin() {  # begin NAME : starts the capture of NAME
    NAME="$1"; KEYS="$WL_WORK/$NAME.keys"; rm -f "$KEYS"; : > "$WL_WORK/client.log"
    log "recording $NAME"
    wl_capture_start "$WL_NS_A" "$WL_WORK/$NAME.pcap" -i "$WL_IF_A" tcp
  }
  finish() {  # stops the capture, keeps pcap + keys + a copy with the keys injected as a decryption-secrets block
    wl_capture_stop
    cp "$WL_WORK/$NAME.pcap" "$OUT/$NAME.pcap"
    if [ -s "$KEYS" ]; then cp "$KEYS" "$OUT/$NAME.keys"; else : > "$OUT/$NAME.keys"; fi
    chmod 644 "$OUT/$NAME.pcap" "$OUT/$NAME.keys"
    if [ "${VERBOSE:-0}" = 1 ]; then { tail -n 5 "$WL_WORK/client.log"; tail -n 5 "$WL_WORK/server.log"; } >&2; fi
    log "$NAME: $(capinfos -c -M "$OUT/$NAME.pcap" | awk -F': *' '/Number of packets/{print $2}') packets, $(wc -l < "$OUT/$NAME.keys") key lines"
  }
  V4="$WL_V4_B"; V6="[$WL_V6_B]"
  RSA=(-cert console-rsa.pem -key console-rsa.key)
  ECDSA=(-cert console-ecdsa.pem -key console-ecdsa.key)

  if want tls12-ecdhe-rsa-aes128gcm; then
    begin tls12-ecdhe-rsa-aes128gcm; srv 1 "${RSA[@]}" -www
    get | cli "$V4" -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256; srv_wait; finish
  fi
  if want tls12-ecdhe-ecdsa-chacha20; then
    begin tls12-ecdhe-ecdsa-chacha20; srv 1 "${ECDSA[@]}" -www
    get | cli "$V4" -tls1_2 -cipher ECDHE-ECDSA-CHACHA20-POLY1305; srv_wait; finish
  fi
  if want tls12-rsa-aes128-cbc-sha256; then   # RSA key exchange, CBC with encrypt_then_mac (OpenSSL's default)
    begin tls12-rsa-aes128-cbc-sha256; srv 1 "${RSA[@]}" -www
    get | cli "$V4" -tls1_2 -cipher AES128-SHA256; srv_wait; finish
  fi
  if want tls12-ecdhe-rsa-aes256-cbc-sha384-noetm; then   # CBC, MAC-then-encrypt (no encrypt_then_mac extension)
    begin tls12-ecdhe-rsa-aes256-cbc-sha384-noetm; srv 1 "${RSA[@]}" -www
    get | cli "$V4" -tls1_2 -cipher ECDHE-RSA-AES256-SHA384 -no_etm; srv_wait; finish
  fi
  for s in aes128gcm:TLS_AES_128_GCM_SHA256:"$V4" aes256gcm:TLS_AES_256_GCM_SHA384:"$V4" \
           chacha20-v6:TLS_CHACHA20_POLY1305_SHA256:"$V6" aes128ccm:TLS_AES_128_CCM_SHA256:"$V4"; do
    IFS=: read -r n suite host <<<"$s"
    [ "$n" = chacha20-v6 ] && host="$V6"
    if want "tls13-$n"; then
      begin "tls13-$n"; srv 1 "${RSA[@]}" -www -ciphersuites "$suite"
      get | cli "$host" -tls1_3 -ciphersuites "$suite"; srv_wait; finish
    fi
  done
  if want tls13-hrr; then   # the client's key share is X25519 only; the server accepts P-256 only: HelloRetryRequest
    begin tls13-hrr; srv 1 "${RSA[@]}" -rev -groups P-256
    lines 'hello after a retry' 'second line' | cli "$V4" -tls1_3 -groups X25519:P-256; srv_wait; finish
  fi
  for v in 12 13; do
    if want "tls$v-resumption-ticket"; then   # two connections: full handshake, then resumed with its ticket
      begin "tls$v-resumption-ticket"; srv 2 "${RSA[@]}" -www
      get | cli "$V4" "-tls1_${v#1}" -sess_out "$WL_WORK/sess"
      get | cli "$V4" "-tls1_${v#1}" -sess_in "$WL_WORK/sess"
      srv_wait; finish
    fi
  done
  if want tls13-early-data; then   # resumption with 0-RTT: the second connection sends its request as early data
    # -early_data excludes -www, so s_server runs in its plain mode (prints what it reads, sends what its stdin
    # gives: here nothing, its stdin is held open by sleep); the client's lines are data, its 0-RTT data a request.
    begin tls13-early-data
    ( cd "$C" && sleep 12 | exec ip netns exec "$WL_NS_B" timeout 30 openssl s_server -accept "$PORT" -naccept 2 \
        "${RSA[@]}" -early_data -max_early_data 16384 >"$WL_WORK/server.log" 2>&1 ) &
    SRV_PID=$!; WL_PIDS+=($SRV_PID); wl_wait_port "$WL_NS_B" "$PORT"
    lines 'first connection: full handshake, a ticket allowing early data' | cli "$V4" -tls1_3 -sess_out "$WL_WORK/sess"
    printf 'GET /early HTTP/1.0\r\nHost: console.test\r\n\r\n' > "$WL_WORK/early.txt"
    lines 'second connection: after the early data' \
      | cli "$V4" -tls1_3 -sess_in "$WL_WORK/sess" -early_data "$WL_WORK/early.txt"
    srv_wait; finish
  fi
  for s in tls13-curl-h2:--http2:--tlsv1.3 tls12-curl-http11:--http1.1:--tls-max; do
    IFS=: read -r n http tlsopt <<<"$s"
    if want "$n"; then
      begin "$n"
      ( cd "$C" && exec ip netns exec "$WL_NS_B" node "$WL_LIB_DIR/https_server.js" console-rsa.pem console-rsa.key \
          "$PORT" 2 >"$WL_WORK/server.log" 2>&1 ) &
      SRV_PID=$!; WL_PIDS+=($SRV_PID); wl_wait_port "$WL_NS_B" "$PORT"
      if [ "$tlsopt" = --tls-max ]; then tls=(--tlsv1.2 --tls-max 1.2); else tls=(--tlsv1.3); fi
      # Two requests on one connection (HTTP keep-alive / one HTTP/2 connection), ALPN offered by curl: h2,http/1.1
      # (--http2) or http/1.1 (--http1.1).
      in_a env SSLKEYLOGFILE="$KEYS" curl -sS "$http" "${tls[@]}" --cacert "$C/ca.pem" \
        --resolve "console.test:$PORT:$WL_V4_B" -o /dev/null "https://console.test/agent/status" \
        -o /dev/null "https://console.test/agent/config" >>"$WL_WORK/client.log" 2>&1
      srv_wait; finish
    fi
  done
  for v in 12 13; do
    if want "tls$v-client-cert"; then   # the server requires a certificate; the client sends agent.test's
      begin "tls$v-client-cert"; srv 1 "${RSA[@]}" -www -Verify 1 -CAfile ca.pem
      get | cli "$V4" "-tls1_${v#1}" -cert agent-client.pem -key agent-client.key; srv_wait; finish
    fi
  done
  if want tls12-alert-no-common-cipher; then   # the server only has AES128-SHA256: handshake_failure alert, in the clear
    begin tls12-alert-no-common-cipher; srv 1 "${RSA[@]}" -www -tls1_2 -cipher AES128-SHA256
    get | cli "$V4" -tls1_2 -cipher ECDHE-ECDSA-CHACHA20-POLY1305; srv_wait; finish
  fi
  for v in 12 13; do
    # The client trusts another CA only: it sends an unknown_ca alert, in the clear in both versions (in TLS 1.3 the
    # client has no handshake write key yet when it checks the server's certificate).
    if want "tls$v-alert-unknown-ca"; then
      begin "tls$v-alert-unknown-ca"; srv 1 "${RSA[@]}" -www
      get | cli "$V4" "-tls1_${v#1}" -verify 1 -verify_return_error -CAfile other-ca.pem; srv_wait; finish
    fi
  done
  if want tls13-alert-bad-client-cert; then   # the server trusts another CA only: its unknown_ca alert is encrypted
    begin tls13-alert-bad-client-cert; srv 1 "${RSA[@]}" -www -Verify 1 -verify_return_error -CAfile other-ca.pem
    get | cli "$V4" -tls1_3 -cert agent-client.pem -key agent-client.key; srv_wait; finish
  fi
  if want tls13-keyupdate; then   # s_client's "k" command: KeyUpdate (update_not_requested); "K": update_requested
    begin tls13-keyupdate; srv 1 "${RSA[@]}" -rev
    lines 'before the key update' k 'after the first key update' K 'after the second key update' \
      | cli "$V4" -tls1_3; srv_wait; finish
  fi
  if want tls12-expired-cert; then   # the server's certificate expired on 2021-01-01; the client does not verify
    begin tls12-expired-cert; srv 1 -cert console-expired.pem -key console-expired.key -www
    get | cli "$V4" -tls1_2; srv_wait; finish
  fi
  if want tls12-sni-mismatch; then   # SNI other.test; the certificate names console.test and www.console.test
    begin tls12-sni-mismatch; srv 1 "${RSA[@]}" -www
    get | ( cd "$C" && ip netns exec "$WL_NS_A" timeout 20 openssl s_client -connect "$V4:$PORT" -servername other.test \
        -keylogfile "$KEYS" -tls1_2 >>"$WL_WORK/client.log" 2>&1 ) || log "s_client exited with $?"
    srv_wait; finish
  fi
  if want tls11-legacy; then   # TLS 1.1 (OpenSSL 3 allows it only at security level 0)
    begin tls11-legacy; srv 1 "${RSA[@]}" -www -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'
    get | cli "$V4" -tls1_1 -cipher 'ECDHE-RSA-AES128-SHA:@SECLEVEL=0'; srv_wait; finish
  fi
  if want tls13-reconnect-storm; then   # 8 short connections 0.3 s apart, each a full handshake and one line
    begin tls13-reconnect-storm; srv 8 "${RSA[@]}" -rev
    for i in 1 2 3 4 5 6 7 8; do
      { printf 'attempt %s\n' "$i"; sleep 0.2; } | cli "$V4" -tls1_3
      sleep 0.1
    done
    srv_wait; finish
  fi
fi

cd "$OUT"
# Derived, not recorded: tls13-keyupdate-lost.pcap is tls13-keyupdate.pcap without the packet of the client's second
# application-data record (the first one under its updated key), as if the capture had lost it; same key log.
# tls13-aes128gcm.wrong.keys: its key log with the last hex digit of every secret changed (right client random,
# wrong secrets); tls13-aes128gcm.truncated.keys: its key log cut in the middle of its third line.
tls_expect tls13-keyupdate   # (again in the loop below) its rows pick the packet
lost=$(awk -F'\t' 'NR > 2 && $6 == 23 && $3 == "10.200.0.1" { print $1 }' tls13-keyupdate.tls-keys.tsv | sed -n 2p)
editcap tls13-keyupdate.pcap tls13-keyupdate-lost.pcap "$lost"
cp tls13-keyupdate.keys tls13-keyupdate-lost.keys
chmod 644 tls13-keyupdate-lost.pcap tls13-keyupdate-lost.keys
log "tls13-keyupdate-lost.pcap: tls13-keyupdate.pcap without packet $lost"
sed -E '/^[A-Z]/ s/[0-9a-f]$/x&/; s/x0$/1/; s/x1$/0/; s/x([2-9a-f])$/0/' tls13-aes128gcm.keys > tls13-aes128gcm.wrong.keys
head -c "$(( $(head -n 2 tls13-aes128gcm.keys | wc -c) + 40 ))" tls13-aes128gcm.keys > tls13-aes128gcm.truncated.keys
chmod 644 tls13-aes128gcm.wrong.keys tls13-aes128gcm.truncated.keys
for n in "${CAPTURES[@]}"; do
  [ -f "$n.pcap" ] || { log "missing $n.pcap"; continue; }
  tls_expect "$n"
done
# captures.tsv: the list the smoke test checks: file, packets (capinfos -c -M), key log file ("" when none).
{
  printf 'file\tpackets\tkeys\n'
  for n in "${CAPTURES[@]}"; do
    k=""; grep -q '^[A-Z]' "$n.keys" && k="$n.keys"
    printf '%s\t%s\t%s\n' "$n.pcap" "$(capinfos -c -M "$n.pcap" | awk -F': *' '/Number of packets/{print $2}')" "$k"
  done
} > captures.tsv
tshark --version | head -1 > tshark.version
log "done: $OUT"
