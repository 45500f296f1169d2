#!/usr/bin/env python3
"""Turns tshark's view of a TLS capture into the expectation files of examples/src/test/resources/captures/tls/.

  tls_expect.py records  < tshark -T json --no-duplicate-keys -J "frame ip ipv6 tcp tls" output  > X.tls*.tsv
  tls_expect.py certs KEYS_JSON NOKEYS_JSON                                                        > X.certs.tsv
  tls_expect.py plaintext FRAMES_TSV YAML...                                                       > X.plaintext.tsv

Only reshapes tshark's output (one row per TLS handshake message / record, SHA-256 of certificates and of the
decrypted application data tshark's follow,tls,yaml gives); every value comes from tshark.
"""
import base64
import hashlib
import json
import re
import sys


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def find(node, key):
    """All values of KEY anywhere below NODE, in document order (lists flattened)."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                for x in as_list(v):
                    if not isinstance(x, (dict, list)):
                        out.append(x)
            elif isinstance(v, (dict, list)):
                out += find(v, key)
    elif isinstance(node, list):
        for x in node:
            out += find(x, key)
    return out


def first(node, key):
    v = find(node, key)
    return v[0] if v else ""


def hexstr(v):
    return v.replace(":", "")


def packets(path_or_stream):
    data = json.load(path_or_stream)
    for p in data:
        layers = p["_source"]["layers"]
        frame = layers.get("frame", {})
        ip = layers.get("ip") or layers.get("ipv6") or {}
        if isinstance(ip, list):
            ip = ip[-1]
        src = first(ip, "ip.src") or first(ip, "ipv6.src")
        tcp = layers.get("tcp", {})
        yield frame, src, tcp, layers


RECORD_COLS = ["frame", "stream", "src", "srcport", "record", "content_type", "opaque_type", "record_version",
               "record_length", "message", "hs_type", "hs_version", "random", "session_id_length",
               "supported_versions", "cipher_suites", "extensions", "server_name", "alpn", "supported_groups",
               "key_share_groups", "ja3", "ja3s", "ticket_lifetime", "key_update_request", "alert_level",
               "alert_desc", "app_data_length"]


def records(stream):
    print("\t".join(RECORD_COLS))
    for frame, src, tcp, layers in packets(stream):
        tls_layers = as_list(layers.get("tls"))
        recs = []
        for t in tls_layers:
            if isinstance(t, dict):
                recs += [r for r in as_list(t.get("tls.record")) if isinstance(r, dict)]
        for ri, r in enumerate(recs):
            base = [first(frame, "frame.number"), first(tcp, "tcp.stream"), src, first(tcp, "tcp.srcport"), str(ri),
                    r.get("tls.record.content_type", ""), r.get("tls.record.opaque_type", ""),
                    r.get("tls.record.version", ""), r.get("tls.record.length", "")]
            hs = [h for h in as_list(r.get("tls.handshake")) if isinstance(h, dict)]
            alert = r.get("tls.alert_message")
            app = r.get("tls.app_data", "")
            app_len = str(len(hexstr(app)) // 2) if app else ""
            if not hs:
                level = desc = ""
                if isinstance(alert, dict):
                    level, desc = alert.get("tls.alert_message.level", ""), alert.get("tls.alert_message.desc", "")
                print("\t".join(base + [""] * 16 + [level, desc, app_len]))
                continue
            for hi, h in enumerate(hs):
                hs_type = h.get("tls.handshake.type", "")
                groups_offered = find(h, "tls.handshake.extensions_supported_group")
                row = [str(hi), hs_type, h.get("tls.handshake.version", ""),
                       hexstr(h.get("tls.handshake.random", "")), h.get("tls.handshake.session_id_length", ""),
                       ";".join(find(h, "tls.handshake.extensions.supported_version")),
                       ";".join(find(h, "tls.handshake.ciphersuite")),
                       ";".join(find(h, "tls.handshake.extension.type")),
                       ";".join(find(h, "tls.handshake.extensions_server_name")),
                       ";".join(find(h, "tls.handshake.extensions_alpn_str")),
                       ";".join(groups_offered),
                       ";".join(find(h, "tls.handshake.extensions_key_share_group")
                                or find(h, "tls.handshake.extensions_key_share_selected_group")),
                       first(h, "tls.handshake.ja3"), first(h, "tls.handshake.ja3s"),
                       first(h, "tls.handshake.session_ticket_lifetime_hint"),
                       # tshark 4.0 puts the KeyUpdate field beside the handshake tree, in the record
                       first(h, "tls.handshake.key_update.request_update")
                       or (r.get("tls.handshake.key_update.request_update", "") if hs_type == "24" else ""),
                       "", "", ""]
                print("\t".join(base + row))


def certs(keys_json, nokeys_json):
    def collect(path):
        out = []
        with open(path) as f:
            for frame, src, tcp, layers in packets(f):
                for c in find(layers.get("tls"), "tls.handshake.certificate"):
                    out.append((first(frame, "frame.number"), first(tcp, "tcp.stream"), src,
                                first(tcp, "tcp.srcport"), bytes.fromhex(hexstr(c))))
        return out
    clear = {c[4] for c in collect(nokeys_json)}
    print("\t".join(["frame", "stream", "src", "srcport", "index", "length", "sha256", "in_clear"]))
    last, idx = None, 0
    for fr, st, src, sp, der in collect(keys_json):
        idx = idx + 1 if last == (fr, st, src) else 0
        last = (fr, st, src)
        print("\t".join([fr, st, src, sp, str(idx), str(len(der)), hashlib.sha256(der).hexdigest(),
                         "1" if der in clear else "0"]))


def plaintext(frames_tsv, yamls):
    # frames_tsv: frame.number, tcp.stream, src, srcport, tcp.flags.syn, tcp.flags.ack (tshark -T fields)
    senders, clients = {}, {}
    with open(frames_tsv) as f:
        for line in f:
            fr, st, s4, s6, sp, syn, ack = line.rstrip("\n").split("\t")
            src = (s6 or s4) + "|" + sp
            senders[fr] = (st, src)
            if st not in clients and (syn != "1" or ack != "1"):
                clients[st] = src       # the sender of the SYN, or of the stream's first packet
    print("\t".join(["stream", "direction", "src", "srcport", "bytes", "sha256", "chunks"]))
    for y in yamls:
        per = {}
        text = open(y).read()
        for m in re.finditer(r"- packet: (\d+)\n\s+peer: \d+\n\s+timestamp: \S+\n\s+data: !!binary \|\n((?:\s{6}\S+\n)*)",
                             text):
            st, src = senders[m.group(1)]
            data = base64.b64decode("".join(m.group(2).split()))
            d = "client_to_server" if clients.get(st) == src else "server_to_client"
            e = per.setdefault((st, d), [src, bytearray(), 0])
            e[1] += data
            e[2] += 1
        for (st, d), (src, data, n) in sorted(per.items(), key=lambda kv: (int(kv[0][0]), kv[0][1])):
            a, p = src.split("|")
            print("\t".join([st, d, a, p, str(len(data)), hashlib.sha256(bytes(data)).hexdigest(), str(n)]))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "records":
        records(sys.stdin)
    elif cmd == "certs":
        certs(sys.argv[2], sys.argv[3])
    elif cmd == "plaintext":
        plaintext(sys.argv[2], sys.argv[3:])
    else:
        sys.exit("unknown command " + cmd)
