# Writes a pcap for scripts/tls-content-type-framing/record.sh: TLS 1.2 hellos, then one client record of content
# type argv[1] (version argv[3] in hex, default 0303; 40 bytes) split over two TCP segments, into argv[2].
import os, struct, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from handmade_pcap import pkt, write_pcap
C=[10,0,0,2];S=[10,0,0,1]
ch=bytes.fromhex("160303002d01000029"+"0303"+"11"*32+"0000020 09c0100".replace(" ",""))
sh=bytes.fromhex("160303002a02000026"+"0303"+"22"*32+"00009c00")
ct=int(sys.argv[1])
ver=int(sys.argv[3],16) if len(sys.argv)>3 else 0x0303
rec=bytes([ct,ver>>8,ver&255,0,40])+b'\xab'*40
pk=[]; cs=1000; ss=5000
pk.append(pkt(C,S,40000,443,cs,0,0x02,b'')); pk.append(pkt(S,C,443,40000,ss,cs+1,0x12,b'')); cs+=1; ss+=1
pk.append(pkt(C,S,40000,443,cs,ss,0x10,b''))
pk.append(pkt(C,S,40000,443,cs,ss,0x18,ch)); cs+=len(ch)
pk.append(pkt(S,C,443,40000,ss,cs,0x18,sh)); ss+=len(sh)
pk.append(pkt(C,S,40000,443,cs,ss,0x18,rec[:20])); cs+=20
pk.append(pkt(C,S,40000,443,cs,ss,0x18,rec[20:])); cs+=len(rec)-20
write_pcap(sys.argv[2], pk)
