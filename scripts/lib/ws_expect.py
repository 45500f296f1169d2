#!/usr/bin/env python3
"""Turns tshark's view of a WebSocket capture into expectation rows (see captures/websocket/README.md).

  ws_expect.py frames    < tshark -T json --no-duplicate-keys -J "frame ip ipv6 tcp websocket" output
  ws_expect.py handshake < tshark -T json --no-duplicate-keys -J "frame ip ipv6 tcp http" output
  ws_expect.py pings     < tshark -T json --no-duplicate-keys -J "frame ip ipv6 tcp websocket" output

Only reshapes tshark's output: one row per WebSocket frame (tshark shows several per TCP segment as a list),
one row per HTTP request or response (the Upgrade and its answer, 101 or not). Text and ping/pong payloads are tshark's (unmasked, inflated).
"""
import hashlib
import json
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from tls_expect import as_list, find, first, packets  # noqa: E402

FRAME_COLS = ["frame", "stream", "src", "srcport", "index", "fin", "rsv", "pmc", "opcode", "mask", "payload_length",
              "payload_length_ext_16", "payload_length_ext_64", "masking_key", "close_code", "close_reason", "ping_pong_payload", "text_length", "text_sha256"]

HS_FIELDS = ["http.request.method", "http.request.uri", "http.host", "http.response.code", "http.upgrade",
             "http.connection", "http.sec_websocket_key", "http.sec_websocket_version",
             "http.sec_websocket_protocol", "http.sec_websocket_extensions", "http.sec_websocket_accept"]


def frames(stream):
    print("\t".join(FRAME_COLS))
    for frame, src, tcp, layers in packets(stream):
        for i, w in enumerate([w for w in as_list(layers.get("websocket")) if isinstance(w, dict)]):
            text = find(w, "websocket.payload.text")
            pp = first(w, "websocket.payload.ping") or first(w, "websocket.payload.pong")
            tl = th = ""
            if text:
                b = "".join(text).encode("utf-8")
                tl, th = str(len(b)), hashlib.sha256(b).hexdigest()
            print("\t".join([first(frame, "frame.number"), first(tcp, "tcp.stream"), src, first(tcp, "tcp.srcport"),
                             str(i), w.get("websocket.fin", ""), w.get("websocket.rsv", ""), w.get("websocket.pmc", ""),
                             w.get("websocket.opcode", ""), w.get("websocket.mask", ""),
                             w.get("websocket.payload_length", ""), w.get("websocket.payload_length_ext_16", ""),
                             w.get("websocket.payload_length_ext_64", ""), w.get("websocket.masking_key", "").replace(":", ""),
                             first(w, "websocket.payload.close.status_code"),
                             first(w, "websocket.payload.close.reason"), pp.replace(":", ""), tl, th]))


PING_COLS = ["frame", "time_epoch", "stream", "src", "srcport", "index", "opcode", "payload"]


def pings(stream):
    """One row per ping (opcode 9) and pong (10) frame with its packet's capture time (frame.time_epoch as tshark
    prints it: seconds, 9 decimals) and its unmasked payload in hex (empty for an empty payload); index is the
    frame's position among the WebSocket frames of the packet, as in X.ws.tsv."""
    print("\t".join(PING_COLS))
    for frame, src, tcp, layers in packets(stream):
        for i, w in enumerate([w for w in as_list(layers.get("websocket")) if isinstance(w, dict)]):
            op = w.get("websocket.opcode", "")
            if op not in ("9", "10"):
                continue
            pp = first(w, "websocket.payload.ping") if op == "9" else first(w, "websocket.payload.pong")
            print("\t".join([first(frame, "frame.number"), first(frame, "frame.time_epoch"), first(tcp, "tcp.stream"),
                             src, first(tcp, "tcp.srcport"), str(i), op, pp.replace(":", "")]))


def handshake(stream):
    print("\t".join(["frame", "stream", "src", "srcport"] + [f[5:] for f in HS_FIELDS]))
    for frame, src, tcp, layers in packets(stream):
        for h in [h for h in as_list(layers.get("http")) if isinstance(h, dict)]:
            vals = [first(h, f) for f in HS_FIELDS]
            if not (vals[0] or vals[3]):
                continue  # not a request or response line (e.g. a continuation)
            print("\t".join([first(frame, "frame.number"), first(tcp, "tcp.stream"), src, first(tcp, "tcp.srcport")]
                            + [v.replace("\t", " ") for v in vals]))


if __name__ == "__main__":
    {"frames": frames, "handshake": handshake, "pings": pings}[sys.argv[1]](sys.stdin)
