#!/usr/bin/env bash
# Records real TCP connections between the namespaces wl-a (client, 10.200.0.1 / fd00:200::1) and wl-b (server,
# 10.200.0.2 / fd00:200::2) of lib/common.sh, and tshark's view of them as the expected values of
# TcpCapturesMatchTsharkTest. Usage:
#   scripts/record-tcp-captures.sh                 (root: records the captures, then the expectations)
#   EXPECT_ONLY=1 scripts/record-tcp-captures.sh   (only rerun tshark on the recorded captures; CI never runs this)
#
# Captures (examples/src/test/resources/captures/, tcpdump on wla0 in wl-a, filter "tcp"):
#   tcp-client-fin-v4.pcap    3 request/answer rounds over IPv4 (lib/tcp_peers.py, port 9100); the client closes first
#   tcp-server-fin-v6.pcap    3 rounds over IPv6; the server closes first
#   tcp-client-rst-v4.pcap    2 rounds over IPv4; the client closes with SO_LINGER 0: an RST from the client
#   tcp-server-rst-v6.pcap    2 rounds over IPv6; the server closes with SO_LINGER 0: an RST from the server
#   tcp-chat-v6.pcap          long: 25 rounds 0.2 s apart (about 5 s) over IPv6; the client closes first
#   tcp-slow-download-v4.pcap curl --limit-rate 40k fetching 164 kB from python3 http.server over IPv4: the server
#                             sends it all at once (veth TSO: segments up to 40 kB), retransmits its FIN (the one
#                             tcp.analysis.retransmission of these captures) and gets a SACK; the client reads slowly
#                             and closes 1.6 s later. The long connection with many round trips is tcp-chat-v6.pcap.
#   tcp-flow-control-v4.pcap long: the server sends 60 kB at once to a client with a 2 kB receive buffer that reads
#                             500 bytes every 25 ms (about 4 s): the window fills and reopens many times
#   tcp-midconn-server-first-v4.pcap  tcp-slow-download-v4.pcap without its first 7 packets (editcap): starts
#                             mid-connection with a data segment from the server's port 8080, so design.md's
#                             well-known port rule, not the first packet, makes 10.200.0.1 the client
#   tcp-midconn-v4.pcap       20 rounds 0.2 s apart over IPv4, tcpdump started 1 s after the connection was up: no
#                             handshake, the capture starts mid-connection; the server closes first
#   tcp-lossy-download-v4.pcap real packet loss: curl fetches 3 MB from python3 http.server over a link that drops 5%
#                             of the frames in each direction (10.200.3.1 wl-a:wla3 <-> wl-t:la3 [lib/lossy_relay.py]
#                             wl-t:lb3 <-> wl-b:wlb3 10.200.3.2; this kernel has no sch_netem for `tc qdisc ... netem
#                             loss 5%`, so a user-space relay drops them, seeded). Captured on the client's side: the
#                             server's lost segments are missing until retransmitted (tcp.analysis.lost_segment,
#                             retransmissions, duplicate ACKs with SACK), the client's lost ACKs cause spurious
#                             retransmissions. Offloads are off on the lossy link so every frame is one MTU-sized packet.
#
# Expectations written next to them (tshark 4.0, see tcp-flows.tsv.version):
#   tcp-flows.tsv   the columns of flows.tsv (scripts/record-flows-expectations.sh): per tcp.stream both nodes'
#                   follow,tcp,raw bytes (length, SHA-256, gaps), tcp.completeness, first and last packet time
#   tcp-audit.tsv   the columns of audit.tsv (scripts/record-audit-expectations.sh): per stream and sender,
#                   packets and tcp.analysis.* counts
#   tcp-close.tsv   per stream: first_fin_src and first_rst_src, the sender ("ip:port") of the stream's first
#                   packet with tcp.flags.fin==1 (resp. tcp.flags.reset==1), empty when there is none
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
OUT="$REPO_DIR/examples/src/test/resources/captures"
P="$SCRIPT_DIR/lib/tcp_peers.py"
PORT=9100
CAPTURES=(tcp-client-fin-v4.pcap tcp-server-fin-v6.pcap tcp-client-rst-v4.pcap tcp-server-rst-v6.pcap tcp-chat-v6.pcap
  tcp-slow-download-v4.pcap tcp-midconn-v4.pcap tcp-flow-control-v4.pcap tcp-midconn-server-first-v4.pcap
  tcp-lossy-download-v4.pcap)
LOSSY_V4_A=10.200.3.1
LOSSY_V4_B=10.200.3.2

# ONLY="a.pcap ..." records just those captures again (the expectations are always rewritten for all of them).
want() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }

if [ "${EXPECT_ONLY:-0}" != 1 ]; then
  . "$SCRIPT_DIR/lib/common.sh"
  trap wl_cleanup EXIT
  wl_setup
  wl_start_servers
  python3 -c 'import sys; sys.stdout.write("".join("slow line %06d of the wirelens download\n" % i for i in range(4000)))' \
    > "$WL_WORK/www/slow.txt"

  # conversation NAME HOST CLOSE ROUNDS INTERVAL [CAPTURE_DELAY]: one tcp_peers.py conversation captured into NAME;
  # with CAPTURE_DELAY the capture starts that many seconds after the client connected.
  conversation() {
    local name="$1" host="$2" close="$3" rounds="$4" interval="$5" delay="${6:-}"
    in_b python3 "$P" server "$PORT" "$close" "$rounds" >"$WL_WORK/peer.log" 2>&1 &
    local spid=$!
    WL_PIDS+=($spid)
    for _ in $(seq 1 50); do grep -q listening "$WL_WORK/peer.log" 2>/dev/null && break; sleep 0.1; done
    if [ -z "$delay" ]; then
      wl_capture_start "$WL_NS_A" "$WL_WORK/$name" -i wla0 tcp
      in_a python3 "$P" client "$host" "$PORT" "$close" "$rounds" "$interval"
    else
      in_a python3 "$P" client "$host" "$PORT" "$close" "$rounds" "$interval" &
      local cpid=$!
      sleep "$delay"
      wl_capture_start "$WL_NS_A" "$WL_WORK/$name" -i wla0 tcp
      wait "$cpid"
    fi
    wait "$spid"
    wl_capture_stop
    cp "$WL_WORK/$name" "$OUT/$name"
    chmod 644 "$OUT/$name"
    log "$name: $(capinfos -c -M "$OUT/$name" | awk -F': *' '/Number of packets/{print $2}') packets"
  }

  wl_flush_neighbours
  want tcp-client-fin-v4.pcap && conversation tcp-client-fin-v4.pcap "$WL_V4_B" client-fin 3 0.05
  want tcp-server-fin-v6.pcap && conversation tcp-server-fin-v6.pcap "$WL_V6_B" server-fin 3 0.05
  want tcp-client-rst-v4.pcap && conversation tcp-client-rst-v4.pcap "$WL_V4_B" client-rst 2 0.05
  want tcp-server-rst-v6.pcap && conversation tcp-server-rst-v6.pcap "$WL_V6_B" server-rst 2 0.05
  want tcp-chat-v6.pcap && conversation tcp-chat-v6.pcap "$WL_V6_B" client-fin 25 0.2
  want tcp-midconn-v4.pcap && conversation tcp-midconn-v4.pcap "$WL_V4_B" server-fin 20 0.2 1

  if want tcp-flow-control-v4.pcap; then
    in_b python3 "$P" bulk-server "$PORT" 60000 >"$WL_WORK/peer.log" 2>&1 &
    spid=$!
    WL_PIDS+=($spid)
    for _ in $(seq 1 50); do grep -q listening "$WL_WORK/peer.log" 2>/dev/null && break; sleep 0.1; done
    wl_capture_start "$WL_NS_A" "$WL_WORK/tcp-flow-control-v4.pcap" -i wla0 tcp
    in_a python3 "$P" slow-client "$WL_V4_B" "$PORT" 2048 500 0.025
    wait "$spid"
    wl_capture_stop
    cp "$WL_WORK/tcp-flow-control-v4.pcap" "$OUT/"
    chmod 644 "$OUT/tcp-flow-control-v4.pcap"
  fi

  if want tcp-slow-download-v4.pcap; then
    wl_capture_start "$WL_NS_A" "$WL_WORK/tcp-slow-download-v4.pcap" -i wla0 tcp
    in_a curl -sS -o /dev/null --max-time 30 --limit-rate 40k "http://$WL_V4_B:$WL_HTTP_PORT/slow.txt"
    wl_capture_stop
    cp "$WL_WORK/tcp-slow-download-v4.pcap" "$OUT/"
    chmod 644 "$OUT/tcp-slow-download-v4.pcap"
  fi

  if want tcp-lossy-download-v4.pcap; then
    # wl-a:wla3 <-> wl-t:la3 [lossy_relay.py: 5% of frames dropped each way] wl-t:lb3 <-> wl-b:wlb3
    ip link add wla3 netns "$WL_NS_A" type veth peer name la3 netns "$WL_NS_T"
    ip link add wlb3 netns "$WL_NS_B" type veth peer name lb3 netns "$WL_NS_T"
    in_a ip link set wla3 address 02:00:5e:00:03:01
    in_b ip link set wlb3 address 02:00:5e:00:03:02
    in_a ip addr add "$LOSSY_V4_A/24" dev wla3
    in_b ip addr add "$LOSSY_V4_B/24" dev wlb3
    # No segmentation or checksum offload: the relay must see (and the capture show) single MTU-sized packets with
    # finished checksums.
    in_a ethtool -K wla3 tx off tso off gso off gro off >/dev/null 2>&1 || true
    in_b ethtool -K wlb3 tx off tso off gso off gro off >/dev/null 2>&1 || true
    for i in la3 lb3; do
      ip netns exec "$WL_NS_T" ethtool -K "$i" tx off tso off gso off gro off >/dev/null 2>&1 || true
      ip netns exec "$WL_NS_T" ip link set "$i" up
    done
    in_a ip link set wla3 up
    in_b ip link set wlb3 up
    # The neighbours are fixed, so lost ARP frames cannot delay the transfer.
    in_a ip neigh replace "$LOSSY_V4_B" lladdr 02:00:5e:00:03:02 dev wla3 nud permanent
    in_b ip neigh replace "$LOSSY_V4_A" lladdr 02:00:5e:00:03:01 dev wlb3 nud permanent
    ip netns exec "$WL_NS_T" python3 "$SCRIPT_DIR/lib/lossy_relay.py" 0.05 20261128 la3 lb3 >"$WL_WORK/lossy.log" 2>&1 &
    lpid=$!
    WL_PIDS+=($lpid)
    python3 -c 'import hashlib, sys
out = sys.stdout.buffer
block = b""
for i in range(3 * 1024 * 1024 // 32):
    block = hashlib.sha256(block + i.to_bytes(4, "big")).digest()
    out.write(block)' > "$WL_WORK/www/lossy.bin"
    sleep 0.5
    wl_capture_start "$WL_NS_A" "$WL_WORK/tcp-lossy-download-v4.pcap" -i wla3 tcp
    in_a curl -sS -o "$WL_WORK/lossy.got" --max-time 120 "http://$LOSSY_V4_B:$WL_HTTP_PORT/lossy.bin"
    wl_capture_stop
    kill "$lpid" 2>/dev/null || true
    wait "$lpid" 2>/dev/null || true
    cat "$WL_WORK/lossy.log" >&2
    cmp "$WL_WORK/www/lossy.bin" "$WL_WORK/lossy.got"
    cp "$WL_WORK/tcp-lossy-download-v4.pcap" "$OUT/"
    chmod 644 "$OUT/tcp-lossy-download-v4.pcap"
  fi
fi

cd "$OUT"
editcap tcp-slow-download-v4.pcap tcp-midconn-server-first-v4.pcap 1-7
chmod 644 tcp-midconn-server-first-v4.pcap
captures=("${CAPTURES[@]}")

# ---------------------------------------------------------------- tcp-flows.tsv (as record-flows-expectations.sh)
{
  printf 'file\tstream\tnode0\tnode1\tnode0_len\tnode0_sha256\tnode0_gaps\tnode1_len\tnode1_sha256\tnode1_gaps\tcompleteness\tfirst_epoch\tlast_epoch\n'
  for cap in "${captures[@]}"; do
    n=$({ tshark -r "$cap" -T fields -e tcp.stream 2>/dev/null || true; } | grep . | sort -n | uniq | wc -l || true)
    completeness=$({ tshark -2 -r "$cap" -T fields -e tcp.stream -e tcp.completeness 2>/dev/null || true; } \
      | awk -F'\t' '$1 != "" { c[$1] = $2 } END { for (k in c) print k ":" c[k] }' | tr '\n' ' ')
    times=$({ tshark -r "$cap" -T fields -e tcp.stream -e frame.time_epoch 2>/dev/null || true; } \
      | awk -F'\t' '$1 != "" { if (!($1 in f)) f[$1] = $2; l[$1] = $2 } END { for (k in f) print k ":" f[k] ":" l[k] }' \
      | tr '\n' ' ')
    for ((i = 0; i < n; i++)); do
      { tshark -r "$cap" -q -z "follow,tcp,raw,$i" 2>/dev/null || true; } | python3 -c '
import hashlib, re, sys
name, idx = sys.argv[1], sys.argv[2]
nodes, data, gaps = [], [bytearray(), bytearray()], [[], []]
for line in sys.stdin.read().split("\n"):
    m = re.match(r"Node ([01]): (.*)$", line)
    if m:
        nodes.append(m.group(2)); continue
    if not line.strip() or line.startswith("=") or line.startswith("Follow:") or line.startswith("Filter:"):
        continue
    node = 1 if line.startswith("\t") else 0
    chunk = bytes.fromhex(line.strip())
    g = re.fullmatch(rb"\[(\d+) bytes missing in capture file\]\x00", chunk)
    if g:
        gaps[node].append("%d+%s" % (len(data[node]) + sum(int(x.split("+")[1]) for x in gaps[node]), g.group(1).decode()))
    else:
        data[node] += chunk
cols = [name, idx, nodes[0], nodes[1]]
for k in (0, 1):
    cols += [str(len(data[k])), hashlib.sha256(bytes(data[k])).hexdigest(), ";".join(gaps[k])]
cols.append(dict(x.split(":") for x in sys.argv[3].split())[idx])
t = dict((x.split(":")[0], x.split(":")[1:]) for x in sys.argv[4].split())[idx]
cols += t
print("\t".join(cols))
' "$(basename "$cap")" "$i" "$completeness" "$times"
    done
  done
} > tcp-flows.tsv
tshark --version | head -1 > tcp-flows.tsv.version

# ---------------------------------------------------------------- tcp-audit.tsv (as record-audit-expectations.sh)
# Prints "stream<TAB>src<TAB>dst<TAB>epoch<TAB>completeness" per TCP packet matching filter $2 of capture $1.
packets() {
  { tshark -2 -r "$1" ${2:+-Y "$2"} -T fields -E separator=/t -e tcp.stream -e ip.src -e ipv6.src -e tcp.srcport \
      -e ip.dst -e ipv6.dst -e tcp.dstport -e frame.time_epoch -e tcp.completeness 2>/dev/null || true; } \
    | awk -F'\t' '$1 != "" {
        # the innermost address when tunnelled: the last of a comma-separated list
        n = split($2, a, ","); s4 = a[n]; n = split($3, a, ","); s6 = a[n]
        n = split($5, a, ","); d4 = a[n]; n = split($6, a, ","); d6 = a[n]
        src = (s6 != "" ? "[" s6 "]" : s4) ":" $4; dst = (d6 != "" ? "[" d6 "]" : d4) ":" $7
        print $1 "\t" src "\t" dst "\t" $8 "\t" $9 }'
}

header() {
  printf 'file\tstream\tsrc\tdst\tfirst_epoch\tlast_epoch\tcompleteness\tpackets\tretransmissions\tout_of_order\tzero_windows\tduplicate_acks\n'
}

# Prints the rows of capture $1, named $2 in the file column.
record() {
    cap="$1"
    name="$2"
    tmp="$(mktemp -d)"
    packets "$cap" "" > "$tmp/all"
    packets "$cap" tcp.analysis.retransmission > "$tmp/retransmissions"
    packets "$cap" tcp.analysis.out_of_order > "$tmp/out_of_order"
    packets "$cap" tcp.analysis.zero_window > "$tmp/zero_windows"
    packets "$cap" tcp.analysis.duplicate_ack > "$tmp/duplicate_acks"
    awk -F'\t' -v name="$name" -v tmp="$tmp" '
      FILENAME != tmp "/all" { split(FILENAME, p, "/"); cnt[p[length(p)] SUBSEP $1 SUBSEP $2]++; next }
      {
        if (!($1 in first)) { first[$1] = $4; order[++streams] = $1 }
        last[$1] = $4; comp[$1] = $5
        k = $1 SUBSEP $2
        if (!(k in pk)) { senders[$1] = senders[$1] "\n" $2; dst[k] = $3 }
        pk[k]++
      }
      END {
        for (i = 1; i <= streams; i++) {
          s = order[i]; n = split(substr(senders[s], 2), list, "\n")
          for (j = 1; j <= n; j++) {
            k = s SUBSEP list[j]
            printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\n", name, s, list[j], dst[k], first[s], last[s],
              comp[s], pk[k], cnt["retransmissions" SUBSEP k], cnt["out_of_order" SUBSEP k],
              cnt["zero_windows" SUBSEP k], cnt["duplicate_acks" SUBSEP k]
          }
        }
      }' "$tmp/retransmissions" "$tmp/out_of_order" "$tmp/zero_windows" "$tmp/duplicate_acks" "$tmp/all"
    rm -r "$tmp"
}

{
  header
  for cap in "${captures[@]}"; do
    record "$cap" "$cap"
  done
} > tcp-audit.tsv

# ---------------------------------------------------------------- tcp-close.tsv
{
  printf 'file\tstream\tfirst_fin_src\tfirst_rst_src\n'
  for cap in "${captures[@]}"; do
    packets "$cap" "" | cut -f1 | uniq > /tmp/wl-tcp-streams.$$
    packets "$cap" tcp.flags.fin==1 > /tmp/wl-tcp-fin.$$
    packets "$cap" tcp.flags.reset==1 > /tmp/wl-tcp-rst.$$
    while read -r s; do
      fin=$(awk -F'\t' -v s="$s" '$1 == s { print $2; exit }' /tmp/wl-tcp-fin.$$)
      rst=$(awk -F'\t' -v s="$s" '$1 == s { print $2; exit }' /tmp/wl-tcp-rst.$$)
      printf '%s\t%s\t%s\t%s\n' "$cap" "$s" "$fin" "$rst"
    done < /tmp/wl-tcp-streams.$$
    rm -f /tmp/wl-tcp-streams.$$ /tmp/wl-tcp-fin.$$ /tmp/wl-tcp-rst.$$
  done
} > tcp-close.tsv
echo "wrote tcp-flows.tsv ($(($(wc -l < tcp-flows.tsv) - 1)) rows), tcp-audit.tsv ($(($(wc -l < tcp-audit.tsv) - 1)) rows), tcp-close.tsv"
