#!/usr/bin/env bash
# Records tshark's reassembled TCP streams of the recorded captures into
# examples/src/test/resources/captures/flows.tsv, which FlowsCommandMatchesTsharkTest compares `wirelens flows`
# against. Usage: scripts/record-flows-expectations.sh   (needs tshark 4.x and python3; CI never runs this)
#
# It also makes truncated.pcapng: ethernet.pcapng cut in the middle of its 34th packet (inside the IPv6 HTTP
# connection, after the IPv4 one closed), the "capture that ends mid-block" case; and lost.pcapng: ethernet.pcapng
# without its packets 21 (the server's 185-byte HTTP response header of the IPv4 connection, which the client
# acknowledges) and 31 (the client's 82-byte request of the IPv6 connection), the "packets lost to the capture" case.
#
# For each capture and each tcp.stream index N (tshark numbers streams in order of first packet):
#   node0, node1      the endpoints as `tshark -q -z follow,tcp,raw,N` names them (node 0 sent the first packet)
#   nodeK_len/sha256  length and SHA-256 of the bytes node K sent: every data line of that output except tshark's
#                     "[n bytes missing in capture file]" markers (gaps excluded)
#   nodeK_gaps        the gaps tshark marks, as "streamOffset+length" items joined by ';' (offset counts the bytes
#                     and gaps before the gap)
#   completeness      tcp.completeness of the stream after two passes (tshark -2): 1 SYN, 2 SYN-ACK, 4 ACK,
#                     8 data, 16 FIN, 32 RST
#   first_epoch, last_epoch   frame.time_epoch of the stream's first and last packet
# (tshark exits non-zero on truncated.pcapng after printing what it read; that output is what is recorded.)
# Command per stream: tshark -r CAPTURE -q -z follow,tcp,raw,N
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/examples/src/test/resources/captures"
sample="$(cd "$dir/../../../main/resources/captures" && pwd)/http.pcap"
cd "$dir"

# Cut ethernet.pcapng 40 bytes into the block of its 34th packet (enhanced packet block, type 6).
cut=$(python3 - <<'PY'
import struct
data = open("ethernet.pcapng", "rb").read()
off, packets = 0, 0
while off < len(data):
    btype, blen = struct.unpack_from("<II", data, off)
    if btype == 6:
        packets += 1
        if packets == 34:
            print(off + 40); break
    off += blen
PY
)
head -c "$cut" ethernet.pcapng > truncated.pcapng
editcap ethernet.pcapng lost.pcapng 21 31

captures=(ethernet.pcapng midstream.pcapng loopback.pcap sll.pcap sll2.pcap vlan.pcap qinq.pcap ipv6-ext.pcap
  ipv4-fragments.pcap snaplen.pcap truncated.pcapng lost.pcapng "$sample")
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
} > flows.tsv
tshark --version | head -1 > flows.tsv.version
