#!/usr/bin/env bash
# Which record content types tshark frames as TLS records over TCP after a TLS 1.2 handshake, the oracle of
# TlsDetector.canStartRecord's content-type range (TlsDetectorTest). For each type, make-capture.py writes a pcap:
# TCP handshake, ClientHello, ServerHello (TLS 1.2), then one client record of that type (version 0x0303, 40 bytes)
# split over two segments (frames 6 and 7). tshark reassembles it ("[TCP segment of a reassembled PDU]" in frame 6)
# when it takes the type for a TLS record; otherwise frame 6 says "Ignored Unknown Record".
# Output: tls/src/test/resources/expected/tshark-content-type-framing.tsv
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../tls/src/test/resources/expected/tshark-content-type-framing.tsv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  echo "# $(tshark -v 2>/dev/null | head -1 | cut -d' ' -f1-3); written by scripts/tls-content-type-framing/record.sh"
  echo "# per type: python3 make-capture.py TYPE t.pcap; tshark -n -r t.pcap -Y frame.number==6 -T fields -e _ws.col.Info"
  printf 'content_type\tframe6_info\n'
  for t in $(seq 0 40) 71 72 128 255; do
    python3 "$here/make-capture.py" "$t" "$tmp/t.pcap"
    printf '%s\t%s\n' "$t" "$(tshark -n -r "$tmp/t.pcap" -Y 'frame.number==6' -T fields -e _ws.col.Info 2>/dev/null)"
  done
} > "$out"
