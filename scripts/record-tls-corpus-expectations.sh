#!/usr/bin/env bash
# Records tshark's TLS records per frame for the TLS captures of the shared corpus into
# tls/src/test/resources/expected/tls-corpus-records.tsv, the oracle of TlsCorpusSweepTest (tagged "corpus"; CI reads
# the tsv, the captures are read in place). Run from the repository root; needs tshark (4.0.17 was used).
# Files: every *.pcap, *.pcapng, *.pcap.gz, *.cap under the corpus whose path contains tls, ssl, snet or illustrated.
# Command per file (one line per frame that has a TLS layer):
#   tshark -r FILE -Y tls -T fields -E occurrence=a -E aggregator=, \
#     -e frame.number -e tcp.stream -e tcp.srcport -e tls.record.content_type -e tls.handshake.type -e tls.record.length -e tls.record.opaque_type
set -euo pipefail
corpus=${CORPUS:-/work/shared/corpus}
out=tls/src/test/resources/expected/tls-corpus-records.tsv
mkdir -p "$(dirname "$out")"
{
  echo "# tshark $(tshark --version | head -1 | awk '{print $3}'): tshark -r FILE -Y tls -T fields -E occurrence=a -E aggregator=, -e frame.number -e tcp.stream -e tcp.srcport -e tls.record.content_type -e tls.handshake.type -e tls.record.length -e tls.record.opaque_type"
  echo "# file (relative to the corpus)	frame	tcp.stream	tcp.srcport	content types	handshake types	record lengths	opaque types (TLS 1.3 protected records)"
  (cd "$corpus" && find . \( -ipath '*tls*' -o -ipath '*ssl*' -o -ipath '*snet*' -o -ipath '*illustrated*' \) \
      \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.pcap.gz' -o -name '*.cap' \) | sed 's|^\./||' | sort) |
  while read -r f; do
    nice tshark -r "$corpus/$f" -Y tls -T fields -E occurrence=a -E aggregator=, \
      -e frame.number -e tcp.stream -e tcp.srcport -e tls.record.content_type -e tls.handshake.type -e tls.record.length -e tls.record.opaque_type \
      2>/dev/null | awk -v f="$f" -F'\t' '$6 != "" { print f "\t" $0 }' || true
  done
} > "$out"
echo "wrote $out ($(wc -l < "$out") lines)"
