"""Traffic generators used by the recording scripts (run inside a network namespace).

  traffic.py udp HOST PORT SIZE [COUNT]      send COUNT datagrams of SIZE bytes, wait for each echo
  traffic.py udp-send HOST PORT SIZE          send one datagram, expect no answer
  traffic.py udp-v4opts HOST PORT SIZE        one datagram whose IPv4 header carries options (NOP, Record Route)
  traffic.py udp-v6ext HOST PORT SIZE KIND    one datagram with IPv6 extension headers; KIND is hop, dst or hop+dst
  traffic.py http-v6hop HOST PORT PATH        an HTTP/1.0 GET over TCP whose packets carry a hop-by-hop header

Fragmentation is left to the kernel: datagrams larger than the link MTU are sent as fragments.
"""
import socket
import sys

IP_PMTUDISC_DONT = 0
IP_MTU_DISCOVER = getattr(socket, "IP_MTU_DISCOVER", 10)
IPV6_HOPOPTS = getattr(socket, "IPV6_HOPOPTS", 54)
IPV6_DSTOPTS = getattr(socket, "IPV6_DSTOPTS", 59)
IPV6_DONTFRAG = getattr(socket, "IPV6_DONTFRAG", 62)


def payload(size):
    pattern = b"wirelens-udp-"
    return (pattern * (size // len(pattern) + 1))[:size]


def options_header(option_type):
    # RFC 8200 section 4.2: next header (filled in by the kernel), hdr ext len (in 8-octet units, not counting
    # the first 8), then TLV options: one experimental option (RFC 4727: type 0x1e, action 00 = skip if
    # unknown) with 2 data bytes, then a PadN option with no data bytes, for 8 bytes in all.
    return bytes([0, 0, option_type, 2, 0xbe, 0xef, 1, 0])


def family_of(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def udp(host, port, size, count=1, setup=None, wait=True):
    fam = family_of(host)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if fam == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_DONTFRAG, 0)
    if setup:
        setup(s)
    s.settimeout(2)
    for _ in range(count):
        s.sendto(payload(size), (host, port))
        if not wait:
            continue
        try:
            s.recvfrom(65535)
        except socket.timeout:
            print("no echo", file=sys.stderr)
    s.close()


def main(argv):
    cmd = argv[1]
    if cmd == "udp":
        udp(argv[2], int(argv[3]), int(argv[4]), int(argv[5]) if len(argv) > 5 else 1)
    elif cmd == "udp-send":
        udp(argv[2], int(argv[3]), int(argv[4]), wait=False)
    elif cmd == "udp-v4opts":
        # RFC 791: NOP (1), then Record Route (type 7, length 11, pointer 4, two empty slots): 12 bytes.
        opts = bytes([1, 7, 11, 4] + [0] * 8)
        udp(argv[2], int(argv[3]), int(argv[4]),
            setup=lambda s: s.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS, opts))
    elif cmd == "udp-v6ext":
        kind = argv[5]

        def setup(s):
            if "hop" in kind:
                s.setsockopt(socket.IPPROTO_IPV6, IPV6_HOPOPTS, options_header(0x1e))
            if "dst" in kind:
                s.setsockopt(socket.IPPROTO_IPV6, IPV6_DSTOPTS, options_header(0x1e))
        udp(argv[2], int(argv[3]), int(argv[4]), setup=setup)
    elif cmd == "http-v6hop":
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_HOPOPTS, options_header(0x1e))
        s.settimeout(5)
        s.connect((argv[2], int(argv[3])))
        s.sendall(("GET %s HTTP/1.0\r\nHost: wirelens\r\n\r\n" % argv[4]).encode())
        while s.recv(65536):
            pass
        s.close()
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
