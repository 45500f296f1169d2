#!/usr/bin/env bash
# Records what tshark says about every TLS connection of the corpus TLS captures, as the oracle of
# tls/src/test/java/dev/wirelens/tls/TlsSessionCorpusSweepTest. Expected values come from tshark only;
# the Python below merely walks tshark's JSON tree and hashes the bytes tshark printed.
#
# Per capture (and key log) one tsv: tls/src/test/resources/expected/session/<source>/<capture>[~<keylog>].tsv
# Commands (TShark 4.0.17), per capture C and optional key log K:
#   tshark -n -r C [-o tls.keylog_file:K] -T json --no-duplicate-keys -J "ip ipv6 tcp tls"
#   tshark -n -r C [-o tls.keylog_file:K] -q -z follow,tls,raw,<stream> ...   (one -z per stream with TLS)
# Columns (one row per TCP stream that carries a TLS ClientHello or ServerHello):
#   stream            tcp.stream
#   client            ip:port that sent the first ClientHello (without one: the receiver of the ServerHello)
#   version           hex: ServerHello supported_versions if present, else ServerHello legacy version; - if none
#   cipher_suite_id   hex: tls.handshake.ciphersuite of the last ServerHello; -
#   sni               tls.handshake.extensions_server_name of the first ClientHello; -
#   alpn_offered      tls.handshake.extensions_alpn_str of the first ClientHello, comma separated; -
#   alpn              tls.handshake.extensions_alpn_str of the ServerHello or EncryptedExtensions; -
#   hrr               true if a ServerHello carried the HelloRetryRequest random (RFC 8446 4.1.3)
#   resumed           TLS 1.3: the accepted ServerHello has pre_shared_key (type 41);
#                     TLS <= 1.2: the server sent ChangeCipherSpec without a Certificate or ServerHelloDone before it
#   finished          number of Finished messages tshark decoded, client/server (needs keys)
#   certificates      SHA-256 of each tls.handshake.certificate of the server's first Certificate message, comma
#                     separated (TLS 1.3: only when decrypted); -
#   alerts            from:level:description per alert, comma separated; level and description are ? for an alert
#                     record tshark could not decrypt; -
#   ja3               tls.handshake.ja3 of the first ClientHello; -
#   client_app        decrypted application bytes client->server (follow,tls,raw): length:sha256 (0 bytes when
#                     nothing was decrypted; a pcapng decryption-secrets block counts as a key log)
#   server_app        same, server->client
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${CORPUS:-/work/shared/corpus}
OUT=tls/src/test/resources/expected/session
mkdir -p "$OUT"

record() { # record <capture relative to corpus> [<keylog relative to corpus>] [<variant suffix>]
  local cap=$1 key=${2:-} variant=${3:-}
  local src=${cap%%/*} base; base=$(basename "$cap"); base=${base%.*}
  mkdir -p "$OUT/$src"
  local out="$OUT/$src/$base$variant.tsv"
  local opts=() ; [[ -n $key ]] && opts=(-o "tls.keylog_file:$CORPUS/$key")
  local json; json=$(mktemp)
  tshark -n -r "$CORPUS/$cap" "${opts[@]}" -T json --no-duplicate-keys -J "ip ipv6 tcp tls" >"$json" 2>/dev/null || true
  local follow; follow=$(mktemp)
  : >"$follow"
  if true; then  # also without a key log: a pcapng decryption-secrets block unlocks streams too
    local streams; streams=$(python3 - "$json" <<'PY'
import json,sys
d=json.load(open(sys.argv[1]))
s=set()
for p in d:
    l=p['_source']['layers']
    if 'tls' in l and 'tcp' in l:
        t=l['tcp']; t=t[0] if isinstance(t,list) else t
        s.add(int(t['tcp.stream']))
print(' '.join('-z follow,tls,raw,%d'%i for i in sorted(s)))
PY
)
    if [[ -n $streams ]]; then
      # shellcheck disable=SC2086
      tshark -n -r "$CORPUS/$cap" "${opts[@]}" -q $streams >"$follow" 2>/dev/null || true
    fi
  fi
  python3 - "$json" "$follow" "$cap" "$key" >"$out" <<'PY'
import json,sys,hashlib
jpath,fpath,cap,key=sys.argv[1:5]
HRR='cf:21:ad:74:e5:9a:61:11:be:1d:8c:02:1e:65:b8:91:c2:a2:11:16:7a:bb:8c:5e:07:9e:09:e2:c8:a8:33:9c'
def first(x): return x[0] if isinstance(x,list) else x
def walk(o, pred, acc):
    if isinstance(o,dict):
        if pred(o): acc.append(o)
        for v in o.values(): walk(v,pred,acc)
    elif isinstance(o,list):
        for v in o: walk(v,pred,acc)
    return acc
def vals(o,k):
    out=walk(o,lambda d:k in d,[])
    r=[]
    for d in out:
        v=d[k]
        r.extend(v if isinstance(v,list) else [v])
    return r
try:
    pkts=json.load(open(jpath))
except Exception:
    pkts=[]
S={}
for p in pkts:
    l=p['_source']['layers']
    if 'tls' not in l or 'tcp' not in l: continue
    t=first(l['tcp']); st=int(t['tcp.stream'])
    ip=first(l.get('ip') or l.get('ipv6') or {})
    src=ip.get('ip.src') or ip.get('ipv6.src') or '?'
    ep='%s:%s'%(src,t['tcp.srcport'])
    dst=ip.get('ip.dst') or ip.get('ipv6.dst') or '?'
    dep='%s:%s'%(dst,t['tcp.dstport'])
    s=S.setdefault(st,dict(client=None,ch=None,sh=None,shs=[],alpn=None,certs=None,alerts=[],fin=[0,0],
                           shd_before_ccs=False,server_ccs=False,psk=False))
    # records in wire order
    recs=walk(l['tls'],lambda d:'tls.record.version' in d or 'tls.record.content_type' in d,[])
    for r in recs:
        hs=r.get('tls.handshake')
        hss=[] if hs is None else (hs if isinstance(hs,list) else [hs])
        for h in hss:
            if not isinstance(h,dict) or 'tls.handshake.type' not in h: continue
            ty=int(h['tls.handshake.type'])
            if ty==1 and s['ch'] is None:
                s['ch']=h; s['client']=ep
            fromc = (s['client']==ep) if s['client'] else None
            if ty==2:
                if s['client'] is None: s['client']=dep  # no ClientHello seen: the ServerHello's receiver
                s['shs'].append(h)
                if h.get('tls.handshake.random')!=HRR:
                    s['sh']=h
                    s['psk']= any(str(x)=='41' for x in vals(h,'tls.handshake.extension.type'))
            if ty in (2,8) and fromc is False:
                a=vals(h,'tls.handshake.extensions_alpn_str')
                if a: s['alpn']=a[0]
            if ty==11 and fromc is False and s['certs'] is None:
                s['certs']=[hashlib.sha256(bytes.fromhex(c.replace(':',''))).hexdigest()
                            for c in vals(h,'tls.handshake.certificate')]
            if ty in (11,14) and fromc is False and not s['server_ccs']:
                s['shd_before_ccs']=True
            if ty==20:
                s['fin'][0 if fromc else 1]+=1
        ct=str(r.get('tls.record.content_type',''))
        if ct=='20' and s['client'] and ep!=s['client']:
            s['server_ccs']=True
        if ct=='21':
            who='client' if ep==s['client'] else 'server'
            am=r.get('tls.alert_message')
            if isinstance(am,dict):
                lv=am.get('tls.alert_message.level'); de=am.get('tls.alert_message.desc')
                s['alerts'].append('%s:%s:%s'%(who,lv,de))
            else:
                s['alerts'].append('%s:?:?'%who)
# follow,tls,raw: non-indented lines are from "Node 0", indented lines from the other side
app={}
cur=None; node0=None; buf=None
def flush():
    if cur is not None:
        app[cur]=(node0,buf)
for line in open(fpath):
    line=line.rstrip('\n')
    if line.startswith('Filter: tcp.stream eq '):
        flush(); cur=int(line.split()[-1]); node0=None; buf={True:bytearray(),False:bytearray()}
    elif line.startswith('Node 0: '):
        node0=line[8:]
    elif cur is not None and line and not line.startswith(('Node','=','Follow')):
        ind=line.startswith('\t'); h=line.strip()
        try: buf[not ind].extend(bytes.fromhex(h))
        except ValueError: pass
flush()
def norm(ep):
    if ep is None: return None
    a,_,port=ep.rpartition(':'); return a.strip('[]')+':'+port
print('# tshark oracle for %s (key log: %s), written by scripts/record-tls-session-expectations.sh' % (cap, key or 'none'))
print('# tshark -n -r %s%s -T json --no-duplicate-keys -J "ip ipv6 tcp tls"' % (cap, ' -o tls.keylog_file:'+key if key else ''))
print('# tshark -n -r %s%s -q -z follow,tls,raw,<stream> (one -z per stream)' % (cap, ' -o tls.keylog_file:'+key if key else ''))
print('\t'.join(['stream','client','version','cipher_suite_id','sni','alpn_offered','alpn','hrr','resumed','finished',
                 'certificates','alerts','ja3','client_app','server_app']))
for st in sorted(S):
    s=S[st]
    if s['ch'] is None and not s['shs']: continue
    ch=s['ch'] or {}; sh=s['sh']
    ver='-'
    if sh:
        sv=vals(sh,'tls.handshake.extensions.supported_version')
        ver=sv[0] if sv else sh.get('tls.handshake.version','-')
    cs=sh.get('tls.handshake.ciphersuite','-') if sh else '-'
    sni=(vals(ch,'tls.handshake.extensions_server_name') or ['-'])[0]
    ao=','.join(vals(ch,'tls.handshake.extensions_alpn_str')) or '-'
    hrr=any(h.get('tls.handshake.random')==HRR for h in s['shs'])
    if ver=='0x0304' or (isinstance(ver,str) and ver.startswith('0x7f')):
        resumed=s['psk']
    else:
        resumed= bool(sh) and s['server_ccs'] and not s['shd_before_ccs']
    certs=','.join(s['certs']) if s['certs'] else '-'
    ja3=(vals(ch,'tls.handshake.ja3') or ['-'])[0]
    if True:
        ca=sa='0:'+hashlib.sha256(b'').hexdigest()
        if st in app:
            n0,b=app[st]
            n0c = norm(n0)==norm(s['client'])
            c=b[True] if n0c else b[False]; sv_=b[False] if n0c else b[True]
            ca='%d:%s'%(len(c),hashlib.sha256(c).hexdigest()); sa='%d:%s'%(len(sv_),hashlib.sha256(sv_).hexdigest())
    print('\t'.join(str(x) for x in [st,s['client'],ver,cs,sni,ao,s['alpn'] or '-',str(hrr).lower(),str(resumed).lower(),
          '%d/%d'%tuple(s['fin']),certs,','.join(s['alerts']) or '-',ja3,ca,sa]))
PY
  rm -f "$json" "$follow"
  echo "$out"
}

C=$CORPUS
# snet: pairs from tests.conf (pcap = ..., keylog = ...), plus every <name>.pcap with a <name>.txt key log
python3 - "$C/snet-decrypt-by-keylog/tests.conf" <<'PY' >/tmp/snet-pairs.$$
import sys,os,re
pcap=None; seen=set()
for line in open(sys.argv[1]):
    m=re.match(r'\s*(pcap|keylog)\s*=\s*(\S+)',line)
    if not m: continue
    if m.group(1)=='pcap': pcap=os.path.basename(m.group(2))
    elif pcap:
        if pcap not in seen: print(pcap, os.path.basename(m.group(2)))
        seen.add(pcap); pcap=None
PY
while read -r p k; do
  [[ -f $C/snet-decrypt-by-keylog/decrypt_by_keylog/$p && -f $C/snet-decrypt-by-keylog/decrypt_by_keylog/$k ]] || continue
  record "snet-decrypt-by-keylog/decrypt_by_keylog/$p" "snet-decrypt-by-keylog/decrypt_by_keylog/$k"
done </tmp/snet-pairs.$$
rm -f /tmp/snet-pairs.$$
record illustrated-tls12/captures/capture.pcap illustrated-tls12/captures/keylog.txt
record illustrated-tls13/captures/capture.pcap illustrated-tls13/captures/keylog.txt
for f in "$C"/arkime/openssl-*.pcap "$C"/arkime/tls13.pcap "$C"/arkime/curl-enabled-tls13.pcap \
         "$C"/arkime/tls-client-sessionid.pcap "$C"/arkime/tls-split-client-hello.pcap; do
  record "${f#$C/}"
done
for d in http linux tls12 tls13; do
  for f in "$C"/hotplace-tls/$d/*.pcap*; do record "${f#$C/}" "hotplace-tls/$d/sslkeylog"; done
done
for f in "$C"/zeek/tls/*.pcap; do
  k=${f%.pcap}.keylog
  if [[ -f $k ]]; then record "${f#$C/}" "${k#$C/}"; else record "${f#$C/}"; fi
done
for f in "$C"/wireshark-notes/keys-in-shb-comment/*.pcapng; do k=${f%.pcapng}.keylog; record "${f#$C/}" "${k#$C/}"; done
record wireshark-notes/tls12-73-ciphersuites/dump.pcapng wireshark-notes/tls12-73-ciphersuites/premaster.txt
record wireshark-testcaptures-via-wirerust/tls13-rfc8446.pcap wireshark-testcaptures-via-wirerust/tls13-rfc8446.keys
record wireshark-testcaptures-via-wirerust/tls13-rfc8446.pcap wireshark-testcaptures-via-wirerust/tls13-rfc8446-noearly.keys "~noearly"
record wireshark-testcaptures-via-wirerust/tls12-aes256gcm.pcap
record gopacket/le/test301.pcapng
record scapy/raw_data/tls_nss_example.pcap scapy/raw_data/tls_nss_example.keys.txt
