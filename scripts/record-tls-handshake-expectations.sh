#!/usr/bin/env bash
# Records tshark's view of every handshake message of the illustrated-tls12/13 captures (MIT, copied into
# tls/src/test/resources/vectors/tls/) into tls/src/test/resources/expected/illustrated-handshakes.tsv, the oracle
# of IllustratedHandshakeTest. Run from the repository root; needs tshark (4.0.17 was used) and python3.
# Command per capture:
#   tshark -r capture.pcap -o tls.keylog_file:keylog.txt -Y tls.handshake -T json --no-duplicate-keys \
#     | python3 scripts/tshark-handshake-fields.py NAME
set -euo pipefail
corpus=${CORPUS:-/work/shared/corpus}
out=tls/src/test/resources/expected/illustrated-handshakes.tsv
mkdir -p "$(dirname "$out")"
{
  echo "# tshark $(tshark --version | head -1 | awk '{print $3}'): tshark -r capture.pcap -o tls.keylog_file:keylog.txt -Y tls.handshake -T json --no-duplicate-keys | python3 scripts/tshark-handshake-fields.py NAME"
  echo "# capture	frame	message index	field	values (joined by ,)"
  for v in 12 13; do
    dir="$corpus/illustrated-tls$v/captures"
    tshark -r "$dir/capture.pcap" -o "tls.keylog_file:$dir/keylog.txt" -Y tls.handshake -T json --no-duplicate-keys 2>/dev/null \
      | python3 scripts/tshark-handshake-fields.py "tls$v"
  done
} > "$out"
echo "wrote $out ($(wc -l < "$out") lines)"
