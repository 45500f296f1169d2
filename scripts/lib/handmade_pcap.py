"""Hand-built Ethernet/IPv4/TCP frames and a classic pcap writer, for the capture-making scripts whose frames no
real program sends (a header byte chosen per case). Checksums are correct (RFC 791, RFC 9293 pseudo-header);
MAC addresses are zero; every segment has window 65535 and no options."""
import struct


def csum(b):
    """The Internet checksum (RFC 1071) of b."""
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return (~s) & 0xffff


def pkt(src, dst, sp, dp, seq, ack, flags, payload):
    """One Ethernet frame: IPv4 from src to dst (4-item lists), TCP sp -> dp with these numbers, flags, payload."""
    tcp = struct.pack('!HHIIBBHHH', sp, dp, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    ph = bytes(src) + bytes(dst) + struct.pack('!BBH', 0, 6, len(tcp))
    c = csum(ph + tcp)
    tcp = tcp[:16] + struct.pack('!H', c) + tcp[18:]
    return b'\x00' * 12 + b'\x08\x00' + ip + tcp


def write_pcap(path, frames):
    """A little-endian pcap (link type 1, snaplen 65535), frame i at i seconds."""
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(frames):
            f.write(struct.pack('<IIII', i, 0, len(p), len(p)) + p)
