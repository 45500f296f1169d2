#!/usr/bin/env bash
# Records the foundation captures (link, IP, TCP/UDP/ICMP layers) from real programs, and tshark's view of
# each one as the expected values for the golden tests.
#
#   sudo scripts/record-foundation.sh [OUTPUT_DIR]
#   EXPECT_ONLY=1 scripts/record-foundation.sh [OUTPUT_DIR]   (only rerun tshark on the recorded captures)
#   ONLY="vlan.pcap snaplen.pcap" scripts/record-foundation.sh  (record only these captures again)
#
# OUTPUT_DIR defaults to examples/src/test/resources/captures. The sample shipped with the command line
# (examples/src/main/resources/captures/http.pcap) is a copy of the recorded snaplen-free ethernet HTTP
# exchange. Traffic runs only between the namespaces wl-a and wl-b that this script creates (see
# lib/common.sh) and on their loopback interfaces; they are deleted at the end.
#
# Captures written:
#   ethernet.pcapng      dumpcap on the veth in wl-a: HTTP over TCP, UDP, ICMP echo and port unreachable,
#                        ARP/NDP; IPv4 and IPv6
#   midstream.pcapng     ethernet.pcapng from its first SYN-ACK on (editcap): TCP without handshakes
#   vlan.pcap            tcpdump on an 802.1Q trunk (VLAN 100, priority 3) between wl-a and wl-b
#   qinq.pcap            tcpdump on an 802.1ad trunk: S-tag 200 (TPID 0x88a8) around C-tag 100
#   sll2.pcap            tcpdump -i any -y LINUX_SLL2 (nanosecond timestamps)
#   sll.pcap             tcpdump -i any -y LINUX_SLL
#   loopback.pcap        tcpdump -i lo (Linux loopback frames are Ethernet with zero addresses)
#   ipv6-ext.pcap        hop-by-hop, destination options, routing (SRH) and fragment headers (MTU 1280), ns stamps
#   ipv4-fragments.pcap  UDP and ICMP fragmented over an MTU of 576, an IPv4 header with options
#   snaplen.pcap         tcpdump -s 80: payloads and some TCP headers cut
#   multi-interface.pcapng  dumpcap on three interfaces at once: wla0 and lo (Ethernet), any (LINUX_SLL2)
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
OUT="${1:-$REPO_DIR/examples/src/test/resources/captures}"
SAMPLE_DIR="${SAMPLE_DIR:-$REPO_DIR/examples/src/main/resources/captures}"
. "$SCRIPT_DIR/lib/common.sh"
trap wl_cleanup EXIT
mkdir -p "$OUT" "$SAMPLE_DIR"
OUT="$(cd "$OUT" && pwd)"
T="$SCRIPT_DIR/lib/traffic.py"
CAPTURES=(ethernet.pcapng midstream.pcapng vlan.pcap qinq.pcap sll2.pcap sll.pcap loopback.pcap ipv6-ext.pcap ipv4-fragments.pcap
  snaplen.pcap multi-interface.pcapng)

# ONLY="a.pcap b.pcapng ..." records just those captures (http.pcap: the sample); default: all of them.
want() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }

# midstream.pcapng: ethernet.pcapng without its frames up to the first SYN-ACK, so TCP connections start
# mid-stream (relative sequence numbers without a handshake, window scale unknown).
write_midstream() {
  local n
  n=$(tshark -n -r "$OUT/ethernet.pcapng" -Y 'tcp.flags.syn==1 && tcp.flags.ack==1' -T fields -e frame.number \
    2>/dev/null | head -1)
  editcap "$OUT/ethernet.pcapng" "$OUT/midstream.pcapng" "1-$n"
  wl_expect "$OUT/midstream.pcapng"
}

# http.pcap.txt (next to the test captures): tshark's summaries of the command line's sample capture.
write_sample_expect() {
  tshark -n "${WL_TSHARK_PREFS[@]}" -r "$SAMPLE_DIR/http.pcap" > "$OUT/http.pcap.txt" 2>/dev/null
  chmod 644 "$OUT/http.pcap.txt"
}

write_readme() {
{
  echo "# Recorded captures"
  echo
  echo "Recorded by \`scripts/record-foundation.sh\` (Linux $(uname -r)) from real programs"
  echo "(python3 http.server, curl, ping, python3 UDP sockets) between network namespaces; see the script."
  echo "Expected values are tshark's, recorded at the same time, never written by hand:"
  echo
  echo "- \`X.tsv\`: per-packet fields (header row, tab separated, all occurrences joined by commas)."
  echo "- \`X.txt\`: tshark's one-line summaries (\`http.pcap.txt\` is for the sample capture in"
  echo "  \`examples/src/main/resources/captures/\`)."
  echo
  echo "tshark version: \`$(tshark --version 2>/dev/null | head -1)\`"
  echo
  echo "Commands (run in this folder, CAPTURE = the capture's file name):"
  echo
  echo '```'
  wl_expect_commands
  echo '```'
  echo
  echo "| capture | packets | bytes | link type | timestamps |"
  echo "|---|---|---|---|---|"
  for f in "${CAPTURES[@]}"; do
    n=$(($(wc -l < "$OUT/$f.tsv") - 1))
    enc=$(capinfos -T -r -E "$OUT/$f" 2>/dev/null | cut -f2)
    prec=$(capinfos -M "$OUT/$f" 2>/dev/null | awk -F': *' '/File timestamp precision/{print $2}')
    echo "| $f | $n | $(stat -c %s "$OUT/$f") | $enc | $prec |"
  done
  echo
  echo "License: recorded by the Wirelens project for its tests; same license as the project."
} > "$OUT/README.md"
}

# --expect-only: rewrite the tshark expectations and the README from the captures already recorded.
if [ "${EXPECT_ONLY:-0}" = 1 ]; then
  for f in "${CAPTURES[@]}"; do
    if [ "$f" = midstream.pcapng ]; then write_midstream; else wl_expect "$OUT/$f"; fi
  done
  write_sample_expect
  write_readme
  exit 0
fi

wl_setup
wl_start_servers

http_get() { in_a curl -sS -o /dev/null --max-time 5 "$@"; }

# ---------------------------------------------------------------- ethernet.pcapng
if want ethernet.pcapng || want midstream.pcapng; then
  wl_flush_neighbours
  wl_capture_start "$WL_NS_A" "$WL_WORK/ethernet.pcapng" dumpcap -i wla0
  in_a ping -c 2 -i 0.2 "$WL_V4_B" >/dev/null
  in_a ping -6 -c 2 -i 0.2 "$WL_V6_B" >/dev/null
  http_get "http://$WL_V4_B:$WL_HTTP_PORT/"
  http_get "http://[$WL_V6_B]:$WL_HTTP_PORT/"
  in_a python3 "$T" udp "$WL_V4_B" "$WL_UDP_PORT" 32 2
  in_a python3 "$T" udp "$WL_V6_B" "$WL_UDP_PORT" 48 1
  # Closed ports: the answers are ICMP / ICMPv6 port unreachable errors quoting our datagrams.
  in_a python3 "$T" udp-send "$WL_V4_B" 9 12
  in_a python3 "$T" udp-send "$WL_V6_B" 9 12
  wl_capture_stop
  cp "$WL_WORK/ethernet.pcapng" "$OUT/ethernet.pcapng"
  wl_expect "$OUT/ethernet.pcapng"
  write_midstream
fi

# ---------------------------------------------------------------- vlan.pcap
if want vlan.pcap; then
  wl_flush_neighbours
  wl_capture_start "$WL_NS_T" "$WL_WORK/vlan.pcap" -i tt0
  in_a ping -c 2 -i 0.2 "$WL_VLAN_V4_B" >/dev/null
  in_a ping -6 -c 1 "$WL_VLAN_V6_B" >/dev/null
  http_get "http://$WL_VLAN_V4_B:$WL_HTTP_PORT/"
  in_a python3 "$T" udp "$WL_VLAN_V6_B" "$WL_UDP_PORT" 20 1
  wl_capture_stop
  cp "$WL_WORK/vlan.pcap" "$OUT/vlan.pcap"
  wl_expect "$OUT/vlan.pcap"
  if ! tshark -r "$OUT/vlan.pcap" -Y vlan.id==100 2>/dev/null | grep -q .; then
    log "vlan.pcap holds no 802.1Q tag with id 100"; exit 1
  fi
fi

# ---------------------------------------------------------------- qinq.pcap
if want qinq.pcap; then
  wl_flush_neighbours
  wl_capture_start "$WL_NS_T" "$WL_WORK/qinq.pcap" -i tq0
  in_a ping -c 2 -i 0.2 "$WL_QINQ_V4_B" >/dev/null
  http_get "http://$WL_QINQ_V4_B:$WL_HTTP_PORT/"
  in_a python3 "$T" udp "$WL_QINQ_V6_B" "$WL_UDP_PORT" 20 1
  wl_capture_stop
  cp "$WL_WORK/qinq.pcap" "$OUT/qinq.pcap"
  wl_expect "$OUT/qinq.pcap"
  if ! tshark -r "$OUT/qinq.pcap" -Y 'ieee8021ad.id==200 && vlan.id==100' 2>/dev/null | grep -q .; then
    log "qinq.pcap holds no frame with both tags"; exit 1
  fi
fi

# ---------------------------------------------------------------- sll2.pcap and sll.pcap
if want sll2.pcap || want sll.pcap; then
  for y in LINUX_SLL2 LINUX_SLL; do
    name=$(echo "$y" | tr 'A-Z' 'a-z' | sed 's/^linux_//').pcap
    want "$name" || continue
    wl_flush_neighbours
    wl_capture_start "$WL_NS_A" "$WL_WORK/$name" -i any -y "$y" --time-stamp-precision=nano
    http_get "http://$WL_V4_B:$WL_HTTP_PORT/"
    in_a ping -6 -c 1 "$WL_V6_B" >/dev/null
    in_a python3 "$T" udp "$WL_V4_B" "$WL_UDP_PORT" 24 1
    in_a ping -c 1 "$WL_VLAN_V4_B" >/dev/null
    in_a ping -c 1 127.0.0.1 >/dev/null
    wl_capture_stop
    cp "$WL_WORK/$name" "$OUT/$name"
    wl_expect "$OUT/$name"
  done
fi

# ---------------------------------------------------------------- loopback.pcap
if want loopback.pcap; then
  wl_capture_start "$WL_NS_B" "$WL_WORK/loopback.pcap" -i lo
  in_b curl -sS -o /dev/null --max-time 5 "http://127.0.0.1:$WL_HTTP_PORT/"
  in_b curl -sS -o /dev/null --max-time 5 "http://[::1]:$WL_HTTP_PORT/"
  in_b python3 "$T" udp 127.0.0.1 "$WL_UDP_PORT" 16 1
  in_b python3 "$T" udp ::1 "$WL_UDP_PORT" 16 1
  in_b ping -c 1 127.0.0.1 >/dev/null
  wl_capture_stop
  cp "$WL_WORK/loopback.pcap" "$OUT/loopback.pcap"
  wl_expect "$OUT/loopback.pcap"
fi

# ---------------------------------------------------------------- ipv6-ext.pcap
if want ipv6-ext.pcap; then
  wl_set_mtu 1280
  wl_flush_neighbours
  wl_capture_start "$WL_NS_A" "$WL_WORK/ipv6-ext.pcap" -i wla0 --time-stamp-precision=nano ip6
  in_a python3 "$T" udp-v6ext "$WL_V6_B" "$WL_UDP_PORT" 40 hop
  in_a python3 "$T" udp-v6ext "$WL_V6_B" "$WL_UDP_PORT" 40 dst
  in_a python3 "$T" udp-v6ext "$WL_V6_B" "$WL_UDP_PORT" 40 hop+dst
  in_a python3 "$T" udp "$WL_V6_B" "$WL_UDP_PORT" 3000 1
  in_a python3 "$T" udp-v6ext "$WL_V6_B" "$WL_UDP_PORT" 2000 hop+dst
  in_a ping -6 -c 1 -s 1400 "$WL_V6_B" >/dev/null
  in_a python3 "$T" http-v6hop "$WL_V6_B" "$WL_HTTP_PORT" /
  # A routing header: a segment routing header (RFC 8754, routing type 4) inserted by the kernel for a route to
  # fd00:300::/64 via the segment fd00:200::2. wl-b does not process SRH and drops the datagram.
  in_a ip -6 route add fd00:300::/64 encap seg6 mode inline segs "$WL_V6_B" dev wla0
  in_a python3 "$T" udp-send fd00:300::5 "$WL_UDP_PORT" 24
  sleep 0.2
  in_a ip -6 route del fd00:300::/64
  wl_capture_stop
  cp "$WL_WORK/ipv6-ext.pcap" "$OUT/ipv6-ext.pcap"
  wl_expect "$OUT/ipv6-ext.pcap"
  wl_set_mtu 1500
fi

# ---------------------------------------------------------------- ipv4-fragments.pcap
if want ipv4-fragments.pcap; then
  wl_set_mtu 576
  wl_flush_neighbours
  wl_capture_start "$WL_NS_A" "$WL_WORK/ipv4-fragments.pcap" -i wla0 ip or arp
  in_a python3 "$T" udp "$WL_V4_B" "$WL_UDP_PORT" 1400 1
  in_a ping -c 1 -M dont -s 1200 "$WL_V4_B" >/dev/null
  in_a python3 "$T" udp-v4opts "$WL_V4_B" "$WL_UDP_PORT" 64
  http_get "http://$WL_V4_B:$WL_HTTP_PORT/"
  wl_capture_stop
  cp "$WL_WORK/ipv4-fragments.pcap" "$OUT/ipv4-fragments.pcap"
  wl_expect "$OUT/ipv4-fragments.pcap"
  wl_set_mtu 1500
fi

# ---------------------------------------------------------------- snaplen.pcap
if want snaplen.pcap; then
  wl_flush_neighbours
  wl_capture_start "$WL_NS_A" "$WL_WORK/snaplen.pcap" -i wla0 -s 80
  http_get "http://$WL_V4_B:$WL_HTTP_PORT/big.txt"
  http_get "http://[$WL_V6_B]:$WL_HTTP_PORT/big.txt"
  in_a ping -c 1 -s 200 "$WL_V4_B" >/dev/null
  in_a python3 "$T" udp "$WL_V6_B" "$WL_UDP_PORT" 100 1
  wl_capture_stop
  cp "$WL_WORK/snaplen.pcap" "$OUT/snaplen.pcap"
  wl_expect "$OUT/snaplen.pcap"
fi

# ---------------------------------------------------------------- multi-interface.pcapng
if want multi-interface.pcapng; then
  wl_flush_neighbours
  wl_capture_start "$WL_NS_A" "$WL_WORK/multi-interface.pcapng" dumpcap -i wla0 -i lo -i any -y LINUX_SLL2 \
    -f "not ip6 multicast"
  in_a ping -c 1 "$WL_V4_B" >/dev/null
  in_a ping -c 1 127.0.0.1 >/dev/null
  in_a python3 "$T" udp "$WL_V6_B" "$WL_UDP_PORT" 16 1
  wl_capture_stop
  cp "$WL_WORK/multi-interface.pcapng" "$OUT/multi-interface.pcapng"
  wl_expect "$OUT/multi-interface.pcapng"
fi

# ---------------------------------------------------------------- the command line's sample
if want http.pcap; then
  wl_flush_neighbours
  wl_capture_start "$WL_NS_A" "$WL_WORK/http.pcap" -i wla0
  http_get "http://$WL_V4_B:$WL_HTTP_PORT/"
  http_get "http://[$WL_V6_B]:$WL_HTTP_PORT/"
  in_a python3 "$T" udp "$WL_V4_B" "$WL_UDP_PORT" 32 1
  wl_capture_stop
  cp "$WL_WORK/http.pcap" "$SAMPLE_DIR/http.pcap"
  chmod 644 "$SAMPLE_DIR/http.pcap"
  write_sample_expect
fi

write_readme
log "done: $OUT"
