# tshark's view of a WebSocket capture, written beside it. Source this file; call ws_expect CAPTURE [TSHARK-ARGS...]
# in the capture's folder (TSHARK-ARGS: e.g. -o tls.keylog_file:X.keys, -d tcp.port==8084,tls). For X.pcap or
# X.pcapng it writes (each file starts with "# " and the exact command, then a header row; tab separated):
#   X.ws.tsv         one row per WebSocket frame
#   X.handshake.tsv  one row per HTTP Upgrade request / 101 response, with the Sec-WebSocket-* headers
#   X.pings.tsv      one row per ping and pong frame: capture time (frame.time_epoch), side, payload
#   X.tcp.tsv        per TCP stream: client (SYN sender), server, first FIN sender, first RST sender
# Needs tshark, python3.
WS_EXPECT_PY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/ws_expect.py"

ws_expect() {
  local cap="$1"; shift
  local n="${cap%.pcap}"; n="${n%.pcapng}"
  local xs="${*:+ $*}" py="scripts/lib/ws_expect.py"
  { echo "# tshark -n -r $cap$xs -T json --no-duplicate-keys -J 'frame ip ipv6 tcp websocket' | $py frames"
    tshark -n -r "$cap" "$@" -T json --no-duplicate-keys -J "frame ip ipv6 tcp websocket" 2>/dev/null \
      | python3 "$WS_EXPECT_PY" frames; } > "$n.ws.tsv"
  { echo "# tshark -n -r $cap$xs -T json --no-duplicate-keys -J 'frame ip ipv6 tcp http' | $py handshake"
    tshark -n -r "$cap" "$@" -T json --no-duplicate-keys -J "frame ip ipv6 tcp http" 2>/dev/null \
      | python3 "$WS_EXPECT_PY" handshake; } > "$n.handshake.tsv"
  { echo "# tshark -n -r $cap$xs -T json --no-duplicate-keys -J 'frame ip ipv6 tcp websocket' | $py pings"
    tshark -n -r "$cap" "$@" -T json --no-duplicate-keys -J "frame ip ipv6 tcp websocket" 2>/dev/null \
      | python3 "$WS_EXPECT_PY" pings; } > "$n.pings.tsv"
  { echo "# tshark -n -r $cap -T fields -e tcp.stream -e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst -e tcp.dstport -e tcp.flags.syn -e tcp.flags.ack -e tcp.flags.fin -e tcp.flags.reset | awk (first SYN, FIN, RST sender per stream)"
    printf 'stream\tclient\tserver\tfirst_fin_src\tfirst_rst_src\n'
    tshark -n -r "$cap" -T fields -e tcp.stream -e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst \
        -e tcp.dstport -e tcp.flags.syn -e tcp.flags.ack -e tcp.flags.fin -e tcp.flags.reset 2>/dev/null \
      | awk -F'\t' '$1 != "" {
          s = $1; src = ($3 != "" ? "[" $3 "]" : $2) ":" $4; dst = ($6 != "" ? "[" $6 "]" : $5) ":" $7
          if (!(s in seen)) { seen[s] = 1; order[++k] = s }
          if ($8 == 1 && $9 == 0 && !(s in cl)) { cl[s] = src; sv[s] = dst }
          if ($10 == 1 && !(s in fin)) fin[s] = src
          if ($11 == 1 && !(s in rst)) rst[s] = src
        }
        END { for (i = 1; i <= k; i++) { s = order[i]; printf "%s\t%s\t%s\t%s\t%s\n", s, cl[s], sv[s], fin[s], rst[s] } }'
  } > "$n.tcp.tsv"
  chmod 644 "$n.ws.tsv" "$n.handshake.tsv" "$n.pings.tsv" "$n.tcp.tsv"
  log "$cap: $(($(wc -l < "$n.ws.tsv") - 2)) WebSocket frames, $(($(wc -l < "$n.handshake.tsv") - 2)) handshake messages, $(($(wc -l < "$n.pings.tsv") - 2)) pings and pongs"
}

type log >/dev/null 2>&1 || log() { printf '[record] %s\n' "$*" >&2; }
