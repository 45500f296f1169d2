#!/usr/bin/env bash
# Records tshark's TCP sequence analysis of the given captures into a TSV that TcpAnalysisCorpusTest reads.
# Usage: record-analysis.sh OUT.tsv CAPTURE...   (needs tshark 4.x and python3; CI never runs this)
# Captures are named by file name, or, when NAME_ROOT is set, by their path relative to it.
# One row per capture, tcp.stream and sender ("ip:port", IPv6 in brackets, as tshark's follow names endpoints):
# how many of that sender's segments carry each tcp.analysis.* flag (one pass, tshark's default preferences), and
# the stream's tcp.analysis.initial_rtt in nanoseconds (empty when tshark shows none).
set -euo pipefail
out=$1; shift
flags="retransmission fast_retransmission spurious_retransmission out_of_order lost_segment duplicate_ack zero_window keep_alive zero_window_probe keep_alive_ack zero_window_probe_ack window_update ack_lost_segment"
{
  printf 'file\tstream\tsender'
  for f in $flags; do printf '\t%s' "$f"; done
  printf '\tinitial_rtt_ns\n'
  for cap in "$@"; do
    args=(-e tcp.stream -e ip.src -e ipv6.src -e tcp.srcport)
    for f in $flags; do args+=(-e "tcp.analysis.$f"); done
    args+=(-e tcp.analysis.initial_rtt)
    tshark -r "$cap" -Y 'tcp && !icmp && !icmpv6' -T fields -E occurrence=f "${args[@]}" 2>/dev/null | python3 -c '
import sys
from decimal import Decimal
name, nflags = sys.argv[1], int(sys.argv[2])
rows, rtt = {}, {}
for line in sys.stdin.read().split("\n"):
    if not line:
        continue
    f = line.split("\t")
    stream, v4, v6, port = f[0], f[1], f[2], f[3]
    sender = (v4 if v4 else "[" + v6 + "]") + ":" + port
    key = (int(stream), sender)
    counts = rows.setdefault(key, [0] * nflags)
    for i in range(nflags):
        if f[4 + i]:
            counts[i] += 1
    r = f[4 + nflags]
    if r and int(stream) not in rtt:
        rtt[int(stream)] = str(int(Decimal(r) * 1000000000))
for (stream, sender) in sorted(rows):
    print("\t".join([name, str(stream), sender] + [str(c) for c in rows[(stream, sender)]] + [rtt.get(stream, "")]))
' "$(if [ -n "${NAME_ROOT:-}" ]; then realpath --relative-to="$NAME_ROOT" "$cap"; else basename "$cap"; fi)" "$(echo $flags | wc -w)"
  done
} > "$out"
