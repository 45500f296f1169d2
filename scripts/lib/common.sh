# Shared helpers for the capture-recording scripts. Source this file; do not run it.
#
# Every address used here lives only inside network namespaces these scripts create (wl-a, wl-b, wl-t) and on
# their own loopback interfaces: 10.200.0.0/24, 10.200.100.0/24 (VLAN 100), 10.200.101.0/24 (QinQ),
# fd00:200::/64, fd00:200:100::/64, fd00:200:101::/64.
# Nothing is sent to any other address. Needs root, iproute2, tcpdump, dumpcap, tshark, python3, curl, ping.

set -euo pipefail

WL_NS_A=wl-a
WL_NS_B=wl-b
WL_NS_T=wl-t
WL_MAC_A=02:00:5e:00:02:01
WL_MAC_B=02:00:5e:00:02:02
WL_V4_A=10.200.0.1
WL_V4_B=10.200.0.2
WL_V6_A=fd00:200::1
WL_V6_B=fd00:200::2
WL_VLAN_ID=100
WL_VLAN_PRIORITY=3
WL_VLAN_MAC_A=02:00:5e:00:64:01
WL_VLAN_MAC_B=02:00:5e:00:64:02
WL_QINQ_SVID=200
WL_QINQ_MAC_A=02:00:5e:00:65:01
WL_QINQ_MAC_B=02:00:5e:00:65:02
WL_QINQ_V4_A=10.200.101.1
WL_QINQ_V4_B=10.200.101.2
WL_QINQ_V6_A=fd00:200:101::1
WL_QINQ_V6_B=fd00:200:101::2
WL_VLAN_V4_A=10.200.100.1
WL_VLAN_V4_B=10.200.100.2
WL_VLAN_V6_A=fd00:200:100::1
WL_VLAN_V6_B=fd00:200:100::2
WL_HTTP_PORT=8080
WL_UDP_PORT=9000

WL_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WL_WORK="$(mktemp -d /tmp/wirelens-record.XXXXXX)"
WL_PIDS=()

log() { printf '[record] %s\n' "$*" >&2; }

in_a() { ip netns exec "$WL_NS_A" "$@"; }
in_b() { ip netns exec "$WL_NS_B" "$@"; }

# Creates wl-a and wl-b joined by the veth pair wla0 <-> wlb0, with fixed MAC addresses, IPv4 and IPv6
# addresses (no duplicate address detection, so IPv6 works at once), and a second link between them that
# crosses an 802.1Q trunk (VLAN 100, priority 3).
wl_setup() {
  wl_teardown_quiet
  ip netns add "$WL_NS_A"
  ip netns add "$WL_NS_B"
  ip link add wla0 netns "$WL_NS_A" type veth peer name wlb0 netns "$WL_NS_B"
  for ns in "$WL_NS_A" "$WL_NS_B"; do
    ip netns exec "$ns" ip link set lo up
    # Router solicitations and MLD reports are fine, but keep the link otherwise quiet.
    ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0
  done
  in_a ip link set wla0 address "$WL_MAC_A"
  in_b ip link set wlb0 address "$WL_MAC_B"
  in_a ip addr add "$WL_V4_A/24" dev wla0
  in_b ip addr add "$WL_V4_B/24" dev wlb0
  in_a ip -6 addr add "$WL_V6_A/64" dev wla0 nodad
  in_b ip -6 addr add "$WL_V6_B/64" dev wlb0 nodad
  in_a ip link set wla0 up
  in_b ip link set wlb0 up
  # VLAN 100 over a trunk. This kernel may lack the 8021q module (no "type vlan" links), so the trunk is
  # built from veth pairs and a user-space tagger in a third namespace, wl-t:
  #   wl-a:wla1 <-> wl-t:ta1 [tag] wl-t:tt0 <-> wl-t:tt1 [untag] wl-t:tb1 <-> wl-b:wlb1
  # tt0 is the trunk side where the tagged frames are captured.
  ip netns add "$WL_NS_T"
  ip netns exec "$WL_NS_T" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip link add wla1 netns "$WL_NS_A" type veth peer name ta1 netns "$WL_NS_T"
  ip link add wlb1 netns "$WL_NS_B" type veth peer name tb1 netns "$WL_NS_T"
  ip netns exec "$WL_NS_T" ip link add tt0 type veth peer name tt1
  in_a ip link set wla1 address "$WL_VLAN_MAC_A" mtu 1496
  in_b ip link set wlb1 address "$WL_VLAN_MAC_B" mtu 1496
  local i
  for i in ta1 tb1 tt0 tt1; do ip netns exec "$WL_NS_T" ip link set "$i" mtu 1504 up; done
  in_a ip addr add "$WL_VLAN_V4_A/24" dev wla1
  in_b ip addr add "$WL_VLAN_V4_B/24" dev wlb1
  in_a ip -6 addr add "$WL_VLAN_V6_A/64" dev wla1 nodad
  in_b ip -6 addr add "$WL_VLAN_V6_B/64" dev wlb1 nodad
  # veth leaves TCP/UDP checksums to "hardware" (CHECKSUM_PARTIAL); frames that cross the user-space tagger
  # would then arrive with unfinished checksums, so the kernel must compute them in software on this link.
  in_a ethtool -K wla1 tx off >/dev/null
  in_b ethtool -K wlb1 tx off >/dev/null
  in_a ip link set wla1 up
  in_b ip link set wlb1 up
  ip netns exec "$WL_NS_T" python3 "$WL_LIB_DIR/vlan_relay.py" "$WL_VLAN_ID" "$WL_VLAN_PRIORITY" ta1:tt0 tb1:tt1 \
    >"$WL_WORK/vlan.log" 2>&1 &
  WL_PIDS+=($!)
  # A third link crosses an 802.1ad (QinQ) trunk the same way: S-tag 200 outside, C-tag 100 inside.
  #   wl-a:wla2 <-> wl-t:ta2 [tag twice] wl-t:tq0 <-> wl-t:tq1 [untag twice] wl-t:tb2 <-> wl-b:wlb2
  ip link add wla2 netns "$WL_NS_A" type veth peer name ta2 netns "$WL_NS_T"
  ip link add wlb2 netns "$WL_NS_B" type veth peer name tb2 netns "$WL_NS_T"
  ip netns exec "$WL_NS_T" ip link add tq0 type veth peer name tq1
  in_a ip link set wla2 address "$WL_QINQ_MAC_A" mtu 1492
  in_b ip link set wlb2 address "$WL_QINQ_MAC_B" mtu 1492
  for i in ta2 tb2 tq0 tq1; do ip netns exec "$WL_NS_T" ip link set "$i" mtu 1508 up; done
  in_a ip addr add "$WL_QINQ_V4_A/24" dev wla2
  in_b ip addr add "$WL_QINQ_V4_B/24" dev wlb2
  in_a ip -6 addr add "$WL_QINQ_V6_A/64" dev wla2 nodad
  in_b ip -6 addr add "$WL_QINQ_V6_B/64" dev wlb2 nodad
  in_a ethtool -K wla2 tx off >/dev/null
  in_b ethtool -K wlb2 tx off >/dev/null
  in_a ip link set wla2 up
  in_b ip link set wlb2 up
  ip netns exec "$WL_NS_T" python3 "$WL_LIB_DIR/vlan_relay.py" --outer "$WL_QINQ_SVID" "$WL_VLAN_ID" \
    "$WL_VLAN_PRIORITY" ta2:tq0 tb2:tq1 >"$WL_WORK/qinq.log" 2>&1 &
  WL_PIDS+=($!)
  sleep 1
}

wl_set_mtu() {
  in_a ip link set wla0 mtu "$1"
  in_b ip link set wlb0 mtu "$1"
  # An MTU below 1280 turns IPv6 off on the link and drops its addresses; put them back when it comes back.
  if [ "$1" -ge 1280 ]; then
    in_a ip -6 addr replace "$WL_V6_A/64" dev wla0 nodad
    in_b ip -6 addr replace "$WL_V6_B/64" dev wlb0 nodad
  fi
  # Forget learned path MTUs and neighbours so each capture starts alike.
  in_a ip -6 route flush cache >/dev/null 2>&1 || true
  in_a ip route flush cache >/dev/null 2>&1 || true
}

wl_flush_neighbours() {
  in_a ip neigh flush all >/dev/null 2>&1 || true
  in_b ip neigh flush all >/dev/null 2>&1 || true
}

wl_teardown_quiet() {
  ip netns del "$WL_NS_A" >/dev/null 2>&1 || true
  ip netns del "$WL_NS_B" >/dev/null 2>&1 || true
  ip netns del "$WL_NS_T" >/dev/null 2>&1 || true
}

wl_cleanup() {
  local pid
  for pid in "${WL_PIDS[@]:-}" "${WL_CAP_PID:-}"; do
    [ -n "$pid" ] && kill "$pid" >/dev/null 2>&1 || true
  done
  wl_teardown_quiet
  rm -rf "$WL_WORK"
}

# Starts the servers in wl-b: python3's http.server on port 8080 (IPv4 and IPv6) serving small fixed files,
# and a UDP echo server on port 9000.
wl_start_servers() {
  mkdir -p "$WL_WORK/www"
  printf 'Hello from wirelens\n' > "$WL_WORK/www/index.html"
  python3 -c 'import sys; sys.stdout.write("".join("line %04d of the wirelens sample body\n" % i for i in range(110)))' \
    > "$WL_WORK/www/big.txt"
  ip netns exec "$WL_NS_B" python3 -m http.server --bind :: --directory "$WL_WORK/www" "$WL_HTTP_PORT" >"$WL_WORK/http.log" 2>&1 &
  WL_PIDS+=($!)
  ip netns exec "$WL_NS_B" python3 "$WL_LIB_DIR/udp_echo.py" "$WL_UDP_PORT" >"$WL_WORK/udp.log" 2>&1 &
  WL_PIDS+=($!)
  local i
  for i in $(seq 1 50); do
    if in_b python3 -c "import socket,sys; s=socket.socket(socket.AF_INET6); s.settimeout(0.2); sys.exit(s.connect_ex(('::1', $WL_HTTP_PORT)))" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  log "http server did not start"; return 1
}

# wl_capture_start NS OUTFILE TOOL-ARGS... : starts tcpdump (or dumpcap, if the first arg is "dumpcap") in NS
# and waits until it is listening. Sets WL_CAP_PID.
wl_capture_start() {
  local ns="$1" out="$2"; shift 2
  local errf="$WL_WORK/cap.$(basename "$out").err"
  rm -f "$out"
  if [ "$1" = dumpcap ]; then
    shift
    ip netns exec "$ns" dumpcap -q "$@" -w "$out" 2>"$errf" &
  else
    ip netns exec "$ns" tcpdump -U --immediate-mode "$@" -w "$out" 2>"$errf" &
  fi
  WL_CAP_PID=$!
  local i
  for i in $(seq 1 100); do
    if grep -qiE 'listening on|capturing on' "$errf" 2>/dev/null; then sleep 0.3; return 0; fi
    sleep 0.1
  done
  cat "$errf" >&2; log "capture did not start: $out"; return 1
}

# Stops the capture. libpcap hands packets over in blocks with a read timeout (dumpcap: 250 ms; tcpdump runs in
# immediate mode here), and packets still in the kernel's ring when the capture stops are lost: wait first.
wl_capture_stop() {
  sleep 1.5
  kill -INT "$WL_CAP_PID" 2>/dev/null || true
  wait "$WL_CAP_PID" 2>/dev/null || true
}

WL_TSHARK_FIELDS=(
  frame.number frame.time_epoch frame.len frame.cap_len frame.interface_id frame.protocols
  eth.src eth.dst eth.type ieee8021ad.priority ieee8021ad.id vlan.priority vlan.id vlan.etype
  sll.pkttype sll.hatype sll.halen sll.src.eth sll.ltype sll.etype sll.ifindex
  ip.version ip.hdr_len ip.dsfield ip.len ip.id ip.flags.df ip.flags.mf ip.frag_offset ip.ttl ip.proto
  ip.checksum ip.checksum.status ip.src ip.dst
  ipv6.version ipv6.tclass ipv6.flow ipv6.plen ipv6.nxt ipv6.hlim ipv6.src ipv6.dst
  ipv6.hopopts.nxt ipv6.hopopts.len ipv6.dstopts.nxt ipv6.dstopts.len
  ipv6.routing.nxt ipv6.routing.len ipv6.routing.type ipv6.routing.segleft
  ipv6.fraghdr.nxt ipv6.fraghdr.offset ipv6.fraghdr.more ipv6.fraghdr.ident
  tcp.srcport tcp.dstport tcp.seq_raw tcp.ack_raw tcp.hdr_len tcp.flags tcp.window_size_value
  tcp.checksum tcp.urgent_pointer tcp.len tcp.option_kind tcp.options.mss_val tcp.options.wscale.shift
  tcp.options.sack_perm tcp.options.timestamp.tsval tcp.options.timestamp.tsecr
  udp.srcport udp.dstport udp.length udp.checksum
  icmp.type icmp.code icmpv6.type icmpv6.code
)

# Fragments are left as fragments (no reassembly) so each frame's own header fields are what is recorded;
# IPv4 header checksums are verified (ip.checksum.status: 1 good, 0 bad).
WL_TSHARK_PREFS=(-o ip.defragment:FALSE -o ipv6.defragment:FALSE -o ip.check_checksum:TRUE -o tcp.desegment_tcp_streams:FALSE
  -o tcp.relative_sequence_numbers:TRUE -o tcp.analyze_sequence_numbers:TRUE)

# wl_expect CAPTURE : writes CAPTURE.tsv (per-packet fields), CAPTURE.txt (tshark's one-line summaries) and
# appends the exact commands and the tshark version to the README of the capture's folder.
wl_expect() {
  local cap="$1" dir base
  dir="$(dirname "$cap")"; base="$(basename "$cap")"
  local eargs=() f
  for f in "${WL_TSHARK_FIELDS[@]}"; do eargs+=(-e "$f"); done
  ( cd "$dir" && tshark -n "${WL_TSHARK_PREFS[@]}" -r "$base" -T fields -E header=y -E separator=/t \
      -E occurrence=a -E aggregator=, "${eargs[@]}" > "$base.tsv" 2>/dev/null )
  ( cd "$dir" && tshark -n "${WL_TSHARK_PREFS[@]}" -r "$base" > "$base.txt" 2>/dev/null )
  chmod 644 "$cap" "$cap.tsv" "$cap.txt"
  log "$base: $(($(wc -l < "$cap.tsv") - 1)) packets, $(stat -c %s "$cap") bytes"
}

wl_expect_commands() {
  local eargs="" f
  for f in "${WL_TSHARK_FIELDS[@]}"; do eargs+=" -e $f"; done
  printf 'tshark -n %s -r CAPTURE -T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=,%s > CAPTURE.tsv\n' \
    "${WL_TSHARK_PREFS[*]}" "$eargs"
  printf 'tshark -n %s -r CAPTURE > CAPTURE.txt\n' "${WL_TSHARK_PREFS[*]}"
}
