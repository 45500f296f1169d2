#!/bin/sh
# Copies real certificates out of permissively licensed corpus captures into tls/src/test/resources/x509/ and
# records openssl's view of each (see record-openssl.sh). Run from the repository root; needs tshark, xxd, openssl.
# Provenance of each capture: ../shared/corpus/SOURCES.md; of each certificate: tls/src/test/resources/x509/SOURCES.md.
set -eu
corpus=${WIRELENS_CORPUS:-../shared/corpus}
out=tls/src/test/resources/x509
# extract <capture> <n-th distinct certificate, in tshark order> <name>
extract() {
  tshark -r "$corpus/$1" -Y tls.handshake.certificate -T fields -e tls.handshake.certificate 2>/dev/null \
    | tr ',' '\n' | awk 'NF && !seen[$0]++' | sed -n "$2p" | xxd -r -p > "$out/$3.der"
  sh scripts/tls-x509/record-openssl.sh "$out/$3.der"
}
extract illustrated-tls12/captures/capture.pcap 1 corpus-ulfheim-rsa
extract hotplace-tls/tls12/tls12_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256.pcapng 1 corpus-hotplace-ecdsa
extract snet-decrypt-by-keylog/decrypt_by_keylog/TLS1_2_AES128-GCM-SHA256_auth.pcap 1 corpus-snet-server
extract snet-decrypt-by-keylog/decrypt_by_keylog/TLS1_2_AES128-GCM-SHA256_auth.pcap 3 corpus-snet-client
