#!/usr/bin/env bash
# Makes the pcapng test inputs with TLS keys inside (decryption-secrets blocks) from the illustrated TLS 1.3
# capture and its key log (MIT, tls/src/test/resources/vectors/tls/illustrated-tls13):
#   capture-dsb-first.pcapng   editcap --inject-secrets: the DSB before the packets
#   capture-dsb-last.pcapng    the same blocks with the DSB moved after the last packet (needs a second pass)
# Expected decryption results are those of expected/session/illustrated-tls13/capture.tsv (same connection).
set -euo pipefail
cd "$(dirname "$0")/../tls/src/test/resources/vectors/tls/illustrated-tls13"
editcap --inject-secrets tls,keylog.txt -F pcapng capture.pcap capture-dsb-first.pcapng
python3 - <<'PY'
import struct
data = open('capture-dsb-first.pcapng', 'rb').read()
blocks, p = [], 0
while p < len(data):
    btype, blen = struct.unpack_from('<II', data, p)   # little-endian section (editcap on x86)
    blocks.append((btype, data[p:p + blen]))
    p += blen
dsb = [b for t, b in blocks if t == 0x0000000A]
rest = [b for t, b in blocks if t != 0x0000000A]
assert len(dsb) == 1
open('capture-dsb-last.pcapng', 'wb').write(b''.join(rest + dsb))
PY
