#!/usr/bin/env python3
"""Makes the seed inputs of the core and pcapng fuzz targets (issue 8) from small captures with a permissive licence.

Run from the repository root: python3 scripts/make-fuzz-seeds.py [CORPUS_DIR]   (default ../shared/corpus)
Writes into <module>/src/test/resources/<package>/<Class>Inputs/<method>/ and a SOURCES.md there. Every seed
ends with 32 zero bytes: the fuzz targets read their parameters (limits, cut points, buffer shape) from the end of
the input, and all-zero parameters mean "defaults, whole input" - so the capture bytes before them stay intact.
Seeds larger than 64 KiB are refused.
"""
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', 'shared', 'corpus')
CAPS = os.path.join(ROOT, 'examples', 'src', 'test', 'resources', 'captures')
TAIL = bytes(32)

# corpus dir -> (licence, upstream repo@commit, upstream path prefix)
CORPUS_SOURCES = {
    'pcapng-test-generator': ('MIT', 'hadrielk/pcapng-test-generator@9a5c4163ba9b', ''),
    'gopacket': ('BSD-3-Clause', 'gopacket/gopacket@f87e843120cc', 'pcapgo/tests/ (see corpus SOURCES.md)'),
    'tcpdump': ('BSD-3-Clause', 'the-tcpdump-group/tcpdump@39b50f76672b', 'tests/'),
    'pcapplusplus': ('Unlicense', 'seladb/PcapPlusPlus@200853b3a0b5', 'Tests/ (see corpus SOURCES.md)'),
    'suricata-verify': ('MIT', 'OISF/suricata-verify@10a45e4bad6d', 'tests/'),
    'zeek': ('BSD-3-Clause', 'zeek/zeek@a13de64fbbdb', 'testing/btest/Traces/ (see corpus SOURCES.md)'),
}


def source_line(path):
    if path.startswith('captures/'):
        return 'examples/src/test/resources/%s: recorded by the Wirelens project (own licence)' % path
    top = path.split('/')[0]
    lic, repo, prefix = CORPUS_SOURCES[top]
    return '../shared/corpus/%s: %s, %s (upstream path: %s)' % (path, lic, repo, prefix or path[len(top) + 1:])


def read(path):
    full = os.path.join(CAPS, path[len('captures/'):]) if path.startswith('captures/') else os.path.join(CORPUS, path)
    with open(full, 'rb') as f:
        return f.read()


def frames(data):
    """(linktype, frame) of a classic pcap or pcapng file (enough of both for seeds)."""
    out = []
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1', b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '<' if magic[0] in (0xd4, 0x4d) else '>'
        lt = struct.unpack(e + 'I', data[20:24])[0] & 0xffff
        i = 24
        while i + 16 <= len(data):
            incl = struct.unpack(e + 'I', data[i + 8:i + 12])[0]
            out.append((lt, data[i + 16:i + 16 + incl]))
            i += 16 + incl
        return out
    i = 0
    e = '<'
    lts = []
    while i + 12 <= len(data):
        if data[i:i + 4] == b'\x0a\x0d\x0d\x0a':
            e = '<' if data[i + 8:i + 12] == b'\x4d\x3c\x2b\x1a' else '>'
            lts = []
        t, n = struct.unpack(e + 'II', data[i:i + 8])
        if n < 12:
            break
        if t == 1:
            lts.append(struct.unpack(e + 'H', data[i + 8:i + 10])[0])
        elif t == 6:
            ifc, _, _, cap = struct.unpack(e + 'IIII', data[i + 8:i + 24])
            out.append((lts[ifc] if ifc < len(lts) else 1, data[i + 28:i + 28 + cap]))
        i += n
    return out


def ip_of(lt, frame):
    """The IP datagram in a frame (None if not IP)."""
    if lt == 1:
        off = 14
        et = frame[12:14]
        while et in (b'\x81\x00', b'\x88\xa8'):
            et = frame[off + 2:off + 4]
            off += 4
        return frame[off:] if et in (b'\x08\x00', b'\x86\xdd') else None
    if lt in (0, 108):
        return frame[4:]
    if lt == 113:
        return frame[16:]
    if lt == 276:
        return frame[20:]
    if lt in (101, 228, 229):
        return frame
    return None


def is_fragment(ip):
    if len(ip) < 20:
        return False
    if ip[0] >> 4 == 4:
        return struct.unpack('>H', ip[6:8])[0] & 0x3fff != 0
    if ip[0] >> 4 == 6 and len(ip) >= 40:
        nh, i = ip[6], 40
        while nh in (0, 43, 60) and i + 8 <= len(ip):
            nh, i = ip[i], i + 8 * (ip[i + 1] + 1)
        return nh == 44
    return False


def write(module, package, cls, method, seeds):
    d = os.path.join(ROOT, module, 'src', 'test', 'resources', *package.split('.'), cls + 'Inputs', method)
    os.makedirs(d, exist_ok=True)
    lines = ['# Seeds of %s#%s' % (cls, method), '',
             'Made by `python3 scripts/make-fuzz-seeds.py` (see its header for the layout: each seed ends with 32 zero',
             'bytes of fuzz parameters). Files named `crash-*` are regression inputs found by fuzzing (see the commit',
             'that added each).', '', '| seed | made from |', '|---|---|']
    for name, data, how in seeds:
        assert len(data) <= 64 * 1024, name
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)
        lines.append('| `%s` | %s |' % (name, how))
    with open(os.path.join(d, 'SOURCES.md'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


def whole_files(paths):
    return [('seed-' + os.path.basename(p), read(p) + TAIL, 'the whole file ' + source_line(p)) for p in paths]


def dissector_seeds(paths, per_file):
    seeds = []
    for p in paths:
        picked = 0
        for k, (lt, fr) in enumerate(frames(read(p))):
            if picked == per_file:
                break
            seeds.append(('seed-%s-%d' % (os.path.basename(p), k), struct.pack('>H', lt) + fr + TAIL,
                          'frame %d (u16 link type %d, then the frame) of %s' % (k, lt, source_line(p))))
            picked += 1
    return seeds


def fragment_seeds(paths):
    seeds = []
    for p in paths:
        body = b''
        for lt, fr in frames(read(p)):
            ip = ip_of(lt, fr)
            if ip is not None and is_fragment(ip) and len(body) + len(ip) < 60000:
                body += struct.pack('>H', len(ip)) + ip
        if body:
            seeds.append(('seed-' + os.path.basename(p), body + TAIL,
                          'every IP fragment (u16 length, then the datagram) of ' + source_line(p)))
    return seeds


pcaps = ['captures/loopback.pcap', 'captures/sll2.pcap', 'captures/qinq.pcap', 'captures/snaplen.pcap',
         'tcpdump/tcp-handshake-nano.pcap', 'tcpdump/timestamp_invalid_nano.pcap',
         'pcapplusplus/file-format-and-linktypes/nanosecs_big_endian.pcap',
         'suricata-verify/bug-1450-04/tls_DER-incomplete-header.pcap']
pcapngs = ['captures/multi-interface.pcapng', 'captures/truncated.pcapng',
           'pcapng-test-generator/output_le/difficult/test202.pcapng',
           'pcapng-test-generator/output_be/advanced/test102.pcapng',
           'pcapng-test-generator/output_le/advanced/test100.pcapng',
           'gopacket/le/test300.pcapng', 'gopacket/be/test902.pcapng']
write('pcapng', 'dev.wirelens.pcapng', 'PcapReaderFuzzTest', 'anyBytesReadTheSameWholeOrInPieces', whole_files(pcaps))
write('pcapng', 'dev.wirelens.pcapng', 'PcapngReaderFuzzTest', 'anyBytesReadTheSameWholeOrInPieces',
      whole_files(pcapngs))
write('pcapng', 'dev.wirelens.pcapng', 'CaptureReaderFuzzTest', 'anyCaptureReadsTheSameFromBufferStreamOrPieces',
      whole_files(['captures/sll.pcap', 'captures/midstream.pcapng',
                   'pcapng-test-generator/output_be/difficult/test202.pcapng',
                   'zeek/tls/tls-fragmented-handshake.pcap.gz', 'tcpdump/loopback.pcap']))
write('core', 'dev.wirelens.packet', 'PacketDissectorFuzzTest', 'anyFrameDissectsWithinItsBytes',
      dissector_seeds(['captures/loopback.pcap', 'captures/sll.pcap', 'captures/sll2.pcap', 'captures/qinq.pcap',
                       'captures/ipv6-ext.pcap', 'captures/ipv4-fragments.pcap', 'captures/snaplen.pcap',
                       'tcpdump/LINKTYPE_IPV6.pcap', 'tcpdump/LINKTYPE_RAW_ipv6.pcap',
                       'tcpdump/ipv6-routing-header.pcap', 'pcapplusplus/file-format-and-linktypes/linktype_ipv4.pcap',
                       'tcpdump/tcp-auth-heapoverflow.pcap'], 3))
write('core', 'dev.wirelens.ip', 'IpDefragmenterFuzzTest', 'anyFragmentsStayWithinLimits',
      fragment_seeds(['captures/ipv4-fragments.pcap', 'captures/ipv6-ext.pcap',
                      'pcapplusplus/file-format-and-linktypes/ip6_fragments.pcap',
                      'suricata-verify/ipv6-evasion/ipv6-malformed-fragments-1/frag-1.pcap']))


def tcp_record(flow, from_server, flags, rel_seq, rel_ack, payload=b'', step=1, window=0x40):
    """One segment record of TcpReassemblerFuzzTest (see its Javadoc): 9 bytes, then the payload."""
    b0 = flow | (4 if from_server else 0)
    return struct.pack('>BBHHBBB', b0, flags, rel_seq, rel_ack, window, len(payload), step) + payload


SYN, FIN, RST, PSH, ACK = 0x02, 0x01, 0x04, 0x08, 0x10
conversation = b''.join([
    tcp_record(0, False, SYN, 0, 0), tcp_record(0, True, SYN | ACK, 0, 1), tcp_record(0, False, ACK, 1, 1),
    tcp_record(0, False, PSH | ACK, 1, 1, b'GET / HTTP/1.1\r\n\r\n'),
    tcp_record(0, True, PSH | ACK, 1, 19, b'HTTP/1.1 200 OK\r\n'),
    tcp_record(0, False, PSH | ACK, 29, 18, b'second after a hole'),  # out of order: 19..29 missing
    tcp_record(0, False, PSH | ACK, 19, 18, b'0123456789'),
    tcp_record(0, False, FIN | ACK, 48, 18), tcp_record(0, True, FIN | ACK, 18, 49), tcp_record(0, False, ACK, 49, 19),
])
two_flows = b''.join([
    tcp_record(1, False, PSH | ACK, 100, 5, b'midstream client data'),
    tcp_record(3, False, SYN, 0, 0), tcp_record(3, True, SYN | ACK, 0, 1),
    tcp_record(1, True, PSH | ACK, 5, 121, b'reply'),
    tcp_record(3, False, PSH | ACK, 1, 1, b'v6 payload'), tcp_record(3, False, PSH | ACK, 1, 1, b'v6 PAYLOAD'),
    tcp_record(1, False, RST | ACK, 121, 10), tcp_record(3, True, RST, 1, 0, step=255),
])
write('core', 'dev.wirelens.tcp', 'TcpReassemblerFuzzTest', 'anySegmentsKeepTheStreamGrammarAndLimits', [
    ('seed-handshake-data-hole-fin', conversation + TAIL,
     'a hand-written IPv4 conversation: handshake, request, reply, a hole filled late, FIN both ways'),
    ('seed-midstream-v6-reset', two_flows + TAIL,
     'hand-written: a connection picked up midstream and reset, an IPv6 one with conflicting retransmission'),
])
