# Writes a pcap for scripts/tls-content-type-framing/record.sh: TLS 1.2 hellos, then one client record of content
# type argv[1] (version argv[3] in hex, default 0303; 40 bytes) split over two TCP segments, into argv[2].
import struct, sys
def csum(b):
    if len(b)%2: b+=b'\0'
    s=sum(struct.unpack('!%dH'%(len(b)//2),b)); s=(s>>16)+(s&0xffff); s+=s>>16; return (~s)&0xffff
def pkt(src,dst,sp,dp,seq,ack,flags,payload):
    tcp=struct.pack('!HHIIBBHHH',sp,dp,seq,ack,5<<4,flags,65535,0,0)+payload
    ip=struct.pack('!BBHHHBBH4s4s',0x45,0,20+len(tcp),1,0,64,6,0,bytes(src),bytes(dst))
    ip=ip[:10]+struct.pack('!H',csum(ip))+ip[12:]
    ph=bytes(src)+bytes(dst)+struct.pack('!BBH',0,6,len(tcp))
    c=csum(ph+tcp); tcp=tcp[:16]+struct.pack('!H',c)+tcp[18:]
    return b'\x00'*12+b'\x08\x00'+ip+tcp
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
with open(sys.argv[2],'wb') as f:
    f.write(struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,65535,1))
    for i,p in enumerate(pk):
        f.write(struct.pack('<IIII',i,0,len(p),len(p))+p)
