# Test certificates for the TLS and WebSocket recordings. Source this file; call wl_make_certs DIR.
# Makes, in DIR (PEM, keys unencrypted):
#   ca.pem / ca.key                 "Wirelens Test CA", RSA 2048, self-signed
#   console-rsa.pem / .key          CN=console.test, SAN DNS:console.test, DNS:www.console.test; RSA 2048, by the CA
#   console-ecdsa.pem / .key        CN=console.test, SAN DNS:console.test; ECDSA P-256, by the CA
#   console-expired.pem / .key      CN=console.test, SAN DNS:console.test; RSA 2048, by the CA, valid 2020-01-01 to
#                                   2021-01-01 only (expired)
#   agent-client.pem / .key         CN=agent.test, extendedKeyUsage clientAuth; ECDSA P-256, by the CA (client cert)
#   other-ca.pem / .key             "Wirelens Other CA", RSA 2048: a CA nobody's certificate is issued by
# Needs openssl (3.x).
wl_make_certs() {
  local d="$1"
  mkdir -p "$d"
  (
    cd "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -sha256 \
      -subj "/O=Wirelens/CN=Wirelens Test CA" -addext basicConstraints=critical,CA:TRUE \
      -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 3650 -sha256 \
      -subj "/O=Wirelens/CN=Wirelens Other CA" -addext basicConstraints=critical,CA:TRUE 2>/dev/null
    printf 'subjectAltName=DNS:console.test,DNS:www.console.test\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' > rsa.ext
    printf 'subjectAltName=DNS:console.test\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' > server.ext
    printf 'subjectAltName=DNS:agent.test\nextendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n' > client.ext
    openssl req -newkey rsa:2048 -nodes -keyout console-rsa.key -out console-rsa.csr -subj "/O=Wirelens/CN=console.test" 2>/dev/null
    openssl x509 -req -in console-rsa.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -sha256 \
      -extfile rsa.ext -out console-rsa.pem 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout console-ecdsa.key -out console-ecdsa.csr \
      -subj "/O=Wirelens/CN=console.test" 2>/dev/null
    openssl x509 -req -in console-ecdsa.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -sha256 \
      -extfile server.ext -out console-ecdsa.pem 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout agent-client.key -out agent-client.csr \
      -subj "/O=Wirelens/CN=agent.test" 2>/dev/null
    openssl x509 -req -in agent-client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -sha256 \
      -extfile client.ext -out agent-client.pem 2>/dev/null
    # An expired certificate: "openssl x509 -req" cannot backdate, "openssl ca" can (-startdate/-enddate).
    openssl req -newkey rsa:2048 -nodes -keyout console-expired.key -out console-expired.csr \
      -subj "/O=Wirelens/CN=console.test" 2>/dev/null
    mkdir -p ca-db && : > ca-db/index.txt && echo 1000 > ca-db/serial
    cat > ca.cnf <<CNF
[ ca ]
default_ca = wl
[ wl ]
dir = ./ca-db
database = ./ca-db/index.txt
serial = ./ca-db/serial
new_certs_dir = ./ca-db
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = srv
[ any ]
organizationName = optional
commonName = supplied
[ srv ]
subjectAltName = DNS:console.test
extendedKeyUsage = serverAuth
basicConstraints = CA:FALSE
CNF
    openssl ca -batch -notext -config ca.cnf -cert ca.pem -keyfile ca.key -startdate 20200101000000Z \
      -enddate 20210101000000Z -in console-expired.csr -out console-expired.pem 2>/dev/null
  )
}

# wl_certs SCRATCH KEPT : the certificates in SCRATCH: those kept in KEPT (certificate and key) when they are all
# there and NEW_CERTS is not 1, else new ones, which are then kept in KEPT. The keys are kept so that ONLY= can
# record single captures again with the certificates the other captures carry. They are test keys, published
# on purpose; nothing trusts them.
WL_CERT_NAMES=(ca other-ca console-rsa console-ecdsa console-expired agent-client)
wl_certs() {
  local s="$1" k="$2" f have=1
  for f in "${WL_CERT_NAMES[@]}"; do [ -f "$k/$f.pem" ] && [ -f "$k/$f.key" ] || have=0; done
  mkdir -p "$s" "$k"
  if [ "$have" = 1 ] && [ "${NEW_CERTS:-0}" != 1 ]; then
    for f in "${WL_CERT_NAMES[@]}"; do cp "$k/$f.pem" "$k/$f.key" "$s/"; done
    log "certificates: the kept ones in $k"
  else
    wl_make_certs "$s"
    for f in "${WL_CERT_NAMES[@]}"; do cp "$s/$f.pem" "$s/$f.key" "$k/"; chmod 644 "$k/$f.pem" "$k/$f.key"; done
    log "certificates: new ones, kept in $k"
  fi
}
