#!/usr/bin/env bash
# Records what tshark says of every TCP connection of the recorded captures into
# examples/src/test/resources/captures/audit.tsv, which AuditCommandMatchesTsharkTest compares `wirelens audit
# --json` against. Usage: scripts/record-audit-expectations.sh   (needs tshark 4.x; CI never runs this; run
# scripts/record-flows-expectations.sh first, it makes lost.pcapng)
#
# One row per capture, tcp.stream N (tshark numbers streams in order of first packet, as the audit's id) and
# sending endpoint (src, "ip:port", IPv6 in brackets) that sent at least one packet of the stream:
#   dst              the other endpoint
#   first_epoch, last_epoch   frame.time_epoch of the stream's first and last packet (both directions)
#   completeness     tcp.completeness of the stream after two passes (tshark -2): 1 SYN, 2 SYN-ACK, 4 ACK,
#                    8 data, 16 FIN, 32 RST
#   packets          TCP segments src sent in the stream
#   retransmissions, out_of_order, zero_windows, duplicate_acks
#                    segments src sent that match tshark -2 -Y tcp.analysis.retransmission, ...out_of_order,
#                    ...zero_window, ...duplicate_ack
# audit-corpus.tsv: the same for a few ../shared/corpus captures (listed below).
# Commands: tshark -2 -r CAPTURE [-Y FILTER] -T fields -e tcp.stream -e ip.src -e ipv6.src -e tcp.srcport ...
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/examples/src/test/resources/captures"
sample="$(cd "$dir/../../../main/resources/captures" && pwd)/http.pcap"
cd "$dir"
captures=(ethernet.pcapng midstream.pcapng loopback.pcap sll.pcap sll2.pcap vlan.pcap qinq.pcap ipv6-ext.pcap
  ipv4-fragments.pcap snaplen.pcap multi-interface.pcapng lost.pcapng "$sample")

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
    record "$cap" "$(basename "$cap")"
  done
} > audit.tsv
# Corpus captures with retransmissions, duplicate ACKs, out-of-order segments and port reuse (read from the corpus
# by the tests, tag corpus; only tshark's numbers are stored here), named by their path inside the corpus.
corpus="$(cd "$dir/../../../../.." && pwd)/../shared/corpus"
corpus_captures=(zeek/tcp/ssh-dups.pcap zeek/tcp/reassembly.pcap zeek/tcp/retransmit-fast009.pcap
  pkts/tcp-streams/ports_reused.pcap pkts/tcp-streams/base_usage_3_streams.pcap arkime/tcp-reassembly-synthetic.pcap
  gopacket/le/test301.pcapng)
{
  header
  for cap in "${corpus_captures[@]}"; do
    record "$corpus/$cap" "$cap"
  done
} > audit-corpus.tsv
tshark --version | head -1 > audit.tsv.version
echo "wrote $dir/audit.tsv ($(($(wc -l < audit.tsv) - 1)) rows), audit-corpus.tsv ($(($(wc -l < audit-corpus.tsv) - 1)) rows)"
