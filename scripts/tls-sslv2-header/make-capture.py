# Writes a pcap for scripts/tls-sslv2-header/record.sh into argv[2]: TCP handshake to port 443, an SSLv2-compatible
# CLIENT-HELLO (RFC 5246 Appendix E.2: msg_type 1, version 0x0301, cipher_spec_length 6, session_id_length 0,
# challenge_length 16, two cipher specs, a 16-byte challenge) with the record header argv[1] names, then a TLS 1.0
# ServerHello record from the server.
#   2      the 2-byte header: high bit set, 15-bit length (what RFC 5246 E.2 requires: "The highest bit MUST be 1")
#   3:P    the 3-byte header of SSL 2.0 (draft-hickman-netscape-ssl-00 §1.2): high bit clear, 14-bit length of
#          message + padding, then the padding length P; P zero bytes of padding follow the message
import os, struct, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from handmade_pcap import pkt, write_pcap
C=[10,0,0,2];S=[10,0,0,1]
body=bytes.fromhex("01"+"0301"+"0006"+"0000"+"0010"+"00002f"+"000035")+b'\x11'*16
if sys.argv[1]=='2':
    hello=struct.pack('!H',0x8000|len(body))+body
else:
    pad=int(sys.argv[1].split(':')[1])
    hello=struct.pack('!HB',(len(body)+pad)&0x3fff,pad)+body+b'\x00'*pad
sh=bytes.fromhex("160301002a02000026"+"0301"+"22"*32+"00002f00")
pk=[]; cs=1000; ss=5000
pk.append(pkt(C,S,40000,443,cs,0,0x02,b'')); pk.append(pkt(S,C,443,40000,ss,cs+1,0x12,b'')); cs+=1; ss+=1
pk.append(pkt(C,S,40000,443,cs,ss,0x10,b''))
pk.append(pkt(C,S,40000,443,cs,ss,0x18,hello)); cs+=len(hello)
pk.append(pkt(S,C,443,40000,ss,cs,0x18,sh)); ss+=len(sh)
write_pcap(sys.argv[2], pk)
