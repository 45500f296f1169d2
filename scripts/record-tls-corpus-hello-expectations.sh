#!/usr/bin/env bash
# Records tshark's ClientHello/ServerHello fields for the TLS captures of the shared corpus into
# tls/src/test/resources/expected/tls-corpus-hellos.tsv, the oracle of TlsCorpusHelloTest (tagged "corpus"). Same file
# selection as record-tls-corpus-expectations.sh. Needs tshark (4.0.17 was used). Command per file:
#   tshark -r FILE -Y "tls.handshake.type==1 || tls.handshake.type==2" -T fields -E occurrence=a -E aggregator=, \
#     -e frame.number -e tcp.stream -e tcp.srcport -e tls.handshake.type -e tls.handshake.version \
#     -e tls.handshake.ciphersuite -e tls.handshake.extension.type -e tls.handshake.extensions_server_name \
#     -e tls.handshake.extensions_alpn_str -e tls.handshake.extensions.supported_version \
#     -e tls.handshake.extensions_supported_group -e tls.handshake.extensions_key_share_group
set -euo pipefail
corpus=${CORPUS:-/work/shared/corpus}
out=tls/src/test/resources/expected/tls-corpus-hellos.tsv
fields="-e frame.number -e tcp.stream -e tcp.srcport -e tls.handshake.type -e tls.handshake.version -e tls.handshake.ciphersuite -e tls.handshake.extension.type -e tls.handshake.extensions_server_name -e tls.handshake.extensions_alpn_str -e tls.handshake.extensions.supported_version -e tls.handshake.extensions_supported_group -e tls.handshake.extensions_key_share_group"
mkdir -p "$(dirname "$out")"
{
  echo "# tshark $(tshark --version | head -1 | awk '{print $3}'): tshark -r FILE -Y \"tls.handshake.type==1 || tls.handshake.type==2\" -T fields -E occurrence=a -E aggregator=, $fields"
  echo "# file	frame	tcp.stream	tcp.srcport	handshake types	versions	cipher suites	extension types	server names	alpn	supported versions	supported groups	key share groups"
  (cd "$corpus" && find . \( -ipath '*tls*' -o -ipath '*ssl*' -o -ipath '*snet*' -o -ipath '*illustrated*' \) \
      \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.pcap.gz' -o -name '*.cap' \) | sed 's|^\./||' | sort) |
  while read -r f; do
    # shellcheck disable=SC2086
    nice tshark -r "$corpus/$f" -Y "tls.handshake.type==1 || tls.handshake.type==2" -T fields -E occurrence=a \
      -E aggregator=, $fields 2>/dev/null | awk -v f="$f" '{ print f "\t" $0 }' || true
  done
} > "$out"
echo "wrote $out ($(wc -l < "$out") lines)"
