#!/bin/sh
# Records tshark's reassembled IP datagrams as the oracle for IpDefragmenterCaptureTest:
# one line per reassembled datagram: frame number that completed it, IP version, reassembled length (tshark
# ip.reassembled.length / ipv6.reassembled.length: the payload after the IPv4 header / the fragmentable part after
# the IPv6 fragment header), SHA-256 of those reassembled bytes. Run from this folder with tshark 4.0 installed.
set -e
for f in ipv4-fragments.pcap ipv6-ext.pcap IpV6ExtFragmentPacketTest.pcap; do
  tshark -r "$f" -Y 'ip.reassembled.length || ipv6.reassembled.length' -T fields -E separator=/t \
      -e frame.number -e ip.reassembled.length -e ipv6.reassembled.length -e ip.reassembled.data \
      -e ipv6.reassembled.data 2>/dev/null |
  python3 -c '
import hashlib, sys
for line in sys.stdin:
    frame, len4, len6, data4, data6 = line.rstrip("\n").split("\t")
    v, length, data = ("4", len4, data4) if len4 else ("6", len6, data6)
    print(frame, v, length, hashlib.sha256(bytes.fromhex(data)).hexdigest(), sep="\t")
' > "$f.reassembled.tsv"
done
