#!/usr/bin/env bash
# How tshark frames an SSLv2-compatible ClientHello with the 2-byte record header and with the 3-byte one (with
# padding 0, 5 and 255), the oracle of Sslv2HeaderTest: for each header, make-capture.py writes a pcap (TCP
# handshake, the CLIENT-HELLO in frame 4, a TLS ServerHello in frame 5) and tshark says what frame 4 is and gives
# both payloads, which the test feeds to the TLS dissector.
# Output: tls/src/test/resources/expected/tshark-sslv2-headers.tsv
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../tls/src/test/resources/expected/tshark-sslv2-headers.tsv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  echo "# $(tshark -v 2>/dev/null | head -1 | cut -d' ' -f1-3); written by scripts/tls-sslv2-header/record.sh"
  echo "# per header: python3 make-capture.py HEADER t.pcap; tshark -n -r t.pcap -Y 'frame.number==N' -T fields" \
    "-e _ws.col.Protocol -e _ws.col.Info -e tcp.payload (N = 4, then 5 for the server payload)"
  printf 'header\tframe4_protocol\tframe4_info\tclient_payload\tserver_payload\n'
  for h in 2 3:0 3:5 3:255; do
    python3 "$here/make-capture.py" "$h" "$tmp/t.pcap"
    f4=$(tshark -n -r "$tmp/t.pcap" -Y 'frame.number==4' -T fields -e _ws.col.Protocol -e _ws.col.Info \
      -e tcp.payload 2>/dev/null)
    f5=$(tshark -n -r "$tmp/t.pcap" -Y 'frame.number==5' -T fields -e tcp.payload 2>/dev/null)
    printf '%s\t%s\t%s\n' "$h" "$f4" "$f5"
  done
} > "$out"
