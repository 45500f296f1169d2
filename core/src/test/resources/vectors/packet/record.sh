#!/usr/bin/env bash
# Records tshark's per-frame fields for captures into a TSV that PacketDissectorTsharkTest reads.
# Usage: record.sh OUT.tsv CAPTURE...   (needs tshark 4.x and python3; CI never runs this)
# Columns: file, frame number, link type, captured bytes as hex (read from the pcap by the python below, not by
# Wirelens), then the tshark fields listed in FIELDS (multiple occurrences joined by ',').
set -euo pipefail
out=$1; shift
FIELDS=(frame.len frame.cap_len eth.src eth.dst eth.type eth.len llc.pid vlan.id vlan.priority vlan.dei vlan.etype
  sll.pkttype sll.etype sll.ifindex null.family
  ip.hdr_len ip.dsfield ip.len ip.id ip.flags.df ip.flags.mf ip.frag_offset ip.ttl ip.proto ip.checksum ip.checksum.status ip.src ip.dst
  ipv6.tclass ipv6.flow ipv6.plen ipv6.nxt ipv6.hlim ipv6.src ipv6.dst ipv6.fraghdr.offset ipv6.fraghdr.more ipv6.fraghdr.ident
  tcp.srcport tcp.dstport tcp.seq_raw tcp.ack_raw tcp.hdr_len tcp.flags tcp.window_size_value tcp.checksum tcp.checksum.status tcp.urgent_pointer tcp.len
  tcp.option_kind tcp.options.mss_val tcp.options.wscale.shift tcp.options.sack_le tcp.options.sack_re tcp.options.timestamp.tsval tcp.options.timestamp.tsecr
  udp.srcport udp.dstport udp.length udp.checksum.status icmp.type icmp.code icmpv6.type icmpv6.code)
args=()
for f in "${FIELDS[@]}"; do args+=(-e "$f"); done
{
  printf 'file\tframe\tlinktype\thex'; printf '\t%s' "${FIELDS[@]}"; printf '\n'
  for cap in "$@"; do
    tmp=$(mktemp --suffix=.pcap)
    editcap -F pcap "$cap" "$tmp" 2>/dev/null
    python3 - "$tmp" "$(basename "$cap")" > "$tmp.hex" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
magic = data[:4]
e = '<' if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
linktype = struct.unpack(e + 'I', data[20:24])[0] & 0x0fffffff
pos, n = 24, 0
while pos + 16 <= len(data):
    _, _, incl, _ = struct.unpack(e + 'IIII', data[pos:pos + 16])
    n += 1
    print(f"{sys.argv[2]}\t{n}\t{linktype}\t{data[pos + 16:pos + 16 + incl].hex()}")
    pos += 16 + incl
PY
    tshark -n -r "$tmp" -o ip.defragment:FALSE -o ipv6.defragment:FALSE -o tcp.relative_sequence_numbers:FALSE \
      -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE -o ip.check_checksum:TRUE \
      -T fields -E separator=/t -E occurrence=a -E aggregator=, "${args[@]}" 2>/dev/null > "$tmp.fields"
    paste "$tmp.hex" "$tmp.fields"
    rm -f "$tmp" "$tmp.hex" "$tmp.fields"
  done
} > "$out"
