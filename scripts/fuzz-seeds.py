#!/usr/bin/env python3
"""Writes the seed inputs of the tls and websocket fuzz targets (issue 8) from recorded captures.

Run from the repository root: scripts/fuzz-seeds.py. Needs tshark (4.0.x) for `-z follow,tcp,raw`.
Seeds come from our own recordings (examples/src/test/resources/captures/{tls,websocket}) and from corpus files
under permissive licences only (/work/shared/corpus: zeek BSD-3-Clause, illustrated-tls13 MIT); each Inputs
directory gets a SOURCES.md naming every seed's origin. Seeds are < 64 KiB.

Formats (see FuzzInput / DuplexInput in the fuzz test packages):
  stream seeds: the stream bytes, then a 9-byte trailer (8 bytes of cut positions, then the cut count 4);
  duplex seeds: chunks [direction byte 0=client 1=server][u16 length][bytes] in capture order, then the trailer.
"""
import os, subprocess, sys, zlib

ROOT = os.getcwd()
CAPS = os.path.join(ROOT, 'examples/src/test/resources/captures')
CORPUS = '/work/shared/corpus'
TRAILER = bytes([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x04])
MAX_SEED = 60 * 1024

TLS_OWN = ['tls13-aes128gcm', 'tls13-hrr', 'tls13-keyupdate', 'tls13-client-cert', 'tls13-early-data',
           'tls12-ecdhe-rsa-aes128gcm', 'tls12-rsa-aes128-cbc-sha256', 'tls12-resumption-ticket',
           'tls12-client-cert', 'tls12-alert-unknown-ca', 'tls11-legacy', 'tls13-chacha20-v6']
TLS_CORPUS = [('zeek/tls/ssl-v2.pcap', 'zeek/zeek a13de64fbbdb testing/btest/Traces/tls/ssl-v2.pcap, BSD-3-Clause'),
              ('zeek/tls/tls13-ech.pcap', 'zeek/zeek a13de64fbbdb testing/btest/Traces/tls/tls13-ech.pcap, BSD-3-Clause'),
              ('zeek/tls/dhe.pcap', 'zeek/zeek a13de64fbbdb testing/btest/Traces/tls/dhe.pcap, BSD-3-Clause'),
              ('zeek/tls/heartbleed.pcap', 'zeek/zeek a13de64fbbdb testing/btest/Traces/tls/heartbleed.pcap, BSD-3-Clause'),
              ('illustrated-tls13/captures/capture.pcap',
               'syncsynchalt/illustrated-tls13 8d83cef06a97 captures/capture.pcap, MIT')]
WS_OWN = ['ws-basic-v4', 'ws-deflate-v4', 'ws-deflate-no-takeover-v6', 'ws-fragmented-v6', 'ws-coalesced-v4',
          'ws-close-4000-v4', 'ws-refused-v4', 'ws-reset-v4']


def follow(pcap, stream=0):
    """[(direction, bytes)] of one TCP stream in capture order (0 = first speaker, the client)."""
    out = subprocess.run(['tshark', '-r', pcap, '-q', '-z', 'follow,tcp,raw,%d' % stream],
                         capture_output=True, text=True, check=True).stdout
    chunks, started = [], False
    for line in out.splitlines():
        if line.startswith('Node 1:'):
            started = True
            continue
        if not started or line.startswith('====') or not line.strip():
            continue
        d = 1 if line.startswith('\t') else 0
        chunks.append((d, bytes.fromhex(line.strip())))
    return chunks


def records(data):
    """[(type, version, fragment)] of the complete TLS records at the start of data."""
    out, p = [], 0
    while p + 5 <= len(data):
        n = int.from_bytes(data[p + 3:p + 5], 'big')
        if p + 5 + n > len(data):
            break
        out.append((data[p], int.from_bytes(data[p + 1:p + 3], 'big'), data[p + 5:p + 5 + n]))
        p += 5 + n
    return out


def write(dirpath, name, data, origin, sources):
    os.makedirs(dirpath, exist_ok=True)
    data = data[:MAX_SEED]
    with open(os.path.join(dirpath, name), 'wb') as f:
        f.write(data)
    sources.setdefault(dirpath, []).append('| `%s` | %d | %s |' % (name, len(data), origin))


def stream_of(chunks, d):
    return b''.join(b for x, b in chunks if x == d)


def duplex(chunks):
    out = bytearray()
    for d, b in chunks:
        for i in range(0, len(b), 0xFFFF):
            part = b[i:i + 0xFFFF]
            if len(out) + 3 + len(part) + len(TRAILER) > MAX_SEED:
                return bytes(out) + TRAILER
            out += bytes([d]) + len(part).to_bytes(2, 'big') + part
    return bytes(out) + TRAILER


def main():
    sources = {}
    tls = os.path.join(ROOT, 'tls/src/test/resources/dev/wirelens/tls/fuzz')
    ws = os.path.join(ROOT, 'websocket/src/test/resources/dev/wirelens/websocket/fuzz')
    tls_inputs = [(os.path.join(CAPS, 'tls', n + '.pcap'), n, 'our recording examples/src/test/resources/captures/tls/%s.pcap' % n)
                  for n in TLS_OWN]
    tls_inputs += [(os.path.join(CORPUS, p), os.path.basename(p)[:-5], o) for p, o in TLS_CORPUS
                   if os.path.exists(os.path.join(CORPUS, p))]
    for pcap, name, origin in tls_inputs:
        chunks = follow(pcap)
        client, server = stream_of(chunks, 0), stream_of(chunks, 1)
        d = 'TlsRecordReaderFuzzTestInputs/recordsAreTheSameWholeOrInPieces'
        write(os.path.join(tls, d), name + '-client', client[:16384] + TRAILER, origin + ', client stream', sources)
        write(os.path.join(tls, d), name + '-server', server[:16384] + TRAILER, origin + ', server stream', sources)
        d = 'TlsDetectorFuzzTestInputs/detectionIsAFunctionOfTheBytesAndNeverReadsPastThem'
        write(os.path.join(tls, d), name, client[:64], origin + ', first 64 client bytes', sources)
        for side, s in (('client', client), ('server', server)):
            hs = b''.join(f for t, v, f in records(s) if t == 22)
            if hs:
                d = 'HandshakeReaderFuzzTestInputs/messagesAreTheSameWholeOrInPiecesAndEveryViewStaysInside'
                write(os.path.join(tls, d), '%s-%s' % (name, side), hs + TRAILER,
                      origin + ', ' + side + ' handshake-record fragments concatenated', sources)
        d = 'TlsConnectionDissectorFuzzTestInputs/sessionIsTheSameWholeOrInPieces'
        write(os.path.join(tls, d), name, duplex(chunks), origin + ', both directions in capture order', sources)
        keys = os.path.join(CAPS, 'tls', name + '.keys')
        if os.path.exists(keys):
            d = 'KeyLogFuzzTestInputs/keyLogIsTheSameWholeOrInPiecesAndWithinLimits'
            write(os.path.join(tls, d), name + '.keys', open(keys, 'rb').read() + TRAILER,
                  'our recording examples/src/test/resources/captures/tls/%s.keys' % name, sources)
    # the key log the connection-dissector target decrypts with: our recordings' keys, so the seeds decrypt
    with open(os.path.join(tls, 'seed-captures.keys'), 'wb') as f:
        for n in TLS_OWN:
            k = os.path.join(CAPS, 'tls', n + '.keys')
            if os.path.exists(k):
                f.write(open(k, 'rb').read())
    # decryptor seeds: selector byte then records [type][version u16][length u16][fragment]: the server's
    # protected records of the capture whose keys the target holds (see RecordDecryptorFuzzTest.SUITES)
    for sel, name in enumerate(['tls13-aes128gcm', 'tls13-chacha20-v6', 'tls13-aes128ccm', 'tls12-ecdhe-rsa-aes128gcm',
                                'tls12-ecdhe-ecdsa-chacha20', 'tls12-ecdhe-rsa-aes256-cbc-sha384-noetm',
                                'tls12-rsa-aes128-cbc-sha256']):
        chunks = follow(os.path.join(CAPS, 'tls', name + '.pcap'))
        recs = records(stream_of(chunks, 1))
        if name.startswith('tls13'):
            prot = [r for r in recs if r[0] == 23]
        else:
            ccs = next(i for i, r in enumerate(recs) if r[0] == 20)
            prot = recs[ccs + 1:]
        body = bytes([sel]) + b''.join(bytes([t]) + v.to_bytes(2, 'big') + len(f).to_bytes(2, 'big') + f
                                       for t, v, f in prot)
        d = 'RecordDecryptorFuzzTestInputs/decryptionLeavesInputUntouchedAndFailsCleanly'
        write(os.path.join(tls, d), name + '-server', body,
              'our recording examples/src/test/resources/captures/tls/%s.pcap, server records after the key change' % name,
              sources)
    # WebSocket
    ws_inputs = [(os.path.join(CAPS, 'websocket', n + '.pcap'), n,
                  'our recording examples/src/test/resources/captures/websocket/%s.pcap' % n) for n in WS_OWN]
    for pcap, name, origin in ws_inputs:
        chunks = follow(pcap)
        client, server = stream_of(chunks, 0), stream_of(chunks, 1)
        ci, si = client.find(b'\r\n\r\n'), server.find(b'\r\n\r\n')
        d = 'HttpUpgradeFuzzTestInputs/upgradeIsRecognisedTheSameWholeOrInPieces'
        write(os.path.join(ws, d), name + '-request', client[:ci + 4] + TRAILER, origin + ', client HTTP head', sources)
        write(os.path.join(ws, d), name + '-response', server[:si + 4] + TRAILER, origin + ', server HTTP head', sources)
        d = 'WebSocketFrameReaderFuzzTestInputs/framesAreTheSameWholeOrInPieces'
        write(os.path.join(ws, d), name + '-client', client[ci + 4:ci + 4 + 16384] + TRAILER,
              origin + ', client frames after the head', sources)
        write(os.path.join(ws, d), name + '-server', server[si + 4:si + 4 + 16384] + TRAILER,
              origin + ', server frames after the head', sources)
        d = 'WebSocketConnectionDissectorFuzzTestInputs/sessionIsTheSameWholeOrInPieces'
        write(os.path.join(ws, d), name, duplex(chunks), origin + ', both directions in capture order', sources)
    # permessage-deflate: our generator (Python zlib, raw DEFLATE, the 00 00 ff ff tail removed as RFC 7692 7.2.1)
    d = os.path.join(ws, 'MessageInflaterFuzzTestInputs/inflationIsTheSameWholeOrInPiecesAndWithinLimits')
    samples = [b'Hello', b'A' * 5000, b'{"type":"tick","seq":%d}' % 7 * 40, bytes(range(256)) * 8]
    for i, text in enumerate(samples):
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = c.compress(text) + c.flush(zlib.Z_SYNC_FLUSH)
        assert body.endswith(b'\x00\x00\xff\xff')
        write(d, 'deflate-%d' % i, body[:-4] + TRAILER, 'our generator scripts/fuzz-seeds.py: zlib raw DEFLATE of '
              'sample %d, sync flush, tail removed' % i, sources)
    for dirpath, lines in sources.items():
        with open(os.path.join(dirpath, 'SOURCES.md'), 'w') as f:
            f.write('# Seeds and regression inputs\n\nWritten by `scripts/fuzz-seeds.py` (seeds) and by Jazzer '
                    '(crash inputs, named `crash-*`, kept as regressions). Licences: our recordings are the '
                    "project's own; corpus files as named.\n\n| file | bytes | origin |\n|---|---|---|\n")
            f.write('\n'.join(sorted(lines)) + '\n')


if __name__ == '__main__':
    main()
