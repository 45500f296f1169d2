#!/usr/bin/env bash
# Records real WebSocket connections between node's ws peers (lib/ws_peers.js, Debian's node-ws 8.11) in the
# namespaces wl-ra (client, 10.200.0.1 / fd00:200::1) and wl-rb (server, 10.200.0.2 / fd00:200::2) of lib/pair.sh,
# plus the README's agent/console sample (lib/agent_console.js, TLS 1.3 on port 8084), and tshark's view of them.
# Usage (Debian 12; root):
#   apt-get install -y nodejs node-ws openssl tcpdump tshark wireshark-common iproute2 ethtool python3
#   scripts/record-websocket-captures.sh                       records every capture, then the expectations
#   ONLY="ws-reset-v4 agent-console" scripts/record-websocket-captures.sh   records just those again
#   EXPECT_ONLY=1 scripts/record-websocket-captures.sh         only reruns tshark (CI never runs this)
#
# Output: examples/src/test/resources/captures/websocket/ (README.md there lists every capture and file format);
# the sample: examples/src/main/resources/captures/agent-console.pcapng + agent-console.keys, its expectations in
# examples/src/test/resources/captures/websocket/agent-console.*. Certificates: those of the TLS captures
# (captures/tls/certs/, made by lib/certs.sh when absent). Names console.test / console6.test resolve only inside
# wl-ra (lib/pair.sh wl_pair_hosts).
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
OUT="$REPO_DIR/examples/src/test/resources/captures/websocket"
SAMPLE_DIR="$REPO_DIR/examples/src/main/resources/captures"
CERTS="$REPO_DIR/examples/src/test/resources/captures/tls/certs"
. "$SCRIPT_DIR/lib/ws_expect.sh"

PLAIN=(ws-basic-v4 ws-fragmented-v6 ws-close-4000-v4 ws-reset-v4 ws-deflate-v4 ws-deflate-no-takeover-v6
  ws-unanswered-pings-v4 ws-refused-v4 ws-coalesced-v4)
CAPTURES=("${PLAIN[@]}" wss-tls13-v4)
want() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }

if [ "${EXPECT_ONLY:-0}" != 1 ]; then
  . "$SCRIPT_DIR/lib/pair.sh"
  . "$SCRIPT_DIR/lib/certs.sh"
  trap wl_pair_cleanup EXIT
  mkdir -p "$OUT" "$SAMPLE_DIR"
  C="$WL_WORK/certs"
  wl_certs "$C" "$CERTS"
  wl_setup_pair
  wl_pair_hosts
  export NODE_PATH=/usr/share/nodejs
  PEERS="$WL_LIB_DIR/ws_peers.js"

  # record NAME PORT URL [TLS] : server in wl-rb, client in wl-ra, tcpdump on the client's link.
  record() {
    local name="$1" port="$2" url="$3" tls="${4:-}" keys="$WL_WORK/$1.keys"
    log "recording $name"
    rm -f "$keys"
    local sargs=() cargs=() cenv=()
    if [ -n "$tls" ]; then
      sargs=("$C/console-rsa.pem" "$C/console-rsa.key"); cargs=("$C/ca.pem" console.test)
      cenv=(NODE_OPTIONS="--tls-keylog=$keys")
    fi
    in_b node "$PEERS" server "$name" "$port" "${sargs[@]}" >"$WL_WORK/server.log" 2>&1 &
    local spid=$!; WL_PIDS+=($spid)
    wl_wait_port "$WL_NS_B" "$port"
    wl_capture_start "$WL_NS_A" "$WL_WORK/$name.pcap" -i "$WL_IF_A" tcp
    in_a env "${cenv[@]}" node "$PEERS" client "$name" "$url" "${cargs[@]}" >"$WL_WORK/client.log" 2>&1 \
      || log "client exited with $?"
    wait "$spid" || log "server exited with $?"
    wl_capture_stop
    [ "${VERBOSE:-0}" = 1 ] && cat "$WL_WORK/client.log" "$WL_WORK/server.log" >&2
    cp "$WL_WORK/$name.pcap" "$OUT/$name.pcap"; chmod 644 "$OUT/$name.pcap"
    if [ -n "$tls" ]; then cp "$keys" "$OUT/$name.keys"; chmod 644 "$OUT/$name.keys"; fi
    log "$name: $(capinfos -c -M "$OUT/$name.pcap" | awk -F': *' '/Number of packets/{print $2}') packets"
  }

  want ws-basic-v4 && record ws-basic-v4 8080 ws://console.test:8080/chat
  want ws-fragmented-v6 && record ws-fragmented-v6 8080 ws://console6.test:8080/fragments
  want ws-close-4000-v4 && record ws-close-4000-v4 8080 ws://console.test:8080/close
  want ws-reset-v4 && record ws-reset-v4 8080 ws://console.test:8080/reset
  want ws-deflate-v4 && record ws-deflate-v4 8080 ws://console.test:8080/deflate
  want ws-deflate-no-takeover-v6 && record ws-deflate-no-takeover-v6 8080 ws://console6.test:8080/deflate
  want ws-unanswered-pings-v4 && record ws-unanswered-pings-v4 8080 ws://console.test:8080/silent
  want ws-refused-v4 && record ws-refused-v4 8080 ws://console.test:8080/forbidden
  if want ws-coalesced-v4; then
    # Segmentation offload off for this one, so the 3 kB write leaves as MSS-sized segments and frames cross
    # segment boundaries; with it on, tcpdump sees one 3 kB segment.
    in_a ethtool -K "$WL_IF_A" tso off gso off >/dev/null; in_b ethtool -K "$WL_IF_B" tso off gso off >/dev/null
    record ws-coalesced-v4 8080 ws://console.test:8080/coalesced
    in_a ethtool -K "$WL_IF_A" tso on gso on >/dev/null; in_b ethtool -K "$WL_IF_B" tso on gso on >/dev/null
  fi
  want wss-tls13-v4 && record wss-tls13-v4 443 wss://console.test/secure tls

  if want agent-console; then
    log "recording agent-console"
    keys="$WL_WORK/agent-console.keys"; rm -f "$keys"
    in_b node "$WL_LIB_DIR/agent_console.js" console 8084 "$C/console-rsa.pem" "$C/console-rsa.key" \
      >"$WL_WORK/server.log" 2>&1 &
    spid=$!; WL_PIDS+=($spid)
    wl_wait_port "$WL_NS_B" 8084
    wl_capture_start "$WL_NS_A" "$WL_WORK/agent-console.pcapng" dumpcap -i "$WL_IF_A" -f tcp
    in_a env NODE_OPTIONS="--tls-keylog=$keys" node "$WL_LIB_DIR/agent_console.js" agent \
      wss://console.test:8084/agent "$C/ca.pem" >"$WL_WORK/client.log" 2>&1 || log "agent exited with $?"
    wait "$spid" || log "console exited with $?"
    wl_capture_stop
    [ "${VERBOSE:-0}" = 1 ] && cat "$WL_WORK/client.log" "$WL_WORK/server.log" >&2
    cp "$WL_WORK/agent-console.pcapng" "$keys" "$SAMPLE_DIR/"
    chmod 644 "$SAMPLE_DIR/agent-console.pcapng" "$SAMPLE_DIR/agent-console.keys"
    log "agent-console: $(stat -c %s "$SAMPLE_DIR/agent-console.pcapng") bytes"
  fi
fi

cd "$OUT"
for n in "${PLAIN[@]}"; do ws_expect "$n.pcap"; done
ws_expect wss-tls13-v4.pcap -o tls.keylog_file:wss-tls13-v4.keys
( . "$SCRIPT_DIR/lib/tls_expect.sh"; tls_expect wss-tls13-v4 )
# The sample lives in src/main/resources; its expectations are made beside a copy in a scratch folder (so the
# commands name the real file) and moved here.
tmp="$(mktemp -d)"
cp "$SAMPLE_DIR/agent-console.pcapng" "$SAMPLE_DIR/agent-console.keys" "$tmp/"
( cd "$tmp" && ws_expect agent-console.pcapng -d tcp.port==8084,tls -o tls.keylog_file:agent-console.keys \
    && . "$SCRIPT_DIR/lib/tls_expect.sh" && tls_expect agent-console -d tcp.port==8084,tls )
mv "$tmp"/agent-console.*.tsv "$OUT/"
rm -r "$tmp"
# captures.tsv: the list the smoke test checks: file, packets (capinfos -c -M), key log file ("" when none). The
# sample's row names it by its class-path location (/captures/agent-console.pcapng, from src/main/resources).
{
  printf 'file\tpackets\tkeys\n'
  for n in "${CAPTURES[@]}"; do
    k=""; [ -f "$n.keys" ] && k="$n.keys"
    printf '%s\t%s\t%s\n' "$n.pcap" "$(capinfos -c -M "$n.pcap" | awk -F': *' '/Number of packets/{print $2}')" "$k"
  done
  printf '%s\t%s\t%s\n' /captures/agent-console.pcapng \
    "$(capinfos -c -M "$SAMPLE_DIR/agent-console.pcapng" | awk -F': *' '/Number of packets/{print $2}')" \
    /captures/agent-console.keys
} > captures.tsv
tshark --version | head -1 > tshark.version
log "done: $OUT"
