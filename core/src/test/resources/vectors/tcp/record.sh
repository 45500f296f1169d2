#!/usr/bin/env bash
# Records tshark's view of every TCP stream of the given captures into a TSV that TcpReassemblyCorpusTest reads.
# Usage: record.sh OUT.tsv CAPTURE...   (needs tshark 4.x and python3; CI never runs this)
# For each capture and each tcp.stream index: the two endpoints as tshark's follow names them (node 0 sent the
# stream's first packet), then per node the stream bytes of `tshark -q -z follow,tcp,raw,N` (gaps excluded) as length
# and SHA-256, and the gaps tshark marks ("[N bytes missing in capture file]") as "offset+length" items, ';'-joined;
# last, tshark's tcp.completeness of the stream after two passes (1 SYN, 2 SYN-ACK, 4 ACK, 8 data, 16 FIN, 32 RST).
set -euo pipefail
out=$1; shift
{
  printf 'file\tstream\tnode0\tnode1\tnode0_len\tnode0_sha256\tnode0_gaps\tnode1_len\tnode1_sha256\tnode1_gaps\tcompleteness\n'
  for cap in "$@"; do
    n=$(tshark -r "$cap" -T fields -e tcp.stream 2>/dev/null | sort -n | uniq | grep -c . || true)
    completeness=$(tshark -2 -r "$cap" -T fields -e tcp.stream -e tcp.completeness 2>/dev/null \
      | awk '$1 != "" { c[$1] = $2 } END { for (k in c) print k ":" c[k] }' | tr '\n' ' ')
    for ((i = 0; i < n; i++)); do
      tshark -r "$cap" -q -z "follow,tcp,raw,$i" 2>/dev/null | python3 -c '
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
print("\t".join(cols))
' "$(basename "$cap")" "$i" "$completeness"
    done
  done
} > "$out"
