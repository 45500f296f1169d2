#!/usr/bin/env python3
import json, sys
# Flattens tshark -T json --no-duplicate-keys output into one line per (handshake message, field):
# capture <TAB> frame <TAB> message index within the capture <TAB> field <TAB> values joined by ','
name=sys.argv[1]
d=json.load(sys.stdin)
def aslist(x): return x if isinstance(x,list) else [x]
def flat(o,out):
  if isinstance(o,dict):
    for k,v in o.items():
      if k.endswith('_tree'):
        flat(v,out); continue
      if isinstance(v,str): out.setdefault(k,[]).append(v)
      elif isinstance(v,list) and all(isinstance(i,str) for i in v): out.setdefault(k,[]).extend(v)
      else: flat(v,out)
  elif isinstance(o,list):
    for i in o: flat(i,out)
n=0
for p in d:
  L=p['_source']['layers']
  for tls in aslist(L.get('tls',[])):
    if not isinstance(tls,dict): continue
    for r in aslist(tls.get('tls.record',[])):
      if not isinstance(r,dict): continue
      for h in aslist(r.get('tls.handshake',[])):
        if not isinstance(h,dict): continue
        out={};flat(h,out)
        for k,v in out.items():
          if not k.startswith('tls.') or k.startswith('tls.handshake.ja') or k == 'tls.handshake.random_time': continue
          print('\t'.join([name,L['frame']['frame.number'],str(n),k,','.join(v)]))
        n+=1
