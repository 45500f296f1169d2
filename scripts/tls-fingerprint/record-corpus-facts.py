#!/usr/bin/env python3
"""Records tshark's and openssl's facts about the TLS handshakes in the corpus captures that must not be copied
(GPL-2.0 scapy, the GPL Wireshark test captures, the unlicensed wireshark-notes): no capture bytes, only
  ja3   capture, tls.handshake.random, tls.handshake.ja3_full, tls.handshake.ja3
  cert  capture, SHA-256 of the DER, then the openssl fields of x509/corpus-certs.tsv (subject ... asn1Oid)
into tls/src/test/resources/corpus/tls-facts.tsv; CorpusTlsFactsTest (@Tag("corpus")) reads the captures in place.

Run from the repository root: python3 scripts/tls-fingerprint/record-corpus-facts.py [corpus-dir]
"""
import hashlib, importlib.util, json, os, subprocess, sys

CORPUS = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus"
DIRS = ["wireshark-notes", "wireshark-testcaptures-via-wirerust", "scapy"]
EXTENSIONS = (".pcap", ".pcapng", ".cap")

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("sweep", os.path.join(here, "sweep-permissive-corpus.py"))

def load_sweep():
    # reuse walk_tls / certificates / openssl_view without running the sweep's main()
    src = open(os.path.join(here, "sweep-permissive-corpus.py")).read().replace("\nmain()\n", "\n")
    ns = {}
    exec(compile(src, "sweep-permissive-corpus.py", "exec"), ns)
    return ns

def main():
    sweep = load_sweep()
    version = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    ossl = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip()
    os.makedirs("tls/src/test/resources/corpus", exist_ok=True)
    out = open("tls/src/test/resources/corpus/tls-facts.tsv", "w", encoding="utf-8")
    out.write("# scripts/tls-fingerprint/record-corpus-facts.py: tshark -r CAPTURE -Y 'tls.handshake.type==1 || "
              "tls.handshake.type==11' -T json -x --no-duplicate-keys (%s); openssl x509 fields as in "
              "x509/corpus-certs.tsv (%s)\n" % (version, ossl))
    out.write("# ja3\tcapture\tclient random\tja3_full\tja3   |   cert\tcapture\tsha256\tsubject\tissuer\tnotBefore\t"
              "notAfter\tsubjectAltName\tsha256 fingerprint\tsignatureAlgorithm\tpublicKeyAlgorithm\tbits\tnistCurve\t"
              "asn1Oid\n")
    captures = []
    for d in DIRS:
        for root, _, files in os.walk(os.path.join(CORPUS, d)):
            captures += [os.path.join(root, f) for f in files if f.endswith(EXTENSIONS)]
    for path in sorted(captures):
        rel = os.path.relpath(path, CORPUS)
        r = subprocess.run(["tshark", "-r", path, "-Y", "tls.handshake.type==1 || tls.handshake.type==11", "-T",
                            "json", "-x", "--no-duplicate-keys"], capture_output=True, text=True)
        if r.returncode != 0 or not r.stdout.strip():
            continue
        seen = set()
        for pkt in json.loads(r.stdout):
            for raw, hs in sweep["walk_tls"](pkt["_source"]["layers"]):
                if hs.get("tls.handshake.type") == "1" and "tls.handshake.ja3" in hs:
                    out.write("\t".join(["ja3", rel, hs["tls.handshake.random"].replace(":", ""),
                                         hs["tls.handshake.ja3_full"], hs["tls.handshake.ja3"]]) + "\n")
                if hs.get("tls.handshake.type") == "11":
                    for c in sweep["certificates"](hs):
                        sha = hashlib.sha256(bytes.fromhex(c)).hexdigest()
                        if sha not in seen:
                            seen.add(sha)
                            out.write("\t".join(["cert", rel, sha] + sweep["openssl_view"](c)) + "\n")
    out.close()

main()
