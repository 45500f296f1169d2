#!/usr/bin/env python3
"""Records every ClientHello of a set of permissively licensed corpus captures, with tshark's JA3 of it, into
tls/src/test/resources/fingerprint/clienthellos-tshark.tsv: the oracle of Ja3Test.

Columns: capture (relative to the corpus), frame.number, tls.handshake.ja3_full, tls.handshake.ja3, and the
ClientHello handshake message (msg_type through the end of the body) in hex, as tshark -T json -x gives it
(tls.handshake_raw). Only captures under MIT, Apache-2.0 or Unlicense are listed (see ../shared/corpus/SOURCES.md).

Run from the repository root: python3 scripts/tls-fingerprint/record-clienthellos.py [corpus-dir]
"""
import json, subprocess, sys

CORPUS = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus"
CAPTURES = [
    "illustrated-tls12/captures/capture.pcap",                                     # MIT
    "illustrated-tls13/captures/capture.pcap",                                     # MIT
    "hotplace-tls/tls12/tls12_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256.pcapng",     # Apache-2.0
    "hotplace-tls/tls13/tls13_TLS_AES_128_GCM_SHA256.pcapng",                      # Apache-2.0
    "hotplace-tls/tls13/tls13_TLS_AES_128_CCM_SHA256_X25519MLKEM768.pcapng",       # Apache-2.0
    "hotplace-tls/tls13/handshake_failure.pcapng",                                 # Apache-2.0
    "snet-decrypt-by-keylog/decrypt_by_keylog/TLS1_2_AES128-GCM-SHA256_auth.pcap",  # Unlicense
    "snet-decrypt-by-keylog/decrypt_by_keylog/TLS1_3_TLS_AES_128_GCM_SHA256.pcap",  # Unlicense
    "snet-decrypt-by-keylog/decrypt_by_keylog/ssl3_0.pcap",                        # Unlicense
    "snet-decrypt-by-keylog/decrypt_by_keylog/tls1.3_session_resumption.pcap",     # Unlicense
    "arkime/openssl-ssl3.pcap",                                                    # Apache-2.0
    "arkime/openssl-tls1.pcap",                                                    # Apache-2.0
    "arkime/openssl-tls1_1.pcap",                                                  # Apache-2.0
    "arkime/openssl-tls1_2.pcap",                                                  # Apache-2.0
    "arkime/curl-enabled-tls13.pcap",                                              # Apache-2.0
    "arkime/tls13.pcap",                                                           # Apache-2.0
    "arkime/tls-client-sessionid.pcap",                                            # Apache-2.0
    "arkime/tls-split-client-hello.pcap",                                          # Apache-2.0
    "suricata-verify/ja4-tls/input.pcap",                                          # MIT
]

def as_list(x):
    return x if isinstance(x, list) else [x]

def main():
    version = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    out = open("tls/src/test/resources/fingerprint/clienthellos-tshark.tsv", "w")
    out.write("# scripts/tls-fingerprint/record-clienthellos.py: tshark -r CAPTURE -Y 'tls.handshake.type==1' -T json -x"
              " -> capture, frame.number, tls.handshake.ja3_full, tls.handshake.ja3, tls.handshake_raw (%s)\n" % version)
    for cap in CAPTURES:
        r = subprocess.run(["tshark", "-r", CORPUS + "/" + cap, "-Y", "tls.handshake.type==1", "-T", "json", "-x"],
                           capture_output=True, text=True, check=True)
        for pkt in json.loads(r.stdout):
            layers = pkt["_source"]["layers"]
            frame = layers["frame"]["frame.number"]
            for tls in as_list(layers.get("tls", [])):
                for rec in as_list(tls.get("tls.record", [])):
                    raws = as_list(rec.get("tls.handshake_raw", []))
                    hss = as_list(rec.get("tls.handshake", []))
                    # with one message, tshark gives the raw as [hex, offset, len, ...], not a list of those
                    if raws and isinstance(raws[0], str):
                        raws = [raws]
                    for raw, hs in zip(raws, hss):
                        if hs.get("tls.handshake.type") != "1" or "tls.handshake.ja3" not in hs:
                            continue
                        out.write("\t".join([cap, frame, hs["tls.handshake.ja3_full"], hs["tls.handshake.ja3"],
                                             raw[0]]) + "\n")
    out.close()

main()
