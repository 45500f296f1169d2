#!/usr/bin/env python3
"""Sweeps every capture of the permissively licensed parts of the shared corpus (MIT, BSD-3-Clause, Apache-2.0,
Unlicense: see ../shared/corpus/SOURCES.md) and records, for the sweep tests:

  tls/src/test/resources/fingerprint/clienthellos-sweep.tsv   every distinct ClientHello with tshark's JA3
      (same columns as clienthellos-tshark.tsv: capture, frame, ja3_full, ja3, handshake hex)
  tls/src/test/resources/x509/corpus-certs.tsv                every distinct certificate with openssl's view
      (capture, frame, DER hex, then subject, issuer, notBefore, notAfter, subjectAltName, sha256 fingerprint,
       Signature Algorithm, Public Key Algorithm, Public-Key bits, NIST CURVE, ASN1 OID, as printed by openssl;
       empty when openssl prints nothing, "!" + openssl's message when openssl cannot read the certificate)

Run from the repository root: nice python3 scripts/tls-fingerprint/sweep-permissive-corpus.py [corpus-dir]
(about 5 minutes of one core: one tshark per capture).
"""
import hashlib, json, os, subprocess, sys

CORPUS = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus"
PERMISSIVE = ["illustrated-tls12", "illustrated-tls13", "pcapplusplus", "suricata-verify", "zeek", "pkts", "pcap4j",
              "snet-decrypt-by-keylog", "arkime", "hotplace-tls", "tcpdump"]
EXTENSIONS = (".pcap", ".pcapng", ".cap", ".trace")

def as_list(x):
    return x if isinstance(x, list) else [x]

def walk_tls(layers):
    for tls in as_list(layers.get("tls", [])):
        if not isinstance(tls, dict):
            continue
        for rec in as_list(tls.get("tls.record", [])):
            if not isinstance(rec, dict):
                continue
            raws = as_list(rec.get("tls.handshake_raw", []))
            if raws and isinstance(raws[0], str):
                raws = [raws]
            for raw, hs in zip(raws, as_list(rec.get("tls.handshake", []))):
                if isinstance(hs, dict):
                    yield raw, hs

def certificates(hs):
    """The raw hex of every certificate in a Certificate handshake message (TLS 1.2 and 1.3 layouts)."""
    out = []
    def visit(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "tls.handshake.certificate_raw":
                    for r in (v if v and isinstance(v[0], list) else [v]):
                        out.append(r[0])
                else:
                    visit(v)
        elif isinstance(node, list):
            for v in node:
                visit(v)
    visit(hs)
    return out

def openssl_view(der_hex):
    der = bytes.fromhex(der_hex)
    a = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-nameopt", "RFC2253,-esc_msb", "-subject",
                        "-issuer", "-dates", "-ext", "subjectAltName", "-fingerprint", "-sha256"],
                       input=der, capture_output=True)
    if a.returncode != 0:
        return ["!" + a.stderr.decode("utf-8", "replace").splitlines()[0].strip()] + [""] * 10
    t = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-text"], input=der, capture_output=True)
    lines = a.stdout.decode("utf-8").splitlines()
    text = t.stdout.decode("utf-8", "replace").splitlines()
    f = {}
    for i, l in enumerate(lines):
        for key in ("subject=", "issuer=", "notBefore=", "notAfter=", "sha256 Fingerprint="):
            if l.startswith(key):
                f[key] = l[len(key):]
        if l.startswith("X509v3 Subject Alternative Name:"):
            f["san"] = lines[i + 1].strip()
    for l in (s.strip() for s in text):
        for key in ("Signature Algorithm: ", "Public Key Algorithm: ", "NIST CURVE: ", "ASN1 OID: "):
            if l.startswith(key) and key not in f:
                f[key] = l[len(key):]
        if "Public-Key: (" in l and "bits" not in f:
            f["bits"] = l[l.index("(") + 1:l.index(" bit")]
    keys = ["subject=", "issuer=", "notBefore=", "notAfter=", "san", "sha256 Fingerprint=", "Signature Algorithm: ",
            "Public Key Algorithm: ", "bits", "NIST CURVE: ", "ASN1 OID: "]
    return [f.get(k, "") for k in keys]

def main():
    version = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    ossl = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip()
    captures = []
    for d in PERMISSIVE:
        for root, _, files in os.walk(os.path.join(CORPUS, d)):
            captures += [os.path.join(root, f) for f in files if f.endswith(EXTENSIONS)]
    captures.sort()
    hellos, certs = {}, {}
    for path in captures:
        rel = os.path.relpath(path, CORPUS)
        r = subprocess.run(["tshark", "-r", path, "-Y", "tls.handshake.type==1 || tls.handshake.type==11",
                            "-T", "json", "-x", "--no-duplicate-keys"], capture_output=True, text=True)
        if r.returncode != 0 or not r.stdout.strip():
            continue
        try:
            packets = json.loads(r.stdout)
        except json.JSONDecodeError:
            continue
        for pkt in packets:
            layers = pkt["_source"]["layers"]
            frame = layers["frame"]["frame.number"]
            for raw, hs in walk_tls(layers):
                if hs.get("tls.handshake.type") == "1" and "tls.handshake.ja3" in hs and raw[0] not in hellos:
                    hellos[raw[0]] = [rel, frame, hs["tls.handshake.ja3_full"], hs["tls.handshake.ja3"], raw[0]]
                if hs.get("tls.handshake.type") == "11":
                    for c in certificates(hs):
                        key = hashlib.sha256(bytes.fromhex(c)).hexdigest()
                        if key not in certs:
                            certs[key] = [rel, frame, c]
    with open("tls/src/test/resources/fingerprint/clienthellos-sweep.tsv", "w") as f:
        f.write("# scripts/tls-fingerprint/sweep-permissive-corpus.py: every distinct ClientHello of the MIT/BSD/Apache/"
                "Unlicense corpus captures; tshark -T json -x: capture, frame.number, tls.handshake.ja3_full, "
                "tls.handshake.ja3, tls.handshake_raw (%s)\n" % version)
        for v in hellos.values():
            f.write("\t".join(v) + "\n")
    with open("tls/src/test/resources/x509/corpus-certs.tsv", "w", encoding="utf-8") as f:
        f.write("# scripts/tls-fingerprint/sweep-permissive-corpus.py: every distinct certificate (tshark "
                "tls.handshake.certificate) of the MIT/BSD/Apache/Unlicense corpus captures, with openssl x509 "
                "-nameopt RFC2253,-esc_msb -subject -issuer -dates -ext subjectAltName -fingerprint -sha256 and "
                "-text fields (%s; %s)\n" % (version, ossl))
        f.write("# capture\tframe\tder\tsubject\tissuer\tnotBefore\tnotAfter\tsubjectAltName\tsha256\t"
                "signatureAlgorithm\tpublicKeyAlgorithm\tbits\tnistCurve\tasn1Oid\n")
        for rel, frame, der in certs.values():
            f.write("\t".join([rel, frame, der] + openssl_view(der)) + "\n")
    print("%d captures, %d ClientHellos, %d certificates" % (len(captures), len(hellos), len(certs)))

main()
