#!/usr/bin/env python3
"""Turns the JMH JSON files in benchmarks/results/ into the Markdown tables of benchmarks/README.md.

Usage: python3 benchmarks/summarize.py [benchmarks/results]
"""
import json
import os
import sys

results = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "results")


def load(name):
    path = os.path.join(results, name + ".json")
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return []
    with open(path) as f:
        return json.load(f)


def method(r):
    return r["benchmark"].rsplit(".", 1)[1]


def sec(r, name):
    m = r["secondaryMetrics"].get(name)
    return (float(m["score"]), float(m["scoreError"])) if m else (float("nan"), float("nan"))


def err(e):
    return "n/a" if e != e else "%.2g" % e


def per_op(r):
    """Packets per operation (whole-capture benchmarks)."""
    return sec(r, "packets")[0] / r["primaryMetric"]["score"]


def alloc(r):
    return sec(r, "gc.alloc.rate.norm")[0]


def scan():
    rows = load("CaptureReaderBenchmark")
    if not rows:
        return
    print("| benchmark | format | GB/s | ± | Mframes/s | alloc B/op (whole capture) | alloc B/frame |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in sorted(rows, key=lambda r: (r["params"]["format"], method(r))):
        b, be = sec(r, "bytes")
        p, _ = sec(r, "packets")
        print("| %s | %s | %.2f | %s | %.2f | %.0f | %.4f |" % (
            method(r), r["params"]["format"], b / 1e9, err(be / 1e9), p / 1e6, alloc(r), alloc(r) / per_op(r)))


def stream():
    rows = load("StreamingDecodeBenchmark")
    if not rows:
        return
    by = {method(r): r for r in rows}

    def ns(r):
        p, pe = sec(r, "packets")
        v = 1e9 / p
        return v, v * pe / p

    print("| benchmark | input | ns/packet | ± | GB/s | alloc B/packet | vs floor (same input) | Wirelens speed-up over it |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    ours = {"pcap": ns(by["wirelensPcap"])[0] if "wirelensPcap" in by else None,
            "pcapng": ns(by["wirelensPcapng"])[0] if "wirelensPcapng" in by else None}
    floors = {"pcap": ns(by["floorPcap"])[0] if "floorPcap" in by else None,
              "pcapng": ns(by["floorPcapng"])[0] if "floorPcapng" in by else None}
    order = ["floorPcap", "wirelensPcap", "wirelensPcapFrameSlice", "pcap4j", "pkts", "floorPcapng", "wirelensPcapng"]
    for m in order:
        if m not in by:
            continue
        r = by[m]
        inp = "pcapng" if m.endswith("Pcapng") else "pcap"
        v, e = ns(r)
        b, _ = sec(r, "bytes")
        vs_floor = "%.2fx" % (v / floors[inp]) if floors[inp] else ""
        speedup = "%.1fx" % (v / ours[inp]) if ours[inp] and m in ("pcap4j", "pkts") else ""
        print("| %s | %s | %.1f | %s | %.2f | %.2f | %s | %s |" % (
            m, inp, v, err(e), b / 1e9, alloc(r) / per_op(r), vs_floor, speedup))


def hot():
    rows = load("PacketDissectorBenchmark")
    if not rows:
        return
    order = ["floor", "viewOnly", "fiveTuple", "allFields", "pcap4j", "pkts"]
    print("| benchmark | frame | ns/op | ± | alloc B/op | vs floor | fiveTuple speed-up over it |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for ip in ("ipv4", "ipv6"):
        by = {method(r): r for r in rows if r["params"]["ip"] == ip}
        floor = by["floor"]["primaryMetric"]["score"] if "floor" in by else None
        ours = by["fiveTuple"]["primaryMetric"]["score"] if "fiveTuple" in by else None
        for m in order:
            if m not in by:
                continue
            r = by[m]
            s = r["primaryMetric"]["score"]
            speed = "%.1fx" % (s / ours) if ours and m in ("pcap4j", "pkts") else ""
            print("| %s | TCP/%s 1514 B | %.1f | %s | %.1f | %s | %s |" % (
                m, ip.replace("ip", "IP"), s, err(float(r["primaryMetric"]["scoreError"])), alloc(r),
                "%.2fx" % (s / floor) if floor else "", speed))


def reassembly():
    rows = load("TcpReassemblyBenchmark")
    if not rows:
        return
    by = {method(r) + "/" + r["params"].get("flows", ""): r for r in rows}
    print("| benchmark | input | payload GB/s | ± | ns/packet | alloc B/op | alloc B/packet | vs inOrder |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    base = None
    for m in ("inOrder/", "impaired/"):
        if m not in by:
            continue
        r = by[m]
        g, ge = sec(r, "payloadBytes")
        p, _ = sec(r, "packets")
        ns = 1e9 / p
        base = base or ns
        print("| %s | 1 GiB capture%s | %.2f | %s | %.0f | %.0f | %.2f | %.2fx |" % (
            m[:-1], " (0.5% loss, 2% reorder, 1% overlap)" if m == "impaired/" else "", g / 1e9, err(ge / 1e9), ns,
            alloc(r), alloc(r) / per_op(r), ns / base))
    print()
    print("| benchmark | live flows | ns/op | ± | alloc B/op |")
    print("|---|---:|---:|---:|---:|")
    for m in ("ackLookup", "inOrderSegment"):
        for flows in ("1000", "100000"):
            r = by.get(m + "/" + flows)
            if r is None:
                continue
            s = r["primaryMetric"]["score"]
            e = float(r["primaryMetric"]["scoreError"])
            print("| %s | %s | %.1f | %s | %.3f |" % (m, "{:,}".format(int(flows)), 1e9 / s, err(1e9 * e / s / s),
                                                     alloc(r)))


for title, f in (("Scanning", scan), ("Streaming decode", stream), ("One hot packet", hot),
                 ("TCP reassembly", reassembly)):
    print("### " + title + "\n")
    f()
    print()
