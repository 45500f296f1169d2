#!/bin/sh
# Records openssl's view of one DER certificate next to it (<name>.txt): the oracle of CertificateSummaryTest.
# Usage: scripts/tls-x509/record-openssl.sh path/to/cert.der
set -eu
der=$1
txt=${der%.der}.txt
{
  echo "# openssl x509 -inform DER -in $(basename "$der") -noout -nameopt RFC2253,-esc_msb -subject -issuer -dates -ext subjectAltName -fingerprint -sha256"
  echo "# and: openssl x509 -inform DER -noout -text | grep -E 'Signature Algorithm|Public Key Algorithm|Public-Key|NIST CURVE|ASN1 OID' ($(openssl version))"
  openssl x509 -inform DER -in "$der" -noout -nameopt RFC2253,-esc_msb -subject -issuer -dates -ext subjectAltName 2>&1 \
    -fingerprint -sha256 2>&1
  openssl x509 -inform DER -in "$der" -noout -text | grep -E 'Signature Algorithm|Public Key Algorithm|Public-Key|NIST CURVE|ASN1 OID' \
    | sed 's/^ *//' | sort -u
} > "$txt"
