#!/bin/sh
# Regenerates the test certificates in tls/src/test/resources/x509/ and the openssl output recorded beside each
# (<name>.txt), which CertificateSummaryTest reads as its oracle. Run from the repository root; needs openssl 3.
# Keys are fresh on every run, so the DER files and their recorded outputs change together; dates are fixed.
set -eu
out=tls/src/test/resources/x509
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

cat > "$work/ca.cnf" <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = copy
[ any ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = optional
emailAddress = optional
localityName = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
CNF
: > "$work/index.txt"
echo 1000 > "$work/serial"

# sign <name> <keyfile> <subject> <san|""> <start> <end> <ca-cert|self> <ca-key> [md]
sign() {
  name=$1 key=$2 subj=$3 san=$4 start=$5 end=$6 cacert=$7 cakey=$8 md=${9:-sha256}
  ext="$work/$name.ext"
  if [ -n "$san" ]; then printf 'subjectAltName=%s\n' "$san" > "$ext"; else : > "$ext"; fi
  openssl req -new -key "$key" -subj "$subj" -utf8 -out "$work/$name.csr" -config "$work/ca.cnf" 2>/dev/null
  if [ "$cacert" = self ]; then
    openssl ca -batch -config "$work/ca.cnf" -selfsign -keyfile "$key" -in "$work/$name.csr" -out "$work/$name.pem" \
      -startdate "$start" -enddate "$end" -extfile "$ext" -md "$md" -notext -utf8 -preserveDN 2>/dev/null
  else
    openssl ca -batch -config "$work/ca.cnf" -cert "$cacert" -keyfile "$cakey" -in "$work/$name.csr" \
      -out "$work/$name.pem" -startdate "$start" -enddate "$end" -extfile "$ext" -md "$md" -notext -utf8 \
      -preserveDN 2>/dev/null
  fi
  openssl x509 -in "$work/$name.pem" -outform DER -out "$out/$name.der"
}

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/ca.key" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/rsa.key" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$work/rsa3072.key" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/p256.key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$work/p384.key"
openssl genpkey -algorithm ED25519 -out "$work/ed25519.key"

sign ca "$work/ca.key" "/C=DE/O=Wirelens Test/CN=Wirelens Test CA" "" 20250101000000Z 20350101000000Z self ""
openssl x509 -in "$out/ca.der" -inform DER -out "$work/ca.pem"
sign rsa2048 "$work/rsa.key" "/C=DE/ST=Berlin/L=Berlin/O=Wirelens Test/OU=Agents/CN=console.example.test" \
  "DNS:console.example.test,DNS:www.console.example.test" 20250601120000Z 20350601120000Z "$work/ca.pem" "$work/ca.key"
sign ecp256 "$work/p256.key" "/C=DE/O=Wirelens Test/CN=ec256.example.test" \
  "DNS:ec256.example.test" 20250601120000Z 20350601120000Z "$work/ca.pem" "$work/ca.key"
sign ecp384-self "$work/p384.key" "/C=DE/O=Wirelens Test/CN=ec384.example.test" \
  "DNS:ec384.example.test" 20250601120000Z 20350601120000Z self "" sha384
sign ed25519-self "$work/ed25519.key" "/O=Wirelens Test/CN=ed25519.example.test" \
  "DNS:ed25519.example.test" 20250601120000Z 20350601120000Z self "" null
sign wildcard "$work/rsa3072.key" "/C=DE/O=Wirelens Test/CN=*.wild.example.test" \
  "DNS:*.wild.example.test,DNS:wild.example.test" 20250601120000Z 20350601120000Z "$work/ca.pem" "$work/ca.key"
sign ip-email-uri "$work/p256.key" "/C=DE/O=Wirelens Test, Inc./OU=R\\+D/CN=agent #7/emailAddress=ops@example.test" \
  "IP:192.0.2.10,IP:2001:db8::1,email:ops@example.test,URI:https://console.example.test/agent" \
  20250601120000Z 20350601120000Z "$work/ca.pem" "$work/ca.key"
sign expired "$work/p256.key" "/C=DE/O=Wirelens Test/CN=expired.example.test" \
  "DNS:expired.example.test" 20200101000000Z 20210101000000Z "$work/ca.pem" "$work/ca.key"
sign no-san "$work/p256.key" "/C=DE/O=Wirelens Test/CN=nosan.example.test" \
  "" 20250601120000Z 20350601120000Z "$work/ca.pem" "$work/ca.key"
sign utf8-subject "$work/p256.key" "/C=DE/O=Wirelens Tëst GmbH/CN=münchen.example.test" \
  "DNS:xn--mnchen-3ya.example.test" 20250601120000Z 20350601120000Z "$work/ca.pem" "$work/ca.key"

for der in "$out"/*.der; do
  sh scripts/tls-x509/record-openssl.sh "$der"
done
